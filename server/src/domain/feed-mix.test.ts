import { describe, expect, it } from 'vitest';
import { CATALOGUE_ITEMS } from '../../../shared/catalogue.ts';
import type { Domain } from '../../../shared/schemas/catalogue.ts';
import { DAILY_REPORTS, DAILY_REPORTS_BY_CHANNEL, DEMO_SPEED, FEED_CHANNELS } from './feed-rate.ts';
import {
  CHAT_ROBOT_ITEM_CODES, DEMO_LEVEL1_EVERY_MS, DEMO_LEVEL1_SHARE, DOMAIN_SHARES, LEVEL2_SHARE, REAL_LEVEL1_SHARE,
  ReportMix, chatMessageText, level1ShareFor,
} from './feed-mix.ts';
import { seededRng } from './feed-random.ts';

const DRAWS = 200_000;

/** |observed - expected| within 4 standard deviations of a binomial count. */
function expectShare(count: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(4 * sd + 1);
}

describe('feed mix', () => {
  it('draws levels, domains and items in the catalogue mix, within tolerance over many draws', () => {
    const mix = new ReportMix({ level1Share: REAL_LEVEL1_SHARE });
    const rng = seededRng('mix');
    const levels = { 1: 0, 2: 0, 3: 0 };
    const domains: Record<string, number> = {};
    const items = new Set<string>();
    for (let i = 0; i < DRAWS; i++) {
      const item = mix.item(rng);
      levels[item.level] += 1;
      domains[item.domain] = (domains[item.domain] ?? 0) + 1;
      items.add(item.code);
    }
    expectShare(levels[1], DRAWS, REAL_LEVEL1_SHARE);
    expectShare(levels[2], DRAWS, LEVEL2_SHARE);
    expect(levels[1]).toBeGreaterThan(0);
    for (const [domain, share] of Object.entries(DOMAIN_SHARES)) expectShare(domains[domain as Domain], DRAWS, share);
    // Every item turns up sooner or later (level-1 ones need a higher share to show in this many draws).
    const wide = new ReportMix({ level1Share: 0.3 });
    for (let i = 0; i < 20_000; i++) items.add(wide.item(rng).code);
    expect(items.size).toBe(CATALOGUE_ITEMS.length);
  });

  it('in the demo, makes level-1 rare but regular: one every ~5 minutes at the day mean', () => {
    const perMinute = (DAILY_REPORTS * DEMO_SPEED) / 1440;
    expect(DEMO_LEVEL1_SHARE * perMinute * (DEMO_LEVEL1_EVERY_MS / 60_000)).toBeCloseTo(1, 5);
    expect(DEMO_LEVEL1_SHARE).toBeLessThan(0.03);
    expect(level1ShareFor(1, 60_000 * 60 * 24 * 365)).toBe(REAL_LEVEL1_SHARE); // never below the real share
    const mix = new ReportMix({ level1Share: DEMO_LEVEL1_SHARE });
    const rng = seededRng('demo-level1');
    let level1 = 0;
    for (let i = 0; i < DRAWS; i++) if (mix.report(rng).item.level === 1) level1 += 1;
    // Chat-robot reports are never level-1, so the overall share sits a little below the item share.
    const chatShare = DAILY_REPORTS_BY_CHANNEL.chat_robot / DAILY_REPORTS;
    expectShare(level1, DRAWS, DEMO_LEVEL1_SHARE * (1 - chatShare));
  });

  it('draws channels in proportion to their daily volumes, the chat robot only for water, power, gas and roads', () => {
    const mix = new ReportMix({ level1Share: DEMO_LEVEL1_SHARE });
    const rng = seededRng('channels');
    const counts: Record<string, number> = {};
    for (let i = 0; i < DRAWS; i++) {
      const { channel, item } = mix.report(rng);
      counts[channel] = (counts[channel] ?? 0) + 1;
      if (channel === 'chat_robot') expect(CHAT_ROBOT_ITEM_CODES).toContain(item.code);
    }
    for (const c of FEED_CHANNELS) expectShare(counts[c], DRAWS, DAILY_REPORTS_BY_CHANNEL[c] / DAILY_REPORTS);
  });

  it('writes chat messages with one of the item\'s keywords', () => {
    const rng = seededRng('chat-text');
    for (const code of CHAT_ROBOT_ITEM_CODES) {
      const item = CATALOGUE_ITEMS.find((i) => i.code === code)!;
      const text = chatMessageText(rng, item, '丁卯社区第1网格');
      expect(item.keywords.some((k) => text.includes(k))).toBe(true);
    }
  });

  it('is deterministic for a seed', () => {
    const draw = (seed: string) => {
      const mix = new ReportMix({ level1Share: DEMO_LEVEL1_SHARE });
      const rng = seededRng(seed);
      return Array.from({ length: 50 }, () => mix.report(rng)).map((r) => `${r.channel}:${r.item.code}`);
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });
});
