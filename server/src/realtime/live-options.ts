// Settings of the live layer, from the environment (start-up) or given by a
// test / benchmark to buildApp({ live }).
import { ConfigError } from '../config.ts';
import { CAMERA_BATCH_INTERVAL_MS } from '../../../shared/realtime.ts';

export interface LiveOptions {
  /** Reports per signed-in account per minute (POST /api/v1/reports). */
  reportRateLimitPerMinute: number;
  /** How long the change log keeps changes (a client further behind reloads a snapshot). */
  changeRetentionHours: number;
  /** How often retention runs; 0 = never (tests call prune themselves). */
  pruneIntervalMs: number;
  /** Merged camera batches go out at most this often, per room. */
  cameraBatchMs: number;
  /** Safety poll of the change log, besides LISTEN/NOTIFY. */
  pollMs: number;
  /**
   * Reads of the log on notification start at least this far apart (0: at every notification). Each read is one
   * websocket write to every screen that gets something; under a burst the commits come every few milliseconds.
   */
  pushGapMs: number;
}

export const LIVE_DEFAULTS: LiveOptions = {
  reportRateLimitPerMinute: 60,
  changeRetentionHours: 72,
  pruneIntervalMs: 3600_000,
  cameraBatchMs: CAMERA_BATCH_INTERVAL_MS,
  pollMs: 1000,
  pushGapMs: 20,
};

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function boundedInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** REPORT_RATE_LIMIT_PER_MINUTE, CHANGE_RETENTION_HOURS and PUSH_GAP_MS over the defaults. */
export function liveOptionsFromEnv(env: NodeJS.ProcessEnv): LiveOptions {
  return {
    ...LIVE_DEFAULTS,
    reportRateLimitPerMinute: positiveInt(env, 'REPORT_RATE_LIMIT_PER_MINUTE', LIVE_DEFAULTS.reportRateLimitPerMinute),
    changeRetentionHours: positiveInt(env, 'CHANGE_RETENTION_HOURS', LIVE_DEFAULTS.changeRetentionHours),
    pushGapMs: boundedInt(env, 'PUSH_GAP_MS', LIVE_DEFAULTS.pushGapMs, 0, 1000),
  };
}
