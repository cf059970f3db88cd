// The live layer's settings from the environment: defaults, and a clear refusal of a bad value.
import { describe, expect, it } from 'vitest';
import { LIVE_DEFAULTS, liveOptionsFromEnv } from '../src/realtime/live-options.ts';

describe('liveOptionsFromEnv', () => {
  it('takes the defaults when nothing is set, and the values set', () => {
    expect(liveOptionsFromEnv({})).toEqual(LIVE_DEFAULTS);
    expect(LIVE_DEFAULTS.pushGapMs).toBe(20);
    expect(liveOptionsFromEnv({ PUSH_GAP_MS: '0', CHANGE_RETENTION_HOURS: '24', REPORT_RATE_LIMIT_PER_MINUTE: '10' }))
      .toMatchObject({ pushGapMs: 0, changeRetentionHours: 24, reportRateLimitPerMinute: 10 });
  });

  it('refuses a value out of range or not a whole number, naming the setting', () => {
    expect(() => liveOptionsFromEnv({ PUSH_GAP_MS: '-1' })).toThrow('PUSH_GAP_MS must be an integer from 0 to 1000, got "-1"');
    expect(() => liveOptionsFromEnv({ PUSH_GAP_MS: '2000' })).toThrow(/PUSH_GAP_MS/);
    expect(() => liveOptionsFromEnv({ PUSH_GAP_MS: '5ms' })).toThrow(/PUSH_GAP_MS/);
    expect(() => liveOptionsFromEnv({ CHANGE_RETENTION_HOURS: '0' })).toThrow(/CHANGE_RETENTION_HOURS must be a positive integer/);
  });
});
