// Builds the Fastify app: plugins in load order (errors/docs, database,
// repositories, data, services), then the routes. Not listening: tests use
// app.inject, start.ts listens. Callers may register more before ready().
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import ajvFormats from 'ajv-formats';
import { DEFAULT_DATA_FILE } from './config.ts';
import errorsPlugin from './plugins/errors.ts';
import swaggerPlugin from './plugins/swagger.ts';
import dbPlugin from './plugins/db.ts';
import repositoriesPlugin from './plugins/repositories.ts';
import datasetPlugin from './plugins/dataset.ts';
import spatialPlugin from './plugins/spatial.ts';
import responseCachePlugin from './plugins/response-cache.ts';
import staticPlugin from './plugins/static.ts';
import securityPlugin from './plugins/security.ts';
import authPlugin from './plugins/auth.ts';
import auditPlugin from './plugins/audit.ts';
import { QuietRequestLog } from './plugins/request-log.ts';
import { SECURITY_DEFAULTS, type SecurityOptions } from './security-config.ts';
import { newFieldKey } from './domain/field-crypto.ts';
import townsRoutes from './routes/towns/index.ts';
import communitiesRoutes from './routes/communities/index.ts';
import gridsRoutes from './routes/grids/index.ts';
import stationsRoutes from './routes/stations/index.ts';
import camerasRoutes from './routes/cameras/index.ts';
import sensorsRoutes from './routes/sensors/index.ts';
import basemapRoutes from './routes/basemap/index.ts';
import catalogueRoutes from './routes/catalogue/index.ts';
import healthRoutes from './routes/health/index.ts';
import locateRoutes from './routes/locate/index.ts';
import authRoutes from './routes/auth/index.ts';
import adminRoutes from './routes/admin/index.ts';
import auditRoutes from './routes/audit/index.ts';
import staffRoutes from './routes/staff/index.ts';
import liveServicesPlugin from './realtime/live-services.ts';
import realtimePlugin from './plugins/realtime.ts';
import { socketCommandsPlugin } from './realtime/commands.ts';
import { liveOptionsFromEnv, type LiveOptions } from './realtime/live-options.ts';
import reportsRoutes from './routes/reports/index.ts';
import incidentsRoutes from './routes/incidents/index.ts';
import incidentExportRoutes from './routes/incident-export/index.ts';
import { dispatchOptionsFromEnv, dispatchPlugin, type DispatchOptions } from './services/dispatch-service.ts';
import { slaTimerPlugin } from './services/sla-timer-service.ts';
import actionsRoutes from './routes/actions/index.ts';
import queuesRoutes from './routes/queues/index.ts';
import figuresRoutes from './routes/figures/index.ts';
import rosterRoutes from './routes/roster/index.ts';
import changesRoutes from './routes/changes/index.ts';
import statsRoutes from './routes/stats/index.ts';
import integrationKeysRoutes from './routes/integration-keys/index.ts';
import { alertsOptionsFromEnv, alertsPlugin, type AlertsOptions } from './services/alerts-service.ts';
import { devicesOptionsFromEnv, devicesPlugin, type DevicesOptions } from './services/devices-service.ts';
import devicesRoutes from './routes/devices/index.ts';
import alertsRoutes from './routes/alerts/index.ts';
import incidentCamerasRoutes from './routes/incident-cameras/index.ts';
import intakeRoutes from './routes/intake/index.ts';
import open311Routes, { OPEN311_PREFIX } from './routes/open311/index.ts';
import { withRedactedApiKeys } from './services/integration-keys-service.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const formatsPlugin = (ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats;

export const API_PREFIX = '/api/v1';

export interface BuildAppOptions {
  databaseUrl: string;
  /** Defaults to data/generated/newarea.json. */
  dataFile?: string;
  /** Fastify logger options; false (quiet) by default so tests stay readable. */
  logger?: FastifyServerOptions['logger'];
  /** Directory of the front-end build; false to serve the API only. Defaults to dist/client. */
  clientDir?: string | false;
  /**
   * Accounts, sessions, demo mode, field key (security-config.ts). Demo mode is
   * off unless asked for; without a fieldKey an ephemeral one is made (tests).
   */
  security?: Partial<SecurityOptions>;
  /** Live operations (rate limit, retention, camera batching); defaults from the environment (realtime/live-options.ts). */
  live?: Partial<LiveOptions>;
  /** SLA table, escalation factor and sweep interval (0 = no timer; tests call app.slaTimer.sweep()) (services/dispatch-service.ts). */
  dispatch?: Partial<DispatchOptions>;
  /** Heartbeat silence, sweep, fire episodes; defaults from the environment (services/devices-service.ts). */
  devices?: Partial<DevicesOptions>;
  /** Alert rules and their timers; defaults from the environment (services/alerts-service.ts). */
  alerts?: Partial<AlertsOptions>;
}

