import { describe, expect, it } from 'vitest';
import {
  DEFAULT_START_TIERS,
  lowerTier,
  nextTier,
  owningSeat,
  parseSeatKey,
  parseStartTiers,
  seatOfOfficer,
  seatTierOfRole,
  sitsAtOwningSeat,
  startingTier,
  tierFits,
} from './tiers.ts';

const area = { townCode: '321171001', communityCode: '321171001001' };

describe('tiers', () => {
  it('go community -> town -> district and back down', () => {
    expect(nextTier('community')).toBe('town');
    expect(nextTier('town')).toBe('district');
    expect(nextTier('district')).toBeNull();
    expect(lowerTier('district')).toBe('town');
    expect(lowerTier('town')).toBe('community');
    expect(lowerTier('community')).toBeNull();
  });

  it('start by level: 1 at the New Area, 2 at the town, 3 at the community', () => {
    expect(startingTier(1, area)).toBe('district');
    expect(startingTier(2, area)).toBe('town');
    expect(startingTier(3, area)).toBe('community');
    expect(DEFAULT_START_TIERS).toEqual({ 1: 'district', 2: 'town', 3: 'community' });
  });

  it('start a level-3 item at the town when it lies in no community', () => {
    expect(startingTier(3, { townCode: '321171001', communityCode: null })).toBe('town');
    expect(tierFits('community', { townCode: '321171001' })).toBe(false);
    expect(tierFits('town', { townCode: '321171001' })).toBe(true);
  });

  it('follow a configured table', () => {
    const table = parseStartTiers('2=district, 3=town');
    expect(table).toEqual({ 1: 'district', 2: 'district', 3: 'town' });
    expect(startingTier(3, area, table)).toBe('town');
    expect(parseStartTiers(undefined)).toEqual(DEFAULT_START_TIERS);
    expect(parseStartTiers('  ')).toEqual(DEFAULT_START_TIERS);
    expect(() => parseStartTiers('4=town')).toThrow(/"4=town"/);
    expect(() => parseStartTiers('1=city')).toThrow(/LEVEL:TIER/);
    expect(parseStartTiers('1:town, 3:district')).toEqual({ 1: 'town', 2: 'town', 3: 'district' });
    expect(() => parseStartTiers('1:district,,')).toThrow(/""/);
  });
});

describe('seats', () => {
  it('own an item by tier and area', () => {
    expect(owningSeat('district', area)).toEqual({ tier: 'district', townCode: null, communityCode: null, key: 'district' });
    expect(owningSeat('town', area)).toEqual({ tier: 'town', townCode: '321171001', communityCode: null, key: 'town:321171001' });
    expect(owningSeat('community', area).key).toBe('community:321171001001');
    expect(() => owningSeat('community', { townCode: '321171001' })).toThrow();
  });

  it('parse back from their keys', () => {
    const town = (c: string) => (c === '321171001001' ? '321171001' : undefined);
    expect(parseSeatKey('district', town)?.tier).toBe('district');
    expect(parseSeatKey('town:321171001', town)).toMatchObject({ tier: 'town', townCode: '321171001' });
    expect(parseSeatKey('community:321171001001', town)).toMatchObject({ tier: 'community', townCode: '321171001', communityCode: '321171001001' });
    expect(parseSeatKey('community:321171009009', town)).toBeNull();
    expect(parseSeatKey('town:abc', town)).toBeNull();
    expect(parseSeatKey('unit:police', town)).toBeNull();
  });

  it('are where the duty roles sit, at their scope', () => {
    expect(seatTierOfRole('liaison')).toBe('community');
    expect(seatTierOfRole('town_duty')).toBe('town');
    expect(seatTierOfRole('district_duty')).toBe('district');
    expect(seatTierOfRole('leader')).toBeNull();
    expect(seatTierOfRole('unit_member')).toBeNull();
    expect(seatOfOfficer('town_duty', { level: 'town', townCode: '321171001' })?.key).toBe('town:321171001');
    expect(seatOfOfficer('liaison', { level: 'community', townCode: '321171001', communityCode: '321171001001' })?.key).toBe('community:321171001001');
    expect(seatOfOfficer('district_duty', { level: 'district' })?.key).toBe('district');
    // A role at a scope it should never have sits nowhere.
    expect(seatOfOfficer('town_duty', { level: 'district' })).toBeNull();
    expect(seatOfOfficer('leader', { level: 'district' })).toBeNull();
  });

  it('tell whether an officer sits at the seat owning an item', () => {
    const townScope = { level: 'town' as const, townCode: '321171001' };
    expect(sitsAtOwningSeat('town_duty', townScope, 'town', area)).toBe(true);
    expect(sitsAtOwningSeat('town_duty', townScope, 'community', area)).toBe(false);
    expect(sitsAtOwningSeat('town_duty', { level: 'town', townCode: '321171002' }, 'town', area)).toBe(false);
    expect(sitsAtOwningSeat('liaison', { level: 'community', townCode: '321171001', communityCode: '321171001002' }, 'community', area)).toBe(false);
    expect(sitsAtOwningSeat('district_duty', { level: 'district' }, 'district', area)).toBe(true);
    expect(sitsAtOwningSeat('leader', { level: 'district' }, 'district', area)).toBe(false);
  });
});
