// Decorates the app with the incident services other features call
// (app.reports.file, app.incidents.update, ...) and runs change-log
// retention. Registered after auth (the field cipher, the clock) and the
// spatial index.
import fp from 'fastify-plugin';
import { createReportsService, type ReportsService } from '../services/reports-service.ts';
import { createIncidentsService, type IncidentsService } from '../services/incidents-service.ts';
import { inTransaction } from '../db/repositories/db.ts';
import type { LiveOptions } from './live-options.ts';
import type { StartTierTable } from '../domain/tiers.ts';

declare module 'fastify' {
  interface FastifyInstance {
    reports: ReportsService;
    incidents: IncidentsService;
    liveOptions: LiveOptions;
    /** Retention now: deletes changes older than changeRetentionHours; returns how many. */
    pruneChanges(now?: Date): Promise<number>;
  }
}

/** Plus the start-tier table, a dispatch setting (START_TIERS) the reports service applies. */
export default fp<LiveOptions & { startTiers?: StartTierTable }>(
  async (app, options) => {
    const clock = app.securityOptions.clock;
    app.decorate('liveOptions', options);
    app.decorate('reports', createReportsService({ db: app.db, repos: app.repos, spatial: app.spatial, cipher: app.fieldCipher, clock, startTiers: options.startTiers }));
    app.decorate('incidents', createIncidentsService({ db: app.db, repos: app.repos, cipher: app.fieldCipher, clock }));

    const prune = async (now = clock()) => {
      const before = new Date(now.getTime() - options.changeRetentionHours * 3600_000);
      const pruned = await inTransaction(app.db, (tx) => app.repos.changes.prune(tx, before));
      if (pruned) app.log.info({ pruned, before }, 'change log pruned');
      return pruned;
    };
    app.decorate('pruneChanges', prune);
    if (options.pruneIntervalMs > 0) {
      const timer = setInterval(() => {
        prune().catch((err: unknown) => app.log.error({ err }, 'change log retention failed'));
      }, options.pruneIntervalMs);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'live-services', dependencies: ['db', 'repositories', 'auth', 'spatial'] },
);
