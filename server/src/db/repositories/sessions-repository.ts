// Server-side sessions. The cookie carries a random token; the table keeps
// its sha256, so reading the table does not let anyone sign in.
import type { Queryable } from './db.ts';

export interface SessionRecord {
  id: string;
  userId: number | null;
  kioskTokenId: number | null;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
}

export interface NewSession {
  id: string;
  tokenHash: string;
  userId: number | null;
  kioskTokenId: number | null;
  sourceIp: string | null;
  userAgent: string | null;
}

const COLUMNS = `id::text AS id, user_id::int AS "userId", kiosk_token_id::int AS "kioskTokenId",
  created_at AS "createdAt", last_seen_at AS "lastSeenAt", ended_at AS "endedAt"`;

export async function insertSession(db: Queryable, s: NewSession, now: Date): Promise<void> {
  await db.query(`
    INSERT INTO sessions (id, token_hash, user_id, kiosk_token_id, created_at, last_seen_at, source_ip, user_agent)
    VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
  [s.id, s.tokenHash, s.userId, s.kioskTokenId, now, s.sourceIp, s.userAgent?.slice(0, 300) ?? null]);
}

export async function findSessionByTokenHash(db: Queryable, tokenHash: string): Promise<SessionRecord | undefined> {
  const { rows } = await db.query<SessionRecord>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = $1`, [tokenHash]);
  return rows[0];
}

export async function findSessionById(db: Queryable, id: string): Promise<SessionRecord | undefined> {
  const { rows } = await db.query<SessionRecord>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1`, [id]);
  return rows[0];
}

export async function touchSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL', [id, now]);
}

/** Ends one session; returns whether it was still open (so "ended" is announced once). */
export async function endSession(db: Queryable, id: string, reason: string, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE sessions SET ended_at = $3, end_reason = $2 WHERE id = $1 AND ended_at IS NULL', [id, reason, now]);
  return (result.rowCount ?? 0) > 0;
}

/** Ends every open session of a user (optionally but one); returns the ids ended. */
export async function endUserSessions(db: Queryable, userId: number, reason: string, now: Date, exceptId?: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`
    UPDATE sessions SET ended_at = $3, end_reason = $2
    WHERE user_id = $1 AND ended_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)
    RETURNING id::text AS id`, [userId, reason, now, exceptId ?? null]);
  return rows.map((r) => r.id);
}

export async function endKioskSessions(db: Queryable, kioskTokenId: number, reason: string, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`
    UPDATE sessions SET ended_at = $3, end_reason = $2
    WHERE kiosk_token_id = $1 AND ended_at IS NULL RETURNING id::text AS id`, [kioskTokenId, reason, now]);
  return rows.map((r) => r.id);
}

/**
 * Ends user sessions that went idle or outlived their lifetime (kiosk sessions
 * end only with their token); returns the ids, so open sockets can be dropped.
 */
export async function endStaleSessions(db: Queryable, now: Date, idleMs: number, absoluteMs: number): Promise<{ id: string; userId: number; reason: string }[]> {
  // Password-signed-in kiosk screens do not idle out (nobody clicks a wall display); they still expire.
  const { rows } = await db.query<{ id: string; userId: number; reason: string }>(`
    UPDATE sessions s SET ended_at = $1,
      end_reason = CASE WHEN $3 > 0 AND s.created_at <= $1::timestamptz - make_interval(secs => $3 / 1000.0) THEN 'expired' ELSE 'idle' END
    FROM users u
    WHERE u.id = s.user_id AND s.ended_at IS NULL AND (
      ($2 > 0 AND u.role <> 'kiosk' AND s.last_seen_at <= $1::timestamptz - make_interval(secs => $2 / 1000.0)) OR
      ($3 > 0 AND s.created_at <= $1::timestamptz - make_interval(secs => $3 / 1000.0)))
    RETURNING s.id::text AS id, s.user_id::int AS "userId", s.end_reason AS reason`, [now, idleMs, absoluteMs]);
  return rows;
}

/**
 * Deletes sessions that ended at or before `endedBefore`: an ended session is
 * useless (its token no longer signs anyone in), and who signed in and out
 * stays in the audit log. Returns how many rows went.
 */
export async function purgeEndedSessions(db: Queryable, endedBefore: Date): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at <= $1', [endedBefore]);
  return result.rowCount ?? 0;
}
