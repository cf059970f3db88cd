// Integration keys (migration 005): issued for one scope and one channel,
// optionally expiring, revocable. Only the key's sha256 is kept.
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Channel } from '../../../../shared/workflow.ts';
import type { Queryable } from './db.ts';
import { scopeColumns, scopeFromRow } from './users-repository.ts';

export interface IntegrationKeyRecord {
  id: number;
  name: string;
  channel: Channel;
  scope: Scope;
  hint: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewIntegrationKey {
  name: string;
  keyHash: string;
  hint: string;
  channel: Channel;
  scope: Scope;
  createdBy: number;
  expiresAt: Date | null;
}

type Row = Omit<IntegrationKeyRecord, 'scope'> & { scopeLevel: string; townCode: string | null; communityCode: string | null };

const SELECT = `
  SELECT k.id::int AS id, k.name, k.channel, k.hint, k.scope_level AS "scopeLevel", k.town_code AS "townCode",
    k.community_code AS "communityCode", u.username AS "createdBy", k.created_at AS "createdAt", k.expires_at AS "expiresAt",
    k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt"
  FROM integration_keys k JOIN users u ON u.id = k.created_by`;

function toRecord({ scopeLevel, townCode, communityCode, ...rest }: Row): IntegrationKeyRecord {
  return { ...rest, scope: scopeFromRow({ scopeLevel, townCode, communityCode }) };
}

export async function insertIntegrationKey(db: Queryable, k: NewIntegrationKey, now: Date): Promise<IntegrationKeyRecord> {
  const [level, town, community] = scopeColumns(k.scope);
  const { rows } = await db.query<{ id: number }>(`
    INSERT INTO integration_keys (name, key_hash, hint, channel, scope_level, town_code, community_code, created_by, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::int AS id`,
  [k.name, k.keyHash, k.hint, k.channel, level, town, community, k.createdBy, now, k.expiresAt]);
  return (await findIntegrationKey(db, rows[0].id))!;
}

export async function findIntegrationKey(db: Queryable, id: number): Promise<IntegrationKeyRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE k.id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** The key behind a hash whatever its state (the service tells revoked and expired apart for the audit log). */
export async function findIntegrationKeyByHash(db: Queryable, keyHash: string): Promise<IntegrationKeyRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE k.key_hash = $1`, [keyHash]);
  return rows[0] && toRecord(rows[0]);
}

export async function listIntegrationKeys(db: Queryable): Promise<IntegrationKeyRecord[]> {
  const { rows } = await db.query<Row>(`${SELECT} ORDER BY k.id`);
  return rows.map(toRecord);
}

export async function revokeIntegrationKey(db: Queryable, id: number, by: number, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE integration_keys SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [id, by, now]);
  return (result.rowCount ?? 0) > 0;
}

export async function touchIntegrationKey(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE integration_keys SET last_used_at = $2 WHERE id = $1', [id, now]);
}

/** Bound to one pool: what createRepositories() puts under `integrationKeys`. */
export function bindIntegrationKeys(db: Queryable) {
  return {
    insert: (k: NewIntegrationKey, now: Date) => insertIntegrationKey(db, k, now),
    byId: (id: number) => findIntegrationKey(db, id),
    byHash: (hash: string) => findIntegrationKeyByHash(db, hash),
    list: () => listIntegrationKeys(db),
    revoke: (id: number, by: number, now: Date) => revokeIntegrationKey(db, id, by, now),
    touch: (id: number, now: Date) => touchIntegrationKey(db, id, now),
  };
}
