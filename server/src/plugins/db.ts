// The PostgreSQL pool, after the migrations have run. Closed with the app.
import fp from 'fastify-plugin';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: pg.Pool;
  }
}

export interface DbPluginOptions {
  databaseUrl: string;
}

export default fp<DbPluginOptions>(
  async (app, { databaseUrl }) => {
    const { applied, version } = await migrate(databaseUrl);
    app.log.info({ applied, schemaVersion: version }, applied.length ? 'database migrated' : 'database schema up to date');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle client can fail (database restart); pg emits it on the pool and would crash the process otherwise.
    pool.on('error', (err) => app.log.error({ err }, 'idle PostgreSQL client failed'));
    app.decorate('db', pool);
    app.addHook('onClose', async () => {
      await pool.end();
    });
  },
  { name: 'db' },
);
