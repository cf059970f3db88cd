// Kiosk tokens: issued by an administrator for one scope, revocable. Only
// the token's sha256 is kept.
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Queryable } from './db.ts';
import { scopeColumns, scopeFromRow } from './users-repository.ts';

export interface KioskTokenRecord {
  id: number;
  name: string;
  scope: Scope;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

type Row = Omit<KioskTokenRecord, 'scope'> & { scopeLevel: string; townCode: string | null; communityCode: string | null };

const SELECT = `
  SELECT k.id::int AS id, k.name, k.scope_level AS "scopeLevel", k.town_code AS "townCode", k.community_code AS "communityCode",
    u.username AS "createdBy", k.created_at AS "createdAt", k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt"
  FROM kiosk_tokens k JOIN users u ON u.id = k.created_by`;

function toRecord({ scopeLevel, townCode, communityCode, ...rest }: Row): KioskTokenRecord {
  return { ...rest, scope: scopeFromRow({ scopeLevel, townCode, communityCode }) };
}

export async function insertKioskToken(db: Queryable, t: { name: string; tokenHash: string; scope: Scope; createdBy: number }, now: Date): Promise<KioskTokenRecord> {
  const [level, town, community] = scopeColumns(t.scope);
  const { rows } = await db.query<{ id: number }>(`
    INSERT INTO kiosk_tokens (name, token_hash, scope_level, town_code, community_code, created_by, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`, [t.name, t.tokenHash, level, town, community, t.createdBy, now]);
  return (await findKioskToken(db, rows[0].id))!;
}

export async function findKioskToken(db: Queryable, id: number): Promise<KioskTokenRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE k.id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** The token behind a hash, if it has not been revoked. */
export async function findActiveKioskToken(db: Queryable, tokenHash: string): Promise<KioskTokenRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE k.token_hash = $1 AND k.revoked_at IS NULL`, [tokenHash]);
  return rows[0] && toRecord(rows[0]);
}

export async function listKioskTokens(db: Queryable): Promise<KioskTokenRecord[]> {
  const { rows } = await db.query<Row>(`${SELECT} ORDER BY k.id`);
  return rows.map(toRecord);
}

export async function revokeKioskToken(db: Queryable, id: number, by: number, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE kiosk_tokens SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [id, by, now]);
  return (result.rowCount ?? 0) > 0;
}

export async function touchKioskToken(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE kiosk_tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
}
