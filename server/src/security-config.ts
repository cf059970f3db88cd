// Security settings from the environment (demo mode, field key, session and
// lockout limits), validated once at start like config.ts. Kept apart from
// config.ts so the product's other settings stay short.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, ROOT_DIR } from './config.ts';
import { newFieldKey, parseFieldKey } from './domain/field-crypto.ts';

export const DEFAULT_DEMO_PASSWORD = 'Demo@2026!';
export const DEFAULT_FIELD_KEY_FILE = resolve(ROOT_DIR, 'var/field.key');

export interface SecurityOptions {
  /** Seeds one account per role and scope with demoPassword; never on in production. */
  demo: boolean;
  demoPassword: string;
  /** 32-byte master key for field encryption (and derived MAC keys). */
  fieldKey: Buffer;
  idleTimeoutMs: number;
  sessionMaxMs: number;
  maxFailedSignIns: number;
  lockoutMs: number;
  passwordMaxAgeDays: number;
  /** Secure cookies: on behind TLS (the deployment's job), off for plain-HTTP localhost. */
  cookieSecure: boolean;
  /** Sign-in attempts per source address per minute. */
  loginRateLimitPerMinute: number;
  /** Default request body limit for every route. */
  bodyLimitBytes: number;
  /** How often idle sessions are ended (and their sockets told); 0 = only on use. */
  sweepIntervalMs: number;
  /** The time rules are judged by; tests move it instead of waiting. */
  clock: () => Date;
}

export const SECURITY_DEFAULTS: Omit<SecurityOptions, 'fieldKey' | 'demo'> = {
  demoPassword: DEFAULT_DEMO_PASSWORD,
  idleTimeoutMs: 30 * 60_000,
  sessionMaxMs: 12 * 3600_000,
  maxFailedSignIns: 5,
  lockoutMs: 15 * 60_000,
  passwordMaxAgeDays: 90,
  cookieSecure: false,
  loginRateLimitPerMinute: 20,
  bodyLimitBytes: 64 * 1024,
  sweepIntervalMs: 60_000,
  clock: () => new Date(),
};

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw);
}

/** The key in the file, or a new one written there (mode 0600) on first use. */
export async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  if (existsSync(path)) return parseFieldKey(await readFile(path, 'utf8'));
  const key = newFieldKey();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return key;
}

export interface LoadSecurityContext {
  /** True when the embedded PostgreSQL is used (no DATABASE_URL): a local key file is acceptable. */
  embedded: boolean;
  keyFile?: string;
}

export async function loadSecurityConfig(env: NodeJS.ProcessEnv, context: LoadSecurityContext): Promise<SecurityOptions> {
  const demo = flag(env, 'DEMO', true);
  const demoPassword = env.DEMO_PASSWORD?.length ? env.DEMO_PASSWORD : DEFAULT_DEMO_PASSWORD;
  let fieldKey: Buffer;
  if (env.FIELD_KEY?.trim()) {
    try {
      fieldKey = parseFieldKey(env.FIELD_KEY);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  } else if (demo || context.embedded) {
    fieldKey = await loadOrCreateKeyFile(context.keyFile ?? DEFAULT_FIELD_KEY_FILE);
  } else {
    throw new ConfigError('FIELD_KEY is required outside demo mode with an external database (openssl rand -base64 32); keep it outside the database and its backups');
  }
  return {
    ...SECURITY_DEFAULTS,
    demo,
    demoPassword,
    fieldKey,
    idleTimeoutMs: positiveInt(env, 'SESSION_IDLE_MINUTES', 30) * 60_000,
    sessionMaxMs: positiveInt(env, 'SESSION_MAX_HOURS', 12) * 3600_000,
    maxFailedSignIns: positiveInt(env, 'LOCKOUT_ATTEMPTS', 5),
    lockoutMs: positiveInt(env, 'LOCKOUT_MINUTES', 15) * 60_000,
    passwordMaxAgeDays: positiveInt(env, 'PASSWORD_MAX_AGE_DAYS', 90),
    cookieSecure: flag(env, 'COOKIE_SECURE', false),
    loginRateLimitPerMinute: positiveInt(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 20),
  };
}
