// Accounts. The scope is stored as level + codes and handed out as a Scope;
// password hashes and TOTP secrets never leave this module except to the
// sign-in service that checks them.
import type { Role, Scope } from '../../../../shared/schemas/auth.ts';
import { PASSWORD_HISTORY_SIZE } from '../../domain/password-policy.ts';
import { inTransaction, type Queryable } from './db.ts';
import type pg from 'pg';

/**
 * Runs `work` atomically: on a pool, in a transaction of its own; on a client
 * (already inside the caller's transaction, see repos.transaction), as part of it.
 */
function atomically<T>(db: Queryable, work: (client: Queryable) => Promise<T>): Promise<T> {
  return 'release' in db ? work(db) : inTransaction(db as pg.Pool, work);
}

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  unitCode: string | null;
  gridCode: string | null;
  passwordHash: string;
  passwordChangedAt: Date;
  mustChangePassword: boolean;
  totpSecretEnc: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  disabled: boolean;
  demo: boolean;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  unitCode?: string | null;
  gridCode?: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  demo?: boolean;
}

const USER_COLUMNS = `
  u.id::int AS id, u.username, u.display_name AS "displayName", u.role,
  u.scope_level AS "scopeLevel", u.town_code AS "townCode", u.community_code AS "communityCode",
  u.unit_code AS "unitCode", u.grid_code AS "gridCode", u.password_hash AS "passwordHash",
  u.password_changed_at AS "passwordChangedAt", u.must_change_password AS "mustChangePassword",
  u.totp_secret_enc AS "totpSecretEnc", u.totp_enabled AS "totpEnabled", u.totp_last_step::float8 AS "totpLastStep",
  u.failed_attempts AS "failedAttempts", u.locked_until AS "lockedUntil", u.disabled, u.demo, u.created_at AS "createdAt"`;

/** Builds a Scope from the level + codes columns any scoped table has. */
export function scopeFromRow(row: { scopeLevel: string; townCode: string | null; communityCode: string | null }): Scope {
  if (row.scopeLevel === 'town') return { level: 'town', townCode: row.townCode! };
  if (row.scopeLevel === 'community') return { level: 'community', townCode: row.townCode!, communityCode: row.communityCode! };
  return { level: 'district' };
}

export function scopeColumns(scope: Scope): [string, string | null, string | null] {
  return [
    scope.level,
    scope.level === 'district' ? null : scope.townCode,
    scope.level === 'community' ? scope.communityCode : null,
  ];
}

type UserRow = Omit<UserRecord, 'scope'> & { scopeLevel: string; townCode: string | null; communityCode: string | null };

function toUser(row: UserRow): UserRecord {
  const { scopeLevel, townCode, communityCode, ...rest } = row;
  return { ...rest, scope: scopeFromRow({ scopeLevel, townCode, communityCode }) };
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = $1`, [username]);
  return rows[0] && toUser(rows[0]);
}

export async function findUserById(db: Queryable, id: number): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

export async function listUsers(db: Queryable): Promise<UserRecord[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`);
  return rows.map(toUser);
}

/**
 * When each account last signed in, from the audit log's successful
 * `auth.login` rows (sessions are purged once ended; the log is kept): one
 * grouped read for the whole account list, by the log's action index.
 */
export async function lastSignIns(db: Queryable): Promise<Map<number, Date>> {
  const { rows } = await db.query<{ id: string; at: Date }>(`
    SELECT target_id AS id, max(at) AS at FROM audit_log
    WHERE action = 'auth.login' AND result = 'success' AND target_type = 'account' AND target_id IS NOT NULL
    GROUP BY target_id`);
  return new Map(rows.map((r) => [Number(r.id), r.at]));
}

export async function listUsernames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ username: string }>('SELECT username FROM users ORDER BY username');
  return rows.map((r) => r.username);
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0].n;
}

