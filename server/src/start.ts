// The whole product in one call: embedded PostgreSQL (unless a databaseUrl is
// given), the app, listening. Used by main.ts and by end-to-end tests.
import type { FastifyServerOptions } from 'fastify';
import { buildApp, type App } from './app.ts';
import { DEFAULT_DATA_FILE, DEFAULT_PG_DATA_DIR, DEFAULT_PG_PORT } from './config.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './db/embedded.ts';
import type { SecurityOptions } from './security-config.ts';
import { startDemoFeed, type FeedOptions, type RunningFeed } from './simulator/demo-feed.ts';

export interface StartOptions {
  /** 0 picks a free port. Defaults to 8080. */
  port?: number;
  host?: string;
  /** An external PostgreSQL; without it the embedded one starts under pgDataDir. */
  databaseUrl?: string;
  pgDataDir?: string;
  /** Preferred port of the embedded PostgreSQL. */
  pgPort?: number;
  dataFile?: string;
  clientDir?: string | false;
  logger?: FastifyServerOptions['logger'];
  /** Demo mode, field key, session limits (security-config.ts); demo mode is off unless asked for. */
  security?: Partial<SecurityOptions>;
  /**
   * The demo feed (simulator/), started after listen and stopped before close;
   * it signs in as the demo accounts, so it runs only in demo mode. Off unless given.
   */
  feed?: Partial<Omit<FeedOptions, 'baseUrl' | 'dataFile' | 'password'>> | false;
}

export interface RunningProduct {
  /** e.g. http://localhost:8080/ */
  url: string;
  app: App;
  /** The demo feed, when it runs. */
  feed?: RunningFeed;
  /** Stops the demo feed, closes the app (connections drained), then stops the embedded PostgreSQL. */
  close(): Promise<void>;
}

export async function startProduct(options: StartOptions = {}): Promise<RunningProduct> {
  let postgres: RunningPostgres | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({
      dataDir: options.pgDataDir ?? DEFAULT_PG_DATA_DIR,
      port: options.pgPort ?? DEFAULT_PG_PORT,
      onNotice: (message) => console.warn(`[embedded PostgreSQL] ${message}`),
    });
    databaseUrl = postgres.url;
  }

  let app: App | undefined;
  try {
    app = await buildApp({ databaseUrl, dataFile: options.dataFile, logger: options.logger, clientDir: options.clientDir, security: options.security });
    const host = options.host ?? '0.0.0.0';
    await app.listen({ port: options.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const started = app;
    let feed: RunningFeed | undefined;
    if (options.feed && app.securityOptions.demo) {
      // Through the public API like any client: over loopback to the port just opened.
      const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      // The feed is a demo aid: if it cannot start, the product still runs.
      feed = await startDemoFeed({
        ...options.feed, baseUrl: `http://${loopback}:${port}/`, dataFile: options.dataFile ?? DEFAULT_DATA_FILE,
        password: app.securityOptions.demoPassword, logger: options.feed.logger ?? app.log,
      }).catch((err: unknown) => {
        started.log.error({ err }, 'demo feed could not start; the product runs without it');
        return undefined;
      });
    } else if (options.feed) {
      app.log.warn('demo feed not started: it signs in as the demo accounts, which exist only in demo mode (DEMO=1)');
    }
    let closing: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${port}/`,
      app: started,
      feed,
      close: () =>
        (closing ??= (async () => {
          try {
            await feed?.stop();
            await started.close();
          } finally {
            await postgres?.stop();
          }
        })()),
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await postgres?.stop();
    throw err;
  }
}