export async function buildApp(options: BuildAppOptions) {
  const app = Fastify({
    // Open311 keys may arrive as ?api_key=: the request log line must not carry them.
    logger: withRedactedApiKeys(options.logger ?? false),
    // Requests are logged at info only when they fail (5xx) or are slow; every one at debug (plugins/request-log.ts).
    logController: new QuietRequestLog(),
    // Demo mode hashes ~450 passwords while the auth plugin starts: on a busy machine that outlasts the 10 s default.
    pluginTimeout: 120_000,
    ajv: {
      // Reject unknown parameters (400) instead of Fastify's default of silently dropping them.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true },
      // (ajv-formats types against its own copy of Ajv, hence the cast.)
      plugins: [formatsPlugin as unknown as NonNullable<NonNullable<FastifyServerOptions['ajv']>['plugins']>[number]],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const security: SecurityOptions = { ...SECURITY_DEFAULTS, demo: false, fieldKey: options.security?.fieldKey ?? newFieldKey(), ...options.security };

  await app.register(errorsPlugin);
  // Before every route: headers, rate-limit machinery, default body limit.
  await app.register(securityPlugin, { bodyLimitBytes: security.bodyLimitBytes });
  await app.register(swaggerPlugin);
  await app.register(dbPlugin, { databaseUrl: options.databaseUrl });
  await app.register(repositoriesPlugin);
  await app.register(datasetPlugin, { dataFile: options.dataFile ?? DEFAULT_DATA_FILE });
  // Sessions and the one hook that guards every /api/v1 route (see plugins/auth.ts).
  await app.register(authPlugin, security);
  await app.register(auditPlugin);
  await app.register(spatialPlugin);
  await app.register(responseCachePlugin);
  // Incidents, change log and Socket.IO (issue 4).
  const live: LiveOptions = { ...liveOptionsFromEnv(process.env), ...options.live };
  // The start-tier table is a dispatch setting, applied where reports are filed.
  const dispatch: DispatchOptions = { ...dispatchOptionsFromEnv(process.env), ...options.dispatch };
  await app.register(liveServicesPlugin, { ...live, startTiers: dispatch.startTiers });
  await app.register(realtimePlugin, live);
  // Dispatch and escalation: the workflow on top of the incidents service, and the SLA timer (issue 6).
  await app.register(dispatchPlugin, dispatch);
  await app.register(slaTimerPlugin);
  // Workflow actions as socket commands (incident:act), through the same dispatch service.
  await app.register(socketCommandsPlugin);
  // Alert engine, then devices (a fire alarm raises an alert) (issue 4).
  await app.register(alertsPlugin, { ...alertsOptionsFromEnv(process.env), ...options.alerts });
  await app.register(devicesPlugin, { ...devicesOptionsFromEnv(process.env), ...options.devices });

  await app.register(async (api) => {
    await api.register(townsRoutes);
    await api.register(communitiesRoutes);
    await api.register(gridsRoutes);
    await api.register(stationsRoutes);
    await api.register(camerasRoutes);
    await api.register(sensorsRoutes);
    await api.register(basemapRoutes);
    await api.register(catalogueRoutes);
    await api.register(healthRoutes);
    await api.register(locateRoutes);
    await api.register(authRoutes);
    await api.register(adminRoutes);
    await api.register(auditRoutes);
    await api.register(staffRoutes);
    await api.register(reportsRoutes);
    await api.register(incidentsRoutes);
    await api.register(incidentExportRoutes);
    await api.register(actionsRoutes);
    await api.register(queuesRoutes);
    await api.register(figuresRoutes);
    await api.register(rosterRoutes);
    await api.register(changesRoutes);
    await api.register(statsRoutes);
    await api.register(integrationKeysRoutes);
    await api.register(devicesRoutes);
    await api.register(alertsRoutes);
    await api.register(incidentCamerasRoutes);
    await api.register(intakeRoutes);
  }, { prefix: API_PREFIX });

  // Open311 GeoReport v2: outside /api/v1, its own body parser and error format (routes/open311).
  await app.register(open311Routes, { prefix: OPEN311_PREFIX });

  if (options.clientDir !== false) await app.register(staticPlugin, { root: options.clientDir });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
