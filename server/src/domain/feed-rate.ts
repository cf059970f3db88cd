// How many reports the demo feed files, and when: a district-wide daily
// volume shaped by the hour of day in Zhenjiang (China Standard Time).
//
// Daily volume for the New Area's ~110,300 households / 216,000 people
// (DOMAIN.md). The articles give no report counts except the chat robot's;
// the rest are plausible assumptions, stated here so they can be argued with:
//  - field: 1,781 center households + 3,256 information officers = 5,037
//    field members (DOMAIN.md); assume each files about one item a week
//    on patrol -> 5,037 / 7 ≈ 720 a day;
//  - 12345 hotline: assume 0.5 grid-relevant calls per 1,000 residents a day
//    -> 216,000 × 0.0005 ≈ 108 a day;
//  - public-opinion QR code: assume about half the hotline's volume -> 50;
//  - chat-group robot: "20+ a day in one district" (DOMAIN.md) -> 25.
// Together ≈ 900 reports a day, about 0.6 a minute on average.
import type { Channel } from '../../../shared/workflow.ts';

export const DAILY_REPORTS_BY_CHANNEL = {
  field: Math.round((1781 + 3256) / 7),
  hotline_12345: Math.round(216_000 * 0.0005),
  qr_code: 50,
  chat_robot: 25,
} as const satisfies Partial<Record<Channel, number>>;

export type FeedChannel = keyof typeof DAILY_REPORTS_BY_CHANNEL;
export const FEED_CHANNELS = Object.keys(DAILY_REPORTS_BY_CHANNEL) as FeedChannel[];

export const DAILY_REPORTS = Object.values(DAILY_REPORTS_BY_CHANNEL).reduce((a, b) => a + b, 0);

/**
 * Relative activity by local hour (0-23), plausible, not from the articles:
 * near silence at night, a morning peak when patrols start and offices open
 * (9-10h), a lunch dip, a second peak late in the afternoon (15-17h), a
 * quieter evening (residents' complaints: noise, parking). Normalised below
 * so the day's mean is 1.
 */
const RAW_HOURLY = [
  0.12, 0.08, 0.06, 0.06, 0.08, 0.15, // 0-5h
  0.4, 0.9, 1.6, 2.0, 1.9, 1.5, // 6-11h
  1.0, 1.1, 1.5, 1.8, 1.9, 1.6, // 12-17h
  1.1, 0.9, 0.8, 0.6, 0.35, 0.2, // 18-23h
];
const RAW_MEAN = RAW_HOURLY.reduce((a, b) => a + b, 0) / 24;
export const HOURLY_ACTIVITY: readonly number[] = RAW_HOURLY.map((v) => v / RAW_MEAN);

/** Zhenjiang keeps China Standard Time, UTC+8, no daylight saving. */
export const LOCAL_UTC_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Local hour of day as a fraction, 0 <= h < 24. */
export function localHour(timeMs: number): number {
  const msOfDay = (((timeMs + LOCAL_UTC_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return msOfDay / 3600_000;
}

/** Activity at a local hour, linear between hour midpoints so the rate has no steps. */
export function activityAt(hour: number): number {
  const x = hour - 0.5;
  const i = Math.floor(x);
  const t = x - i;
  const a = HOURLY_ACTIVITY[(i + 24) % 24];
  const b = HOURLY_ACTIVITY[(i + 1) % 24];
  return a + (b - a) * t;
}

/** Reports per millisecond at a moment, district-wide, times the demo speed-up. */
export function reportRatePerMs(timeMs: number, speed = 1, dailyReports = DAILY_REPORTS): number {
  return (dailyReports / DAY_MS) * activityAt(localHour(timeMs)) * speed;
}

/** Expected reports between two moments (midpoint rule; ticks are short next to an hour). */
export function expectedReports(fromMs: number, toMs: number, speed = 1, dailyReports = DAILY_REPORTS): number {
  if (toMs <= fromMs) return 0;
  return reportRatePerMs((fromMs + toMs) / 2, speed, dailyReports) * (toMs - fromMs);
}

/**
 * Default demo speed-up. At 30× the day's mean is ≈ 19 reports a minute (one
 * every ~3 s), ≈ 35 a minute at the morning peak and ≈ 1-2 a minute at 3 am:
 * a screen sees something every few seconds by day and the night stays quiet.
 */
export const DEMO_SPEED = 30;
