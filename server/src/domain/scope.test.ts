import { describe, expect, it } from 'vitest';
import { canAccess, narrowFilter, roomsForArea, scopeContains, scopeLabel, scopeRooms, scopeSql, type Scope } from './scope.ts';

const district: Scope = { level: 'district' };
const dingmao: Scope = { level: 'town', townCode: '321171001' };
const community: Scope = { level: 'community', townCode: '321171001', communityCode: '321171001001' };

describe('scopeSql', () => {
  it('is TRUE without parameters for the district', () => {
    expect(scopeSql(district, 'g')).toEqual({ sql: 'TRUE', params: [] });
  });
  it('limits a town scope to the town column of the alias, numbering from firstParam', () => {
    expect(scopeSql(dingmao, 'g', 3)).toEqual({ sql: 'g.town_code = $3', params: ['321171001'] });
  });
  it('limits a community scope to both columns', () => {
    expect(scopeSql(community, 'x', 2)).toEqual({
      sql: '(x.town_code = $2 AND x.community_code = $3)',
      params: ['321171001', '321171001001'],
    });
  });
  it('accepts explicit columns', () => {
    expect(scopeSql(dingmao, { town: 'i.town', community: 'i.community' }).sql).toBe('i.town = $1');
  });
  it('refuses anything but an identifier as a column, so input can never reach the SQL text', () => {
    expect(() => scopeSql(dingmao, "g; DROP TABLE users; --")).toThrow(/not an identifier/);
    expect(() => scopeSql(dingmao, { town: 'town_code OR 1=1', community: 'c' })).toThrow(/not an identifier/);
  });
});

describe('canAccess', () => {
  const inTown = { townCode: '321171001', communityCode: '321171001002' };
  const inCommunity = { townCode: '321171001', communityCode: '321171001001' };
  const otherTown = { townCode: '321171002', communityCode: '321171002001' };
  it('lets the district see everything', () => {
    expect(canAccess(district, otherTown)).toBe(true);
  });
  it('keeps a town officer in their town', () => {
    expect(canAccess(dingmao, inTown)).toBe(true);
    expect(canAccess(dingmao, otherTown)).toBe(false);
  });
  it('keeps a community liaison in their community', () => {
    expect(canAccess(community, inCommunity)).toBe(true);
    expect(canAccess(community, inTown)).toBe(false);
    expect(canAccess(community, { townCode: '321171001' })).toBe(false);
  });
  it('does not let a forged community in another town pass a community scope', () => {
    expect(canAccess(community, { townCode: '321171002', communityCode: '321171001001' })).toBe(false);
  });
});

describe('scopeContains', () => {
  it('orders district > town > community', () => {
    expect(scopeContains(district, community)).toBe(true);
    expect(scopeContains(dingmao, community)).toBe(true);
    expect(scopeContains(dingmao, district)).toBe(false);
    expect(scopeContains(community, dingmao)).toBe(false);
    expect(scopeContains(dingmao, { level: 'town', townCode: '321171002' })).toBe(false);
  });
});

describe('narrowFilter', () => {
  it('refuses a town filter outside a town scope and allows its own', () => {
    expect(narrowFilter(dingmao, { town: '321171002' })).toEqual({ ok: false, reason: 'town 321171002 is outside your data scope' });
    expect(narrowFilter(dingmao, { town: '321171001' })).toEqual({ ok: true });
    expect(narrowFilter(dingmao, {})).toEqual({ ok: true });
  });
  it('refuses another community for a community scope', () => {
    expect(narrowFilter(community, { community: '321171001002' }).ok).toBe(false);
    expect(narrowFilter(community, { community: '321171001001' }).ok).toBe(true);
  });
  it('lets the district filter by anything', () => {
    expect(narrowFilter(district, { town: '321171005', community: 'x' }).ok).toBe(true);
  });
});

describe('rooms', () => {
  it('gives each scope its own room', () => {
    expect(scopeRooms(district)).toEqual(['scope:district']);
    expect(scopeRooms(dingmao)).toEqual(['scope:town:321171001']);
    expect(scopeRooms(community)).toEqual(['scope:community:321171001001']);
  });
  it('routes an event to exactly the rooms whose scope can access it', () => {
    const area = { townCode: '321171001', communityCode: '321171001001' };
    const rooms = roomsForArea(area);
    expect(rooms).toEqual(['scope:district', 'scope:town:321171001', 'scope:community:321171001001']);
    const scopes: Scope[] = [district, dingmao, community, { level: 'town', townCode: '321171002' },
      { level: 'community', townCode: '321171001', communityCode: '321171001002' }];
    for (const scope of scopes) {
      expect(scopeRooms(scope).some((r) => rooms.includes(r))).toBe(canAccess(scope, area));
    }
  });
  it('labels scopes for logs', () => {
    expect([district, dingmao, community].map(scopeLabel)).toEqual(['district', 'town:321171001', 'community:321171001001']);
  });
});
