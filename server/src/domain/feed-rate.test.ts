import { describe, expect, it } from 'vitest';
import {
  DAILY_REPORTS, DEMO_SPEED, HOURLY_ACTIVITY, activityAt, expectedReports, localHour, reportRatePerMs,
} from './feed-rate.ts';

const DAY_MS = 86_400_000;
/** 2026-11-30 00:00 in Zhenjiang (UTC+8) is 2026-11-29 16:00 UTC. */
const LOCAL_MIDNIGHT = Date.UTC(2026, 10, 29, 16);
const at = (hour: number) => LOCAL_MIDNIGHT + hour * 3600_000;

describe('feed rate by hour of day', () => {
  it('derives a district-wide daily volume of about 900 reports from the field teams, hotline, QR code and chat robot', () => {
    expect(DAILY_REPORTS).toBeGreaterThan(800);
    expect(DAILY_REPORTS).toBeLessThan(1000);
  });

  it('reads the hour in China Standard Time', () => {
    expect(localHour(Date.UTC(2026, 10, 30, 1, 30))).toBeCloseTo(9.5);
    expect(localHour(Date.UTC(2026, 10, 30, 16))).toBeCloseTo(0);
  });

  it('is normalised: the activity averages 1 over the day, so a day files the daily volume', () => {
    expect(HOURLY_ACTIVITY.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 10);
    // Summed in small ticks the same, as the runner does it.
    let sum = 0;
    for (let t = LOCAL_MIDNIGHT; t < LOCAL_MIDNIGHT + DAY_MS; t += 60_000) sum += expectedReports(t, t + 60_000, 1);
    expect(sum).toBeCloseTo(DAILY_REPORTS, 0);
  });

  it('is quiet at night and peaks in the morning and late afternoon', () => {
    const rate = (h: number) => reportRatePerMs(at(h));
    const night = Math.max(rate(1.5), rate(2.5), rate(3.5), rate(4.5));
    expect(night * 10).toBeLessThan(rate(9.5));
    expect(rate(9.5)).toBeGreaterThan(rate(12.5)); // lunch dip
    expect(rate(16)).toBeGreaterThan(rate(12.5));
    expect(rate(16)).toBeGreaterThan(rate(20));
    const hours = Array.from({ length: 24 }, (_, h) => h + 0.5);
    const top = [...hours].sort((a, b) => rate(b) - rate(a)).slice(0, 4);
    for (const h of top) expect((h >= 8 && h <= 11) || (h >= 15 && h <= 18)).toBe(true);
  });

  it('has no steps between hours', () => {
    for (let h = 0; h < 24; h += 0.01) expect(Math.abs(activityAt(h + 0.01) - activityAt(h))).toBeLessThan(0.02);
    expect(activityAt(23.99)).toBeCloseTo(activityAt(0), 1);
  });

  it('scales with the demo speed-up: a report every few seconds by day', () => {
    const perMinute = (h: number) => reportRatePerMs(at(h), DEMO_SPEED) * 60_000;
    expect(perMinute(10)).toBeGreaterThan(20);
    expect(perMinute(15)).toBeGreaterThan(15);
    expect(perMinute(3)).toBeLessThan(3);
    expect(reportRatePerMs(at(10), 5)).toBeCloseTo(5 * reportRatePerMs(at(10), 1), 12);
  });
});
