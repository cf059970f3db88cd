// Process lifecycle only: configuration, start, print where to look, and a
// graceful stop on SIGINT/SIGTERM/SIGHUP (app closed first, then the database).
//
// libuv's thread pool (4 threads by default) runs both the scrypt password
// hashes and @fastify/static's file reads: when the demo feed's officers all
// sign in at start, page loads queued behind their hashes. `npm start` and
// `npm run serve` therefore start this process with UV_THREADPOOL_SIZE=8
// unless the user set it (package.json). It cannot be set here: libuv reads it
// once, when the pool is first used, and tsx's module loader has used it
// before this file runs (setting process.env at the top was measured to have
// no effect). Started another way, the process gets libuv's default of 4.
import { ConfigError, loadConfig } from './config.ts';
import { startProduct } from './start.ts';
import { loadSecurityConfig } from './security-config.ts';
import { demoBanner } from './services/demo-banner.ts';

/** A stuck close must not keep a container from stopping forever. */
const SHUTDOWN_TIMEOUT_MS = 20_000;
/** A repeated signal within this time is the same request to stop. */
const FORCE_AFTER_MS = 1_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const security = await loadSecurityConfig(process.env, { embedded: !config.databaseUrl });
  const product = await startProduct({
    port: config.port,
    host: config.host,
    databaseUrl: config.databaseUrl,
    pgDataDir: config.pgDataDir,
    pgPort: config.pgPort,
    dataFile: config.dataFile,
    logger: { level: config.logLevel },
    security,
    // The demo feed: on in demo mode unless DEMO_FEED=off or --no-feed (`npm start -- --no-feed`).
    feed: (config.feed.enabled ?? security.demo) && !process.argv.includes('--no-feed') ? { speed: config.feed.speed } : false,
  });
  // Signals are handled before the URL is printed: a supervisor (or a test) that stops the product as soon as
  // it sees the URL must get the graceful stop, not the default exit (the demo's kiosk token is still being made then).
  let stoppingSince = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince) {
      // npm/tsx relay the terminal's Ctrl+C, so one press can arrive twice at once:
      // only a later, deliberate second signal skips the graceful close.
      if (Date.now() - stoppingSince > FORCE_AFTER_MS) {
        console.error(`${signal} again: exiting now`);
        process.exit(1);
      }
      return;
    }
    stoppingSince = Date.now();
    product.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      console.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    product.close().then(
      () => {
        console.log('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('error while shutting down:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop); // the terminal closed: stop the database too, not leave it orphaned
  const { url } = product;
  console.log(`\n  控制台 / Console:   ${url}\n  大屏 / Big screen:  ${url}#/screen\n  API docs:          ${url}api/docs\n  Database:          ${config.databaseUrl ? 'external (DATABASE_URL)' : `embedded, ${config.pgDataDir}`}\n`);
  if (security.demo) {
    // A wall screen a newcomer can open at once: /?kiosk=TOKEN, landing on the big-screen route.
    // Asked to stop meanwhile, the closing database may refuse the token: the stop goes on, no banner.
    const kioskToken = await product.app.accounts.issueDemoKioskToken().catch((err: unknown) => {
      if (stoppingSince) return null;
      throw err;
    });
    if (!stoppingSince) console.log(demoBanner(security.demoPassword, kioskToken ? `${url}?kiosk=${kioskToken}#/screen` : null));
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
