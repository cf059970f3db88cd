// A server restart under a live wall screen: the indicator leaves "live"
// (reconnecting, then offline if it lasts), and when the server is back the
// screen reconnects, catches up through the change log and shows exactly
// the server's state. Runs its own product (the suite's shared one must not
// go down), on one port across the restart, with its own PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import type { Browser } from 'playwright-core';
import type { GridCollection } from '../shared/schemas/geo.ts';
import type { IncidentList } from '../shared/schemas/incident.ts';
import { CATALOGUE_ITEMS } from '../shared/catalogue.ts';
import { OPEN_STATUSES } from '../shared/workflow.ts';
import { startProduct, type RunningProduct } from '../server/src/start.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../server/src/db/embedded.ts';
import { launchBrowser, type MapPage } from './browser.ts';
import { apiGet, apiSignIn, incidentIdsOnMap, openKioskScreen, postReport, screenShot } from './screen-page.ts';

const PASSWORD = 'Restart-Demo@2026!';
const ITEM = CATALOGUE_ITEMS.find((i) => i.level === 3)!;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let dir: string;
let postgres: RunningPostgres;
let port: number;
let product: RunningProduct | null = null;
let browser: Browser;
let screen: MapPage | null = null;

function start(): Promise<RunningProduct> {
  return startProduct({
    port, host: '127.0.0.1', databaseUrl: postgres.url,
    security: { demo: true, demoPassword: PASSWORD, loginRateLimitPerMinute: 10_000 },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcc-e2e-restart-'));
  postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), port: await freePort() });
  port = await freePort();
  product = await start();
  browser = await launchBrowser();
});

afterAll(async () => {
  await screen?.page.context().close();
  await browser?.close();
  await product?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the big screen across a server restart', () => {
  it('goes from live to reconnecting and back to live, caught up with everything filed meanwhile', async () => {
    const baseUrl = product!.url;
    const kioskToken = (await product!.app.accounts.issueDemoKioskToken())!;
    let reporter = await apiSignIn(baseUrl, 'duty.district', PASSWORD);
    const grids = await apiGet<GridCollection>(baseUrl, reporter, '/api/v1/grids?kind=comprehensive');
    const spot = (n: number) => {
      const [lon, lat] = pointOnFeature(grids.features[(n * 7) % grids.features.length] as never).geometry.coordinates;
      return { lon, lat };
    };
    const before = await postReport(baseUrl, reporter, { itemCode: ITEM.code, ...spot(0) });

    screen = await openKioskScreen(browser, baseUrl, kioskToken);
    const { page } = screen;
    await expect.poll(() => incidentIdsOnMap(page), { timeout: 30_000 }).toContain(before.id);

    const layerBefore = await page.evaluate(() => ({ ...window.__incidentLayer! }));
    await product!.close();
    product = null;
    await page.waitForSelector('[data-testid="connection"]:not([data-phase="live"])', { timeout: 60_000 });
    expect(['reconnecting', 'offline', 'connecting']).toContain(await page.getAttribute('[data-testid="connection"]', 'data-phase'));
    await screenShot(page, 'screen-reconnecting');

    // Back on the same port and database; reports filed at once, before the screen is back.
    product = await start();
    reporter = await apiSignIn(baseUrl, 'duty.district', PASSWORD);
    const filed = [];
    for (let n = 1; n <= 5; n++) filed.push(await postReport(baseUrl, reporter, { itemCode: ITEM.code, ...spot(n) }));

    await page.waitForSelector('[data-testid="big-screen"][data-connection="live"]', { timeout: 90_000 });
    for (const incident of filed) {
      await expect.poll(() => incidentIdsOnMap(page), { timeout: 30_000 }).toContain(incident.id);
    }
    await page.waitForSelector(`[data-testid="ticker-${filed[4].id}"]`, { timeout: 30_000 });

    // Exactly the server's state: the open incidents on the map are the server's open incidents.
    const list = await apiGet<IncidentList>(baseUrl, reporter, '/api/v1/incidents?limit=500');
    const open = list.incidents.filter((i) => (OPEN_STATUSES as readonly string[]).includes(i.status)).map((i) => i.id).sort();
    expect((await incidentIdsOnMap(page)).sort()).toEqual(open);
    const feed = await page.evaluate(() => ({ recovered: window.__screenFeed!.recovered(), lastSeq: window.__screenFeed!.lastSeq(), layer: window.__incidentLayer! }));
    console.info(`[screen e2e] after the restart: caught up to seq ${feed.lastSeq}, ${feed.recovered} changes recovered from the log`);
    // The map was not rebuilt for it: the catch-up came as diffs, not a new snapshot.
    expect(feed.layer.setData).toBe(layerBefore.setData);
    expect(feed.layer.updateData).toBeGreaterThan(layerBefore.updateData);
    await screenShot(page, 'screen-after-restart');
  });
});
