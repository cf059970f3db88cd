import { describe, expect, it } from 'vitest';
import { inScope, resolveScreenScope, scopeParam } from './screen-scope.ts';

const known = {
  towns: new Set(['321171001', '321171002']),
  townOfCommunity: (c: string) => ({ '321171001001': '321171001', '321171002003': '321171002' } as Record<string, string>)[c],
};
const district = { level: 'district' } as const;
const town1 = { level: 'town', townCode: '321171001' } as const;

describe('resolveScreenScope', () => {
  it('defaults to the principal scope', () => {
    expect(resolveScreenScope(undefined, town1, known)).toEqual({ ok: true, scope: town1 });
    expect(resolveScreenScope('', district, known)).toEqual({ ok: true, scope: district });
  });

  it('narrows a district principal to a town or a community', () => {
    expect(resolveScreenScope('town:321171002', district, known)).toEqual({ ok: true, scope: { level: 'town', townCode: '321171002' } });
    expect(resolveScreenScope('community:321171001001', district, known))
      .toEqual({ ok: true, scope: { level: 'community', townCode: '321171001', communityCode: '321171001001' } });
    expect(resolveScreenScope('district', district, known)).toEqual({ ok: true, scope: district });
  });

  it('never widens: another town or the district is outside a town principal', () => {
    expect(resolveScreenScope('town:321171002', town1, known)).toEqual({ ok: false, reason: 'outside' });
    expect(resolveScreenScope('district', town1, known)).toEqual({ ok: false, reason: 'outside' });
    expect(resolveScreenScope('community:321171002003', town1, known)).toEqual({ ok: false, reason: 'outside' });
    expect(resolveScreenScope('community:321171001001', town1, known).ok).toBe(true);
  });

  it('refuses malformed and unknown values', () => {
    for (const bad of ['town', 'town:', 'city:1', 'district:1', 'town:12;drop', 'TOWN:321171001']) {
      expect(resolveScreenScope(bad, district, known), bad).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(resolveScreenScope('town:999', district, known)).toEqual({ ok: false, reason: 'unknown' });
    expect(resolveScreenScope('community:999', district, known)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('round-trips through scopeParam', () => {
    for (const p of ['district', 'town:321171001', 'community:321171001001']) {
      const r = resolveScreenScope(p, district, known);
      expect(r.ok && scopeParam(r.scope)).toBe(p);
    }
  });
});

describe('inScope', () => {
  it('keeps only the scope’s own places', () => {
    expect(inScope(district, { townCode: 'x' })).toBe(true);
    expect(inScope(town1, { townCode: '321171001', communityCode: 'a' })).toBe(true);
    expect(inScope(town1, { townCode: '321171002' })).toBe(false);
    const c = { level: 'community', townCode: '321171001', communityCode: '321171001001' } as const;
    expect(inScope(c, { townCode: '321171001', communityCode: '321171001001' })).toBe(true);
    expect(inScope(c, { townCode: '321171001', communityCode: '321171001002' })).toBe(false);
  });
});
