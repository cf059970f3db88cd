// The integration-center wall (#/screen) in real Chromium against the real
// product: grids and live markers drawn, a report posted through the API
// reaching the map and the ticker, a level-1 report taking over every screen
// and flying the map, an acknowledgement on one screen clearing the others,
// both languages, and the stage scaled to any display.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import type { Browser } from 'playwright-core';
import type { GridCollection } from '../shared/schemas/geo.ts';
import type { AlertList } from '../shared/schemas/alert.ts';
import { CATALOGUE_ITEMS } from '../shared/catalogue.ts';
import { LAYER } from '../client/src/map/layer-ids.ts';
import { zhCN } from '../client/src/i18n/zh-CN.ts';
import { en } from '../client/src/i18n/en.ts';
import { foreignRequests, launchBrowser, type MapPage } from './browser.ts';
import { newTrackedPage, submitLoginForm } from './sign-in.ts';
import { apiGet, apiSignIn, incidentIdsOnMap, openKioskScreen, openOfficerScreen, postReport, screenShot, type ApiClient } from './screen-page.ts';

const baseUrl = inject('baseUrl');
const kioskToken = inject('kioskToken');
const demoPassword = inject('demoPassword');
const TOWN = '321171001';
const LEVEL3 = CATALOGUE_ITEMS.find((i) => i.level === 3)!;
const LEVEL1 = CATALOGUE_ITEMS.find((i) => i.level === 1 && i.domain === 'public_order')!;

// Loading the map in software WebGL is slow on a busy machine: generous per-test limits.
const SLOW_MS = 360_000;

let browser: Browser;
let reporter: ApiClient;
/** One wall screen for the whole file (opening one costs the whole district's geometry in software GL). */
let wall: MapPage;
let spots: { lon: number; lat: number }[];
let spotIndex = 0;
const open: MapPage[] = [];

/** A point inside a comprehensive grid of TOWN; a different grid each call. */
function nextSpot(): { lon: number; lat: number } {
  return spots[spotIndex++ % spots.length];
}

async function track(screen: Promise<MapPage>): Promise<MapPage> {
  const opened = await screen;
  open.push(opened);
  return opened;
}

beforeAll(async () => {
  browser = await launchBrowser();
  reporter = await apiSignIn(baseUrl, 'duty.district', demoPassword);
  const grids = await apiGet<GridCollection>(baseUrl, reporter, `/api/v1/grids?town=${TOWN}&kind=comprehensive`);
  spots = grids.features.map((g) => {
    const [lon, lat] = pointOnFeature(g as never).geometry.coordinates;
    return { lon, lat };
  });
  wall = await openKioskScreen(browser, baseUrl, kioskToken);
}, SLOW_MS);

function checkClean({ requests, errors }: MapPage): void {
  // Nothing from outside the machine, and no failures hidden in the console.
  expect(foreignRequests(requests, baseUrl)).toEqual([]);
  expect(errors).toEqual([]);
}

afterEach(async () => {
  for (const screen of open.splice(0)) {
    await screen.page.context().close();
    checkClean(screen);
  }
  if (wall) checkClean(wall);
});

afterAll(async () => {
  await wall?.page.context().close();
  await browser?.close();
});

