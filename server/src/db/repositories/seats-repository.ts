// The seats of the three tiers (a view over the area tables, migration 006)
// and the officers who sit at each: active accounts whose duty role and
// scope put them there (liaison -> community, town_duty -> town,
// district_duty -> the New Area).
import type { Tier } from '../../../../shared/workflow.ts';
import type { Seat } from '../../domain/tiers.ts';
import type { Queryable } from './db.ts';

export interface SeatRow extends Seat {
  name: string;
  nameEn: string;
}

export async function findSeat(db: Queryable, key: string): Promise<SeatRow | null> {
  const { rows } = await db.query<{ key: string; tier: Tier; town_code: string | null; community_code: string | null; name: string; name_en: string }>(
    'SELECT key, tier, town_code, community_code, name, name_en FROM seats WHERE key = $1', [key]);
  const r = rows[0];
  return r ? { key: r.key, tier: r.tier, townCode: r.town_code, communityCode: r.community_code, name: r.name, nameEn: r.name_en } : null;
}

/** Usernames of the active officers of a seat. */
export async function seatOfficers(db: Queryable, seat: Seat): Promise<string[]> {
  const { rows } = await db.query<{ username: string }>(`
    SELECT username FROM users
    WHERE NOT disabled AND (
      ($1 = 'district' AND role = 'district_duty') OR
      ($1 = 'town' AND role = 'town_duty' AND town_code = $2) OR
      ($1 = 'community' AND role = 'liaison' AND community_code = $3))
    ORDER BY username`, [seat.tier, seat.townCode, seat.communityCode]);
  return rows.map((r) => r.username);
}
