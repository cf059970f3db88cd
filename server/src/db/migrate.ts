// Applies server/src/db/migrations/*.sql with postgrator. A session-level
// advisory lock makes a second server wait instead of migrating at the same
// time; each file is sent as one multi-statement query, which PostgreSQL runs
// in one implicit transaction, so a failed file leaves nothing half done.
import Postgrator from 'postgrator';
import pg from 'pg';
import { fileURLToPath } from 'node:url';

const MIGRATIONS_GLOB = fileURLToPath(new URL('./migrations/*.sql', import.meta.url));
/** Arbitrary, fixed: "grid" in ASCII. Shared by every server on this database. */
const MIGRATION_LOCK_KEY = 0x67726964;

export interface MigrationResult {
  applied: string[];
  version: number;
}

export async function migrate(databaseUrl: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const postgrator = new Postgrator({
      migrationPattern: MIGRATIONS_GLOB,
      driver: 'pg',
      database: client.database ?? '',
      schemaTable: 'schemaversion',
      execQuery: (query: string) => client.query(query),
    });
    const applied = await postgrator.migrate();
    const version = await postgrator.getDatabaseVersion();
    return { applied: applied.map((m) => m.filename.replace(/^.*\//, '')), version };
  } finally {
    // Closing the session releases the lock too; unlock explicitly for clarity.
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
