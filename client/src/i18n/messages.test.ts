import { describe, expect, it } from 'vitest';
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';
import { formatNumber, initialLocale, otherLocale } from './locale.ts';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function placeholders(obj: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of keys(obj)) {
    const text = key.split('.').reduce<any>((o, k) => o[k], obj) as string;
    out[key] = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  }
  return out;
}

describe('messages', () => {
  it('has the same keys and placeholders in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    expect(placeholders(en)).toEqual(placeholders(zhCN));
  });

  it('has no empty strings', () => {
    for (const m of [zhCN, en]) {
      for (const [key, ph] of Object.entries(placeholders(m))) {
        const text = key.split('.').reduce<any>((o, k) => o[k], m) as string;
        expect(text.trim(), key).not.toBe('');
        expect(ph).toBeDefined();
      }
    }
  });
});

describe('locale', () => {
  it('starts in zh-CN unless a supported choice was saved', () => {
    expect(initialLocale(null)).toBe('zh-CN');
    expect(initialLocale('fr')).toBe('zh-CN');
    expect(initialLocale('en')).toBe('en');
    expect(otherLocale('zh-CN')).toBe('en');
    expect(otherLocale('en')).toBe('zh-CN');
  });

  it('formats numbers for the locale', () => {
    expect(formatNumber(110300, 'en')).toBe('110,300');
    expect(formatNumber(2.345, 'zh-CN', 2)).toBe('2.35');
  });
});
