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
}

export async function buildApp(options: BuildAppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: {
      // Reject unknown parameters (400) instead of Fastify's default of silently dropping them.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true },
      // (ajv-formats types against its own copy of Ajv, hence the cast.)
      plugins: [formatsPlugin as unknown as NonNullable<NonNullable<FastifyServerOptions['ajv']>['plugins']>[number]],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errorsPlugin);
  await app.register(swaggerPlugin);
  await app.register(dbPlugin, { databaseUrl: options.databaseUrl });
  await app.register(repositoriesPlugin);
  await app.register(datasetPlugin, { dataFile: options.dataFile ?? DEFAULT_DATA_FILE });
  await app.register(spatialPlugin);
  await app.register(responseCachePlugin);

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
  }, { prefix: API_PREFIX });

  if (options.clientDir !== false) await app.register(staticPlugin, { root: options.clientDir });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
