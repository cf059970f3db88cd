import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { CATALOGUE, CATALOGUE_ITEMS, DOMAIN_INFO, TIME_LIMITS, catalogueItem, timeLimitOf } from './catalogue.ts';
import { Catalogue, CatalogueItem, DOMAINS, LEVELS } from './schemas/catalogue.ts';

describe('catalogue of reportable items', () => {
  it('has exactly 70 items: 22 level-1, 22 level-2, 26 level-3', () => {
    expect(CATALOGUE_ITEMS).toHaveLength(70);
    const byLevel = (l: number) => CATALOGUE_ITEMS.filter((i) => i.level === l).length;
    expect([byLevel(1), byLevel(2), byLevel(3)]).toEqual([22, 22, 26]);
  });

  it('uses all 5 domains, each described once', () => {
    expect(new Set(CATALOGUE_ITEMS.map((i) => i.domain))).toEqual(new Set(DOMAINS));
    expect(DOMAIN_INFO.map((d) => d.code).sort()).toEqual([...DOMAINS].sort());
    for (const d of DOMAIN_INFO) expect(d.name && d.nameEn).toBeTruthy();
  });

  it('has unique, well-formed codes whose prefix matches the domain', () => {
    const codes = CATALOGUE_ITEMS.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    const prefixOf = new Map<string, string>();
    for (const item of CATALOGUE_ITEMS) {
      expect(item.code).toMatch(/^[A-Z]{2}-[0-9]{2}$/);
      const prefix = item.code.slice(0, 2);
      // One prefix per domain and one domain per prefix.
      expect(prefixOf.get(item.domain) ?? prefix).toBe(prefix);
      prefixOf.set(item.domain, prefix);
    }
    expect(new Set(prefixOf.values()).size).toBe(5);
  });

  it('names every item in Chinese and English and gives Chinese keywords', () => {
    for (const item of CATALOGUE_ITEMS) {
      expect(item.name.trim()).not.toBe('');
      expect(item.name).toMatch(/[\u4e00-\u9fff]/);
      expect(item.nameEn.trim()).not.toBe('');
      expect(item.nameEn).toMatch(/^[\x20-\x7e]+$/);
      expect(item.keywords.length).toBeGreaterThan(0);
      for (const k of item.keywords) expect(k).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('has unique names', () => {
    expect(new Set(CATALOGUE_ITEMS.map((i) => i.name)).size).toBe(70);
    expect(new Set(CATALOGUE_ITEMS.map((i) => i.nameEn)).size).toBe(70);
  });

  it('validates every item and the whole catalogue against the schema', () => {
    for (const item of CATALOGUE_ITEMS) expect(Value.Errors(CatalogueItem, item)).toEqual([]);
    expect(Value.Check(Catalogue, CATALOGUE)).toBe(true);
    // The schema does reject a bad item, so the check above means something.
    expect(Value.Check(CatalogueItem, { ...CATALOGUE_ITEMS[0], code: 'zf-1' })).toBe(false);
  });

  it('covers water, electricity, gas and roads in livelihood services', () => {
    const words = CATALOGUE_ITEMS.filter((i) => i.domain === 'livelihood').flatMap((i) => i.keywords);
    for (const w of ['停水', '漏水', '停电', '燃气', '塌陷', '坑']) expect(words).toContain(w);
  });

  it('orders time limits by gravity: level 1 is the fastest', () => {
    expect(TIME_LIMITS.map((t) => t.level)).toEqual([...LEVELS]);
    for (let i = 1; i < TIME_LIMITS.length; i++) {
      expect(TIME_LIMITS[i].responseMinutes).toBeGreaterThan(TIME_LIMITS[i - 1].responseMinutes);
      expect(TIME_LIMITS[i].resolutionHours).toBeGreaterThan(TIME_LIMITS[i - 1].resolutionHours);
    }
    for (const t of TIME_LIMITS) expect(t.responseMinutes).toBeLessThan(t.resolutionHours * 60);
    expect(timeLimitOf(2)).toBe(TIME_LIMITS[1]);
  });

  it('looks items up by code', () => {
    expect(catalogueItem('MS-04')?.name).toBe('整栋楼停水');
    expect(catalogueItem('XX-99')).toBeUndefined();
  });
});
