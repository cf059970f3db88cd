// The PostgreSQL pool, after the migrations have run. Closed with the app.
import fp from 'fastify-plugin';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: pg.Pool;
  }
}

/** Connections to PostgreSQL of one server process. */
export const POOL_SIZE = 10;

export interface DbPluginOptions {
  databaseUrl: string;
}

export default fp<DbPluginOptions>(
  async (app, { databaseUrl }) => {
    const { applied, version } = await migrate(databaseUrl);
    app.log.info({ applied, schemaVersion: version }, applied.length ? 'database migrated' : 'database schema up to date');
    // Connections once opened stay open (min = max): pg closed those idle for 10 s, and under load that comes and
    // goes the next burst opened new ones, each a new PostgreSQL backend whose first statements run on cold caches.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE, min: POOL_SIZE });
    // An idle client can fail (database restart); pg emits it on the pool and would crash the process otherwise.
    pool.on('error', (err) => app.log.error({ err }, 'idle PostgreSQL client failed'));
    app.decorate('db', pool);
    app.addHook('onClose', async () => {
      await pool.end();
    });
  },
  { name: 'db' },
);
