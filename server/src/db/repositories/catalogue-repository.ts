// The catalogue of reportable items (shared/catalogue.ts) mirrored into the
// database so later features can join on item codes, domains and levels.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Catalogue, CatalogueItem, DomainInfo, TimeLimit } from '../../../../shared/schemas/catalogue.ts';
import { inTransaction, type Queryable } from './db.ts';
import { storedVersion } from './dataset-repository.ts';

export const CATALOGUE_DATASET = 'catalogue';
const LOAD_LOCK_KEY = 0x63617461;

/** Content hash, like the data file's version: reload only when the catalogue changed. */
export function catalogueVersion(catalogue: Catalogue): string {
  return createHash('sha256').update(JSON.stringify(catalogue)).digest('hex').slice(0, 16);
}

export async function loadCatalogue(pool: pg.Pool, catalogue: Catalogue): Promise<{ loaded: boolean; version: string }> {
  const version = catalogueVersion(catalogue);
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOAD_LOCK_KEY]);
    if ((await storedVersion(client, CATALOGUE_DATASET)) === version) return { loaded: false, version };
    await client.query(`
      INSERT INTO catalogue_domains (code, name, name_en, position)
      SELECT code, name, "nameEn", position FROM jsonb_to_recordset($1::jsonb)
        AS x(code text, name text, "nameEn" text, position int)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, position = EXCLUDED.position`,
      [JSON.stringify(catalogue.domains.map((d, position) => ({ ...d, position })))]);
    await client.query(`
      INSERT INTO catalogue_time_limits (level, response_minutes, resolution_hours)
      SELECT level, "responseMinutes", "resolutionHours" FROM jsonb_to_recordset($1::jsonb)
        AS x(level int, "responseMinutes" int, "resolutionHours" int)
      ON CONFLICT (level) DO UPDATE SET response_minutes = EXCLUDED.response_minutes,
        resolution_hours = EXCLUDED.resolution_hours`,
      [JSON.stringify(catalogue.timeLimits)]);
    await client.query(`
      INSERT INTO catalogue_items (code, name, name_en, domain_code, level, keywords, position)
      SELECT code, name, "nameEn", domain, level, ARRAY(SELECT jsonb_array_elements_text(keywords)), position
      FROM jsonb_to_recordset($1::jsonb)
        AS x(code text, name text, "nameEn" text, domain text, level int, keywords jsonb, position int)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en,
        domain_code = EXCLUDED.domain_code, level = EXCLUDED.level, keywords = EXCLUDED.keywords,
        position = EXCLUDED.position`,
      [JSON.stringify(catalogue.items.map((item, position) => ({ ...item, position })))]);
    await client.query('DELETE FROM catalogue_items WHERE NOT (code = ANY($1::text[]))', [catalogue.items.map((i) => i.code)]);
    await client.query('DELETE FROM catalogue_domains WHERE NOT (code = ANY($1::text[]))', [catalogue.domains.map((d) => d.code)]);
    await client.query('DELETE FROM catalogue_time_limits WHERE NOT (level = ANY($1::int[]))', [catalogue.timeLimits.map((t) => t.level)]);
    await client.query(`
      INSERT INTO dataset (name, version, source) VALUES ($1, $2, 'shared/catalogue.ts')
      ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source, loaded_at = now()`,
      [CATALOGUE_DATASET, version]);
    return { loaded: true, version };
  });
}

/** The catalogue as stored, in its original order. */
export async function readCatalogue(db: Queryable): Promise<Catalogue> {
  const [domains, timeLimits, items] = await Promise.all([
    db.query<DomainInfo>('SELECT code, name, name_en AS "nameEn" FROM catalogue_domains ORDER BY position'),
    db.query<TimeLimit>(`SELECT level, response_minutes AS "responseMinutes", resolution_hours AS "resolutionHours"
      FROM catalogue_time_limits ORDER BY level`),
    db.query<CatalogueItem>(`SELECT code, name, name_en AS "nameEn", domain_code AS domain, level, keywords
      FROM catalogue_items ORDER BY position`),
  ]);
  return { domains: domains.rows, timeLimits: timeLimits.rows, items: items.rows };
}
