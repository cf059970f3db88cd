// The duty roster (值班表): weekly shifts per seat (migration 006).
import type { Shift as ShiftRow } from '../../../../shared/schemas/dispatch.ts';
import type { Shift } from '../../domain/duty-roster.ts';
import type { Queryable } from './db.ts';

interface Raw { id: string; seat_key: string; username: string; display_name: string; weekdays: number[]; start_time: string; end_time: string }

const toRow = (r: Raw): ShiftRow => ({
  id: Number(r.id), seatKey: r.seat_key, username: r.username, displayName: r.display_name, weekdays: r.weekdays, start: r.start_time, end: r.end_time,
});

/** The shifts of these seats, of accounts still active. */
export async function listShifts(db: Queryable, seatKeys: string[]): Promise<ShiftRow[]> {
  const { rows } = await db.query<Raw>(`
    SELECT s.id, s.seat_key, u.username, u.display_name, s.weekdays, s.start_time, s.end_time
    FROM duty_shifts s JOIN users u ON u.id = s.user_id
    WHERE s.seat_key = ANY($1::text[]) AND NOT u.disabled
    ORDER BY s.seat_key, s.start_time, u.username, s.id`, [seatKeys]);
  return rows.map(toRow);
}

/** As the domain's onDuty() takes them. */
export function toDomainShifts(rows: ShiftRow[]): Shift[] {
  return rows.map((r) => ({ seatKey: r.seatKey, username: r.username, weekdays: r.weekdays, start: r.start, end: r.end }));
}

export async function insertShift(
  db: Queryable, s: { seatKey: string; userId: number; weekdays: number[]; start: string; end: string; createdBy: number | null; at: Date },
): Promise<ShiftRow> {
  const { rows } = await db.query<{ id: string }>(`
    INSERT INTO duty_shifts (seat_key, user_id, weekdays, start_time, end_time, created_by, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, [s.seatKey, s.userId, [...s.weekdays].sort((a, b) => a - b), s.start, s.end, s.createdBy, s.at]);
  const [row] = await listShiftById(db, Number(rows[0]!.id));
  return row!;
}

async function listShiftById(db: Queryable, id: number): Promise<ShiftRow[]> {
  const { rows } = await db.query<Raw>(`
    SELECT s.id, s.seat_key, u.username, u.display_name, s.weekdays, s.start_time, s.end_time
    FROM duty_shifts s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, [id]);
  return rows.map(toRow);
}

export async function findShift(db: Queryable, id: number): Promise<ShiftRow | null> {
  return (await listShiftById(db, id))[0] ?? null;
}

export async function deleteShift(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM duty_shifts WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}
