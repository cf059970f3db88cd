// The demo feed's reports between two moments: how many (rate by hour of day
// × speed-up), what (catalogue mix), through which channel, and where.
import type { CatalogueItem } from '../../../shared/schemas/catalogue.ts';
import { DAILY_REPORTS, expectedReports, type FeedChannel } from './feed-rate.ts';
import { ReportMix, chatMessageText, reportDescription } from './feed-mix.ts';
import { PlacePicker, type PlaceGrid } from './feed-place.ts';
import { poisson, type Rng } from './feed-random.ts';

export interface ReportDraft {
  channel: FeedChannel;
  item: CatalogueItem;
  grid: PlaceGrid;
  lon: number;
  lat: number;
  /** The report's text (for the chat robot: the group message itself). */
  text: string;
  /** Milliseconds since the epoch, spread evenly over the interval. */
  at: number;
}

export interface ReportModelOptions {
  speed: number;
  level1Share: number;
  dailyReports?: number;
  /** A flat rate instead of the day's curve (tests, load runs): reports per minute. */
  flatPerMinute?: number;
}

export class ReportModel {
  private readonly mix: ReportMix;
  private readonly places: PlacePicker;
  private readonly placeNames: Map<string, string>;

  constructor(grids: readonly (PlaceGrid & { name?: string })[], private readonly options: ReportModelOptions) {
    this.mix = new ReportMix({ level1Share: options.level1Share });
    this.places = new PlacePicker(grids);
    this.placeNames = new Map(grids.map((g) => [g.code, g.name ?? g.code]));
  }

  /** Expected number of reports in (fromMs, toMs]. */
  expected(fromMs: number, toMs: number): number {
    if (this.options.flatPerMinute !== undefined) return Math.max(0, toMs - fromMs) * (this.options.flatPerMinute / 60_000);
    return expectedReports(fromMs, toMs, this.options.speed, this.options.dailyReports ?? DAILY_REPORTS);
  }

  /** One report, as the mix and the map say. */
  draw(rng: Rng, at: number): ReportDraft {
    const { channel, item } = this.mix.report(rng);
    const { grid, lon, lat } = this.places.place(rng, item.domain);
    const placeName = this.placeNames.get(grid.code) ?? grid.code;
    const text = channel === 'chat_robot' ? chatMessageText(rng, item, placeName) : reportDescription(rng, item, placeName);
    return { channel, item, grid, lon, lat, text, at };
  }

  /** The reports of (fromMs, toMs]: a Poisson count at the interval's rate. */
  between(rng: Rng, fromMs: number, toMs: number): ReportDraft[] {
    const count = poisson(rng, this.expected(fromMs, toMs));
    return Array.from({ length: count }, (_, i) => this.draw(rng, Math.round(fromMs + ((i + 1) * (toMs - fromMs)) / (count + 1))));
  }
}
