// Grid staff as personal data: listed only within the caller's scope (the
// scope is part of the SQL), phone numbers stored encrypted.
import type { Scope, StaffMember } from '../../../../shared/schemas/auth.ts';
import { scopeSql } from '../../domain/scope.ts';
import type { Queryable } from './db.ts';

export interface StaffFilter {
  town?: string;
  community?: string;
  grid?: string;
  limit: number;
}

export type StaffRow = Omit<StaffMember, 'phone'> & { phoneEnc: string | null };

export async function listStaffInScope(db: Queryable, scope: Scope, filter: StaffFilter): Promise<StaffRow[]> {
  const scoped = scopeSql(scope, 'g', 5);
  const { rows } = await db.query<StaffRow>(`
    SELECT s.code, s.name, s.role, s.grid_code AS "gridCode", g.community_code AS "communityCode",
      g.town_code AS "townCode", s.households, s.phone_enc AS "phoneEnc"
    FROM staff s JOIN grids g ON g.code = s.grid_code
    WHERE ($1::text IS NULL OR g.town_code = $1)
      AND ($2::text IS NULL OR g.community_code = $2)
      AND ($3::text IS NULL OR g.code = $3)
      AND ${scoped.sql}
    ORDER BY s.code
    LIMIT $4`,
  [filter.town ?? null, filter.community ?? null, filter.grid ?? null, filter.limit, ...scoped.params]);
  return rows;
}

/** Codes of staff without a phone on file (demo seeding fills them). */
export async function staffWithoutPhone(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>('SELECT code FROM staff WHERE phone_enc IS NULL ORDER BY code');
  return rows.map((r) => r.code);
}

export async function setStaffPhones(db: Queryable, phones: { code: string; phoneEnc: string; phoneHash: string }[]): Promise<void> {
  if (phones.length === 0) return;
  await db.query(`
    UPDATE staff s SET phone_enc = x."phoneEnc", phone_hash = x."phoneHash"
    FROM jsonb_to_recordset($1::jsonb) AS x(code text, "phoneEnc" text, "phoneHash" text)
    WHERE s.code = x.code`, [JSON.stringify(phones)]);
}

/** Exact lookup by phone number through its keyed hash: the number itself is never compared in clear. */
export async function findStaffCodesByPhoneHash(db: Queryable, phoneHash: string): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>('SELECT code FROM staff WHERE phone_hash = $1 ORDER BY code', [phoneHash]);
  return rows.map((r) => r.code);
}
