// Environment -> typed configuration, validated once at start so a typo in
// an env var fails loudly with the variable's name instead of deep inside.
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { DEMO_SPEED } from './domain/feed-rate.ts';

/** The repository root: paths in the config are relative to it, not to the shell's cwd. */
export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** An external PostgreSQL; unset means the embedded one. */
  databaseUrl?: string;
  pgDataDir: string;
  /** Preferred port of the embedded PostgreSQL; a free one is picked if it is taken. */
  pgPort: number;
  dataFile: string;
  logLevel: LogLevel;
  /** The demo feed (server/src/simulator): on with demo mode unless DEMO_FEED=off; DEMO_FEED_SPEED its speed-up. */
  feed: { enabled: boolean | undefined; speed: number; officers: boolean };
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_DATA_FILE = resolve(ROOT_DIR, 'data/generated/newarea.json');
export const DEFAULT_PG_DATA_DIR = resolve(ROOT_DIR, 'var/pgdata');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} must be a port number 0-65535, got "${raw}"`);
  }
  return value;
}

function parsePath(raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw.trim() === '') return fallback;
  return isAbsolute(raw) ? raw : resolve(process.cwd(), raw);
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

/** Default speed-up of the demo feed's report rate (domain/feed-rate.ts says why 30). */
export const DEFAULT_FEED_SPEED = DEMO_SPEED;

/** DEMO_FEED: unset follows demo mode; on/off (1/0, true/false, yes/no) decide. */
function parseFeed(env: NodeJS.ProcessEnv): Config['feed'] {
  const raw = env.DEMO_FEED?.trim().toLowerCase();
  let enabled: boolean | undefined;
  if (raw === undefined || raw === '') enabled = undefined;
  else if (['1', 'on', 'true', 'yes'].includes(raw)) enabled = true;
  else if (['0', 'off', 'false', 'no'].includes(raw)) enabled = false;
  else throw new ConfigError(`DEMO_FEED must be on or off, got "${env.DEMO_FEED}"`);
  const rawSpeed = env.DEMO_FEED_SPEED?.trim();
  const speed = rawSpeed ? Number(rawSpeed) : DEFAULT_FEED_SPEED;
  if (!Number.isFinite(speed) || speed <= 0 || speed > 100_000) {
    throw new ConfigError(`DEMO_FEED_SPEED must be a number above 0 (30 = thirty times real life), got "${env.DEMO_FEED_SPEED}"`);
  }
  return { enabled, speed, officers: parseOfficers(env) };
}

/** DEMO_OFFICERS: the feed's simulated duty officers work the queue unless off (so a person can). */
export function parseOfficers(env: NodeJS.ProcessEnv): boolean {
  const raw = env.DEMO_OFFICERS?.trim().toLowerCase();
  if (raw === undefined || raw === '' || ['1', 'on', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'off', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`DEMO_OFFICERS must be on or off, got "${env.DEMO_OFFICERS}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const host = env.HOST?.trim() || '0.0.0.0';
  return {
    port: parsePort('PORT', env.PORT, DEFAULT_PORT),
    host,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    pgDataDir: parsePath(env.PG_DATA_DIR, DEFAULT_PG_DATA_DIR),
    pgPort: parsePort('PG_PORT', env.PG_PORT, DEFAULT_PG_PORT),
    dataFile: parsePath(env.DATA_FILE, DEFAULT_DATA_FILE),
    logLevel,
    feed: parseFeed(env),
  };
}