/** Inserts accounts in one statement; existing usernames are left untouched (demo seeding is idempotent). */
export async function insertUsers(db: Queryable, users: NewUser[], now: Date): Promise<number> {
  if (users.length === 0) return 0;
  const rows = users.map((u) => {
    const [scopeLevel, townCode, communityCode] = scopeColumns(u.scope);
    return {
      username: u.username, displayName: u.displayName, role: u.role, scopeLevel, townCode, communityCode,
      unitCode: u.unitCode ?? null, gridCode: u.gridCode ?? null, passwordHash: u.passwordHash,
      mustChange: u.mustChangePassword, demo: u.demo ?? false,
    };
  });
  const result = await db.query(`
    INSERT INTO users (username, display_name, role, scope_level, town_code, community_code, unit_code, grid_code,
      password_hash, password_changed_at, must_change_password, demo)
    SELECT username, "displayName", role, "scopeLevel", "townCode", "communityCode", "unitCode", "gridCode",
      "passwordHash", $2, "mustChange", demo
    FROM jsonb_to_recordset($1::jsonb) AS x(username text, "displayName" text, role text, "scopeLevel" text,
      "townCode" text, "communityCode" text, "unitCode" text, "gridCode" text, "passwordHash" text,
      "mustChange" boolean, demo boolean)
    ON CONFLICT (username) DO NOTHING`, [JSON.stringify(rows), now]);
  return result.rowCount ?? 0;
}

/** One account; undefined when the username is taken. */
export async function createUser(db: Queryable, user: NewUser, now: Date): Promise<UserRecord | undefined> {
  return atomically(db, async (client) => {
    const inserted = await insertUsers(client, [user], now);
    if (!inserted) return undefined;
    const created = (await findUserByUsername(client, user.username))!;
    await client.query('INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)',
      [created.id, user.passwordHash, now]);
    return created;
  });
}

/** Counts a failed sign-in; locks when the count reaches the limit. Atomic, so parallel guesses cannot skip the lock. */
export async function recordFailedSignIn(db: Queryable, id: number, now: Date, maxFailures: number, lockMs: number): Promise<void> {
  await db.query(`
    UPDATE users SET
      failed_attempts = CASE WHEN failed_attempts + 1 >= $3 THEN 0 ELSE failed_attempts + 1 END,
      locked_until = CASE WHEN failed_attempts + 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4 / 1000.0) ELSE locked_until END
    WHERE id = $1`, [id, now, maxFailures, lockMs]);
}

export async function recordSuccessfulSignIn(db: Queryable, id: number, totpStep: number | null): Promise<void> {
  await db.query(`
    UPDATE users SET failed_attempts = 0, locked_until = NULL,
      totp_last_step = COALESCE($2, totp_last_step)
    WHERE id = $1`, [id, totpStep]);
}

export async function passwordHistory(db: Queryable, id: number): Promise<string[]> {
  const { rows } = await db.query<{ passwordHash: string }>(`
    SELECT password_hash AS "passwordHash" FROM password_history WHERE user_id = $1
    ORDER BY id DESC LIMIT $2`, [id, PASSWORD_HISTORY_SIZE]);
  return rows.map((r) => r.passwordHash);
}

/** Sets a new password hash, remembers it, and keeps only the last few in the history. */
export async function setPassword(db: Queryable, id: number, hash: string, mustChange: boolean, now: Date): Promise<void> {
  await atomically(db, async (client) => {
    await client.query(`
      UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = $4, updated_at = $3
      WHERE id = $1`, [id, hash, now, mustChange]);
    await client.query('INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)', [id, hash, now]);
    await client.query(`
      DELETE FROM password_history WHERE user_id = $1 AND id NOT IN (
        SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`, [id, PASSWORD_HISTORY_SIZE]);
  });
}

/** Replaces the hash without touching the password's age or history (a cost upgrade of the same password). */
export async function upgradePasswordHash(db: Queryable, id: number, hash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, hash]);
}

export async function setGrant(db: Queryable, id: number, grant: { role: Role; scope: Scope; unitCode: string | null; gridCode: string | null }, now: Date): Promise<void> {
  const [scopeLevel, townCode, communityCode] = scopeColumns(grant.scope);
  await db.query(`
    UPDATE users SET role = $2, scope_level = $3, town_code = $4, community_code = $5, unit_code = $6, grid_code = $7, updated_at = $8
    WHERE id = $1`, [id, grant.role, scopeLevel, townCode, communityCode, grant.unitCode, grant.gridCode, now]);
}

export async function setDisabled(db: Queryable, id: number, disabled: boolean, now: Date): Promise<void> {
  await db.query('UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1', [id, disabled, now]);
}

export async function unlock(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = $2 WHERE id = $1', [id, now]);
}

/** Stores a pending (not yet confirmed) TOTP secret, or clears TOTP when null. */
export async function setTotp(db: Queryable, id: number, secretEnc: string | null, enabled: boolean, lastStep: number | null, now: Date): Promise<void> {
  await db.query(`
    UPDATE users SET totp_secret_enc = $2, totp_enabled = $3, totp_last_step = $4, updated_at = $5 WHERE id = $1`,
  [id, secretEnc, enabled, lastStep, now]);
}
