// What the demo feed reports, and through which channel: the catalogue's
// items drawn by level, then domain, then uniformly within that pair.
import { CATALOGUE_ITEMS } from '../../../shared/catalogue.ts';
import type { CatalogueItem, Domain, Level } from '../../../shared/schemas/catalogue.ts';
import { DAILY_REPORTS, DAILY_REPORTS_BY_CHANNEL, DEMO_SPEED, FEED_CHANNELS, type FeedChannel } from './feed-rate.ts';
import { WeightedChoice, type Rng } from './feed-random.ts';

/**
 * Level shares of real reports. Of 1,614 hazards resolved, 2 were level-1
 * and 6 level-2 (DOMAIN.md): level-1 ≈ 0.12%. Level-2 covers outages and
 * lifts as well as hazards, so it is commoner among all reports than among
 * hazards: 8% is a plausible guess, not from the articles.
 */
export const REAL_LEVEL1_SHARE = 2 / 1614;
export const LEVEL2_SHARE = 0.08;

/** In the demo a level-1 event comes about this often (wall time, at the day's mean rate). */
export const DEMO_LEVEL1_EVERY_MS = 5 * 60_000;

/** Level-1 share giving one level-1 report every `everyMs` at the day's mean rate and this speed. */
export function level1ShareFor(speed: number, everyMs = DEMO_LEVEL1_EVERY_MS, dailyReports = DAILY_REPORTS): number {
  const perMs = (dailyReports * speed) / 86_400_000;
  return Math.min(0.5, Math.max(REAL_LEVEL1_SHARE, 1 / (perMs * everyMs)));
}

/** Default demo level-1 share: ≈ 1% at 30×, one every ~5 minutes by day. */
export const DEMO_LEVEL1_SHARE = level1ShareFor(DEMO_SPEED);

/**
 * Domain shares, plausible, not from the articles: livelihood complaints
 * (water, power, roads, rubbish) dominate, then city-management matters,
 * neighbourhood order, environment, and work safety (mostly in the parks).
 */
export const DOMAIN_SHARES: Record<Domain, number> = {
  livelihood: 0.35,
  law_enforcement: 0.25,
  public_order: 0.18,
  ecology: 0.12,
  work_safety: 0.1,
};

/**
 * Items the chat-group robot hears about: water, electricity, gas, roads
 * (水电气路). Level-1 ones are left out so chat keeps level-1 events rare.
 */
export const CHAT_ROBOT_ITEM_CODES = ['MS-04', 'MS-05', 'MS-06', 'MS-07', 'MS-09', 'MS-10', 'MS-11', 'MS-12'] as const;

export interface MixOptions {
  /** Share of level-1 reports (REAL_LEVEL1_SHARE for realism, DEMO_LEVEL1_SHARE for a demo). */
  level1Share: number;
}

export class ReportMix {
  private readonly levels: WeightedChoice<Level>;
  private readonly domainsByLevel = new Map<Level, WeightedChoice<Domain>>();
  private readonly itemsByPair = new Map<string, CatalogueItem[]>();
  private readonly channels: WeightedChoice<FeedChannel>;
  private readonly chatItems: CatalogueItem[];

  constructor(options: MixOptions, items: readonly CatalogueItem[] = CATALOGUE_ITEMS) {
    const p1 = options.level1Share;
    if (!(p1 >= 0 && p1 + LEVEL2_SHARE < 1)) throw new Error(`level1Share out of range: ${p1}`);
    this.levels = new WeightedChoice<Level>([1, 2, 3], [p1, LEVEL2_SHARE, 1 - p1 - LEVEL2_SHARE]);
    for (const item of items) {
      const key = `${item.level}/${item.domain}`;
      const list = this.itemsByPair.get(key) ?? [];
      list.push(item);
      this.itemsByPair.set(key, list);
    }
    for (const level of [1, 2, 3] as Level[]) {
      const domains = (Object.keys(DOMAIN_SHARES) as Domain[]).filter((d) => this.itemsByPair.has(`${level}/${d}`));
      this.domainsByLevel.set(level, new WeightedChoice(domains, domains.map((d) => DOMAIN_SHARES[d])));
    }
    this.channels = new WeightedChoice(FEED_CHANNELS, FEED_CHANNELS.map((c) => DAILY_REPORTS_BY_CHANNEL[c]));
    this.chatItems = items.filter((i) => (CHAT_ROBOT_ITEM_CODES as readonly string[]).includes(i.code));
  }

  /** An item by level, then domain, then uniformly among that pair's items. */
  item(rng: Rng): CatalogueItem {
    const level = this.levels.pick(rng);
    const domain = this.domainsByLevel.get(level)!.pick(rng);
    const list = this.itemsByPair.get(`${level}/${domain}`)!;
    return list[Math.floor(rng() * list.length)];
  }

  channel(rng: Rng): FeedChannel {
    return this.channels.pick(rng);
  }

  /** A channel and an item that fits it: the chat robot only hears about water, power, gas and roads. */
  report(rng: Rng): { channel: FeedChannel; item: CatalogueItem } {
    const channel = this.channel(rng);
    if (channel === 'chat_robot' && this.chatItems.length) {
      return { channel, item: this.chatItems[Math.floor(rng() * this.chatItems.length)] };
    }
    return { channel, item: this.item(rng) };
  }
}

/** A chat-group message about an item, in the words residents use (its keywords). */
export function chatMessageText(rng: Rng, item: CatalogueItem, place: string): string {
  const keyword = item.keywords[Math.floor(rng() * item.keywords.length)] ?? item.name;
  const templates = [
    `${place}这边${keyword}了，麻烦尽快来看看`,
    `请问${place}${keyword}的问题有人管吗？`,
    `${place}又${keyword}，已经好几个小时了`,
    `@网格员 ${place}${keyword}，${item.name}`,
  ];
  return templates[Math.floor(rng() * templates.length)];
}

/** A short description of an item for the report's text. */
export function reportDescription(rng: Rng, item: CatalogueItem, place: string): string {
  const openers = ['巡查发现', '群众反映', '现场核实', '接到报告'];
  return `${openers[Math.floor(rng() * openers.length)]}：${place}${item.name}（演示数据）`;
}
