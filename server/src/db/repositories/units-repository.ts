// Handling units (the dispatch issue grows this table and its use).
import type { Queryable } from './db.ts';

export interface HandlingUnit {
  code: string;
  name: string;
  nameEn: string;
  kind: 'government' | 'police' | 'utility' | 'property';
}

export async function upsertUnits(db: Queryable, units: HandlingUnit[]): Promise<void> {
  await db.query(`
    INSERT INTO handling_units (code, name, name_en, kind)
    SELECT code, name, "nameEn", kind FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, "nameEn" text, kind text)
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind`, [JSON.stringify(units)]);
}

export async function listUnits(db: Queryable): Promise<HandlingUnit[]> {
  const { rows } = await db.query<HandlingUnit>('SELECT code, name, name_en AS "nameEn", kind FROM handling_units ORDER BY code');
  return rows;
}

export async function unitExists(db: Queryable, code: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM handling_units WHERE code = $1', [code]);
  return (rowCount ?? 0) > 0;
}