describe('the big screen', () => {
  it('draws the grids and live markers; a report posted through the API reaches the map and the ticker', async () => {
    const { page } = wall;
    expect(await page.textContent('[data-testid="screen-title"]')).toBe(zhCN.screen.title);
    expect(await page.textContent('[data-testid="connection"]')).toContain(zhCN.screen.connection.live);
    const grids = await page.evaluate((layers) => window.__gridMap!.queryRenderedFeatures({ layers }).length, [LAYER.gridComprehensive, LAYER.gridEnterprise]);
    expect(grids).toBeGreaterThan(0);

    const layerBefore = await page.evaluate(() => ({ ...window.__incidentLayer! }));
    const posted = Date.now();
    const incident = await postReport(baseUrl, reporter, { itemCode: LEVEL3.code, ...nextSpot() });
    await expect.poll(() => incidentIdsOnMap(page), { timeout: 30_000, interval: 100 }).toContain(incident.id);
    await page.waitForSelector(`[data-testid="ticker-${incident.id}"]`, { timeout: 30_000 });
    // Reported, not asserted: speed goals belong in bench/ (the issue asks for under 2 s).
    console.info(`[screen e2e] report on map and ticker ${Date.now() - posted} ms after POST`);
    expect(await page.textContent(`[data-testid="ticker-${incident.id}"]`)).toContain(LEVEL3.name);

    // Drawn, not only held: a marker or a cluster is rendered.
    await page.waitForFunction((layers) => window.__gridMap!.queryRenderedFeatures({ layers }).length > 0, [LAYER.incidentPoints, LAYER.incidentClusters]);
    // Fed by a diff: the source was not set again (setData is for a snapshot only), updateData was called.
    const layerAfter = await page.evaluate(() => ({ ...window.__incidentLayer! }));
    expect(layerAfter.setData).toBe(layerBefore.setData);
    expect(layerAfter.updateData).toBeGreaterThan(layerBefore.updateData);
    // Today's figures count it (the panels refresh from the server at most once a second).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="today-received"] div')?.textContent?.replace(/\D/g, '') ?? 0) > 0);
    await screenShot(page, 'screen-zh-CN');
  }, SLOW_MS);

  it('has no map control half-hidden under its panels: the scale bar shows in the open map, no zoom buttons', async () => {
    const { page } = wall;
    // A control is seen when the topmost element at its middle is its own (the stray box at the
    // lower-right edge was the zoom buttons, under the right-hand panel but for a sliver).
    const covered = await page.evaluate(() => [...document.querySelectorAll('.maplibregl-ctrl')].flatMap((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return [];
      return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)) ? [] : [el.className];
    }));
    expect(covered).toEqual([]);
    expect(await page.locator('.maplibregl-ctrl-scale').isVisible()).toBe(true);
    expect(await page.locator('.maplibregl-ctrl-zoom-in').count()).toBe(0);
  }, SLOW_MS);

  it('a level-1 report takes over every screen and flies the map to it; acknowledging on one screen clears the other', async () => {
    const kiosk = wall;
    const officer = await track(openOfficerScreen(browser, baseUrl, `duty.${TOWN}`, demoPassword));
    // The town officer's screen is their town's.
    expect(await officer.page.textContent('[data-testid="screen-area"]')).not.toBe(zhCN.screen.scopeDistrict);

    const spot = nextSpot();
    const incident = await postReport(baseUrl, reporter, { itemCode: LEVEL1.code, ...spot });
    let alertId = '';
    await expect.poll(async () => {
      const { alerts } = await apiGet<AlertList>(baseUrl, reporter, '/api/v1/alerts?status=raised&limit=500');
      alertId = alerts.find((a) => a.incidentId === incident.id && a.kind === 'level1')?.id ?? '';
      return alertId;
    }, { timeout: 30_000 }).not.toBe('');

    const takeover = (id: string) => `[data-testid="alert-takeover"][data-alert-id="${id}"]`;
    await kiosk.page.waitForSelector(takeover(alertId), { timeout: 30_000 });
    await officer.page.waitForSelector(takeover(alertId), { timeout: 30_000 });
    expect(await kiosk.page.textContent('[data-testid="takeover-item"]')).toBe(LEVEL1.name);
    // A kiosk is read-only: no button; the officer has one.
    expect(await kiosk.page.locator(`${takeover(alertId)} [data-testid="alert-ack"]`).count()).toBe(0);

    // The map flew to the new level-1 incident and highlights it.
    await kiosk.page.waitForFunction((id) => window.__screenFocus === id, incident.id, { timeout: 30_000 });
    await kiosk.page.waitForFunction(() => !window.__gridMap!.isMoving(), undefined, { timeout: 30_000 });
    const view = await kiosk.page.evaluate((id) => {
      const map = window.__gridMap!;
      return { center: map.getCenter().toArray(), zoom: map.getZoom(), focus: map.getFeatureState({ source: 'incidents', id: `i:${id}` }) };
    }, incident.id);
    expect(view.center[0]).toBeCloseTo(spot.lon, 3);
    expect(view.center[1]).toBeCloseTo(spot.lat, 3);
    expect(view.zoom).toBeGreaterThanOrEqual(14);
    expect(view.focus).toMatchObject({ focus: true });
    await screenShot(kiosk.page, 'screen-level1-takeover');

    await officer.page.click(`${takeover(alertId)} [data-testid="alert-ack"]`);
    await kiosk.page.waitForSelector(takeover(alertId), { state: 'detached', timeout: 30_000 });
    await officer.page.waitForSelector(takeover(alertId), { state: 'detached', timeout: 30_000 });
    const { alerts } = await apiGet<AlertList>(baseUrl, reporter, '/api/v1/alerts?status=acknowledged&limit=500');
    expect(alerts.find((a) => a.id === alertId)).toMatchObject({ status: 'acknowledged', acknowledgedBy: `duty.${TOWN}` });
  }, SLOW_MS);

  it('renders in English and in Chinese', async () => {
    const { page } = wall;
    await page.click('[data-testid="screen-viewport"] [data-testid="locale-switch"]');
    expect(await page.textContent('[data-testid="screen-title"]')).toBe(en.screen.title);
    expect(await page.textContent('[data-testid="panel-today"]')).toContain(en.screen.today.received);
    expect(await page.textContent('[data-testid="ticker"]')).toContain(en.screen.ticker);
    expect(await page.textContent('[data-testid="connection"]')).toContain(en.screen.connection.live);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.waitForTimeout(1_500); // let the charts take the new labels (they redraw at most once a second)
    await screenShot(page, 'screen-en');
    await page.click('[data-testid="screen-viewport"] [data-testid="locale-switch"]');
    expect(await page.textContent('[data-testid="screen-title"]')).toBe(zhCN.screen.title);
  }, SLOW_MS);

  it('scales its 1920×1080 stage to any display: 4K filled, other shapes letterboxed, never scrolled', async () => {
    const { page } = wall;
    const measure = () => page.evaluate(() => {
      const r = document.querySelector('[data-testid="screen-stage"]')!.getBoundingClientRect();
      const root = document.scrollingElement!;
      return {
        stage: [r.left, r.top, r.width, r.height].map(Math.round),
        scrolls: root.scrollWidth > window.innerWidth || root.scrollHeight > window.innerHeight,
        pixelRatio: window.__gridMap!.getPixelRatio(),
      };
    });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.waitForFunction(() => window.__gridMap!.getPixelRatio() === 2);
    expect(await measure()).toEqual({ stage: [0, 0, 3840, 2160], scrolls: false, pixelRatio: 2 });
    await page.setViewportSize({ width: 1600, height: 1200 });
    await page.waitForFunction(() => window.__gridMap!.getPixelRatio() === 1);
    expect(await measure()).toEqual({ stage: [0, 150, 1600, 900], scrolls: false, pixelRatio: 1 });
    await screenShot(page, 'screen-letterboxed');
    await page.setViewportSize({ width: 1920, height: 1080 });
  }, SLOW_MS);

  it('takes its scope from the URL, within the signed-in scope', async () => {
    const town = await track(openKioskScreen(browser, baseUrl, kioskToken, `?scope=town:${TOWN}`));
    const stats = town.requests.filter((u) => u.includes('/api/v1/stats/screen'));
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.every((u) => new URL(u).searchParams.get('scope') === `town:${TOWN}`)).toBe(true);
    expect(await town.page.textContent('[data-testid="screen-area"]')).not.toBe(zhCN.screen.scopeDistrict);

    // A town officer cannot widen it to the whole New Area.
    const { page } = await track(openOfficerScreenExpectingRefusal());
    expect(await page.textContent('[data-testid="scope-error"]')).toBe(zhCN.screen.scopeError.outside);
  }, SLOW_MS);
});

async function openOfficerScreenExpectingRefusal(): Promise<MapPage> {
  const tracked = await newTrackedPage(browser);
  await tracked.page.goto(`${baseUrl}#/screen?scope=district`);
  await submitLoginForm(tracked.page, `duty.${TOWN}`, demoPassword);
  await tracked.page.waitForSelector('[data-testid="scope-error"]', { timeout: 120_000 });
  return tracked;
}
