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
}

export const LIVE_DEFAULTS: LiveOptions = {
  reportRateLimitPerMinute: 60,
  changeRetentionHours: 72,
  pruneIntervalMs: 3600_000,
  cameraBatchMs: CAMERA_BATCH_INTERVAL_MS,
  pollMs: 1000,
};

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** REPORT_RATE_LIMIT_PER_MINUTE and CHANGE_RETENTION_HOURS over the defaults. */
export function liveOptionsFromEnv(env: NodeJS.ProcessEnv): LiveOptions {
  return {
    ...LIVE_DEFAULTS,
    reportRateLimitPerMinute: positiveInt(env, 'REPORT_RATE_LIMIT_PER_MINUTE', LIVE_DEFAULTS.reportRateLimitPerMinute),
    changeRetentionHours: positiveInt(env, 'CHANGE_RETENTION_HOURS', LIVE_DEFAULTS.changeRetentionHours),
  };
}
