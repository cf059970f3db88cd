// The map page in real Chromium against the real product.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import type { Browser } from 'playwright-core';
import type {
  CameraCollection, GridCollection, StationCollection, TownCollection,
} from '../shared/schemas/geo.ts';
import { LAYER } from '../client/src/map/layer-ids.ts';
import { featureKey } from '../client/src/map/feature-key.ts';
import { zhCN } from '../client/src/i18n/zh-CN.ts';
import { en } from '../client/src/i18n/en.ts';
import { foreignRequests, launchBrowser, screenshot, waitForDrawnMap, waitForRepaint, type MapPage } from './browser.ts';
import { openSignedInMapPage } from './sign-in.ts';
import { findSpot, renderedCodes, type Candidate } from './map-probe.ts';

const baseUrl = inject('baseUrl');
/** For the test's own API reads from Node; the browser signs in through the login form. */
const sessionCookie = inject('sessionCookie');
const demoPassword = inject('demoPassword');
const POINT_LAYERS = [LAYER.cameras, LAYER.sensors, LAYER.stations];
const GRID_LAYERS = [LAYER.gridComprehensive, LAYER.gridEnterprise];

// Every test signs in through the login form before its view loads: room for that on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let browser: Browser;
let grids: GridCollection;
let towns: TownCollection;
let stations: StationCollection;
let cameras: CameraCollection;
let current: MapPage | null = null;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, baseUrl), { headers: { cookie: sessionCookie } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Grid label points, those nearest the middle of the screen first. */
function gridCandidates(kind?: string): Candidate[] {
  return grids.features
    .filter((g) => !kind || g.properties.kind === kind)
    .map((g) => {
      const [lon, lat] = pointOnFeature(g as never).geometry.coordinates;
      return { code: g.id, lon, lat };
    });
}

function pointCandidates(fc: { features: { id: string; geometry: { coordinates: number[] } }[] }): Candidate[] {
  return fc.features.map((f) => ({ code: f.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
}

async function open(): Promise<MapPage> {
  // The demo leader: reads the whole New Area, as `npm start` seeds it.
  current = await openSignedInMapPage(browser, baseUrl, 'leader', demoPassword);
  return current;
}

beforeAll(async () => {
  browser = await launchBrowser();
  [grids, towns, stations, cameras] = await Promise.all([
    api<GridCollection>('/api/v1/grids'),
    api<TownCollection>('/api/v1/towns'),
    api<StationCollection>('/api/v1/stations'),
    api<CameraCollection>('/api/v1/cameras'),
  ]);
});

afterEach(async () => {
  if (!current) return;
  const { page, requests, errors } = current;
  current = null;
  await page.context().close();
  // Nothing may leave the machine, and the page must not have failed quietly.
  expect(requests.length).toBeGreaterThan(0);
  expect(foreignRequests(requests, baseUrl)).toEqual([]);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

describe('the district map', () => {
  it('draws both grid kinds, borders, stations, cameras and Chinese town names, fully offline', async () => {
    const { page, requests } = await open();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('[data-testid="app-title"]')).toBe(zhCN.app.title);

    const comprehensive = await renderedCodes(page, LAYER.gridComprehensive);
    const enterprise = await renderedCodes(page, LAYER.gridEnterprise);
    const kindOf = new Map(grids.features.map((g) => [g.id, g.properties.kind]));
    expect(comprehensive.length).toBeGreaterThan(0);
    expect(enterprise.length).toBeGreaterThan(0);
    expect(comprehensive.every((c) => kindOf.get(c) === 'comprehensive')).toBe(true);
    expect(enterprise.every((c) => kindOf.get(c) === 'enterprise')).toBe(true);
    // The whole district is framed on load: every grid is on screen.
    expect(comprehensive.length + enterprise.length).toBe(grids.features.length);

    for (const layer of [LAYER.stations, LAYER.cameras, LAYER.townBorder, LAYER.communityBorder, LAYER.districtFill, LAYER.river]) {
      expect((await renderedCodes(page, layer)).length, layer).toBeGreaterThan(0);
    }
    const townNames = await renderedCodes(page, LAYER.townLabel);
    expect(townNames.sort()).toEqual(towns.features.map((t) => t.properties.name).sort());

    expect(requests.some((u) => u.endsWith('/api/v1/grids'))).toBe(true);
    await screenshot(page, 'map-zh-CN');
  });

  it('names a grid on hover and shows its details on click', async () => {
    const { page } = await open();
    const spot = await findSpot(page, gridCandidates(), GRID_LAYERS, POINT_LAYERS);
    expect(spot).not.toBeNull();
    const grid = grids.features.find((g) => g.id === spot!.code)!.properties;

    await page.mouse.move(spot!.x, spot!.y);
    const tooltip = page.locator('[data-testid="map-tooltip"]');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain(grid.name);

    await page.mouse.click(spot!.x, spot!.y);
    const panel = page.locator('[data-testid="selection-panel"][data-kind="grid"]');
    await panel.waitFor();
    expect(await panel.locator('[data-testid="detail-name"]').textContent()).toBe(grid.name);
    expect(await panel.locator('[data-testid="detail-community"]').textContent()).toBe(grid.communityName);
    expect(await panel.locator('[data-testid="detail-town"]').textContent()).toBe(grid.townName);
    expect(await panel.locator('[data-testid="detail-secretary"]').textContent()).toBe(grid.secretary);
    const households = new Intl.NumberFormat('zh-CN').format(grid.households);
    expect(await panel.locator('[data-testid="detail-households"]').textContent()).toContain(households);

    const state = await page.evaluate((id) => window.__gridMap!.getFeatureState({ source: 'grids', id }), featureKey(grid.code));
    expect(state).toMatchObject({ hover: true, selected: true });
    await waitForRepaint(page);
    await screenshot(page, 'map-grid-selected');
  });

  it('shows the details of a clicked station and a clicked camera', async () => {
    const { page } = await open();
    const stationSpot = await findSpot(page, pointCandidates(stations), [LAYER.stations], POINT_LAYERS);
    expect(stationSpot).not.toBeNull();
    const station = stations.features.find((s) => s.id === stationSpot!.code)!.properties;
    await page.mouse.click(stationSpot!.x, stationSpot!.y);
    const stationPanel = page.locator('[data-testid="selection-panel"][data-kind="station"]');
    await stationPanel.waitFor();
    expect(await stationPanel.locator('[data-testid="detail-name"]').textContent()).toBe(station.name);
    expect(await stationPanel.locator('[data-testid="detail-grid"]').textContent()).toBe(station.gridName);
    expect(await stationPanel.locator('[data-testid="detail-community"]').textContent()).toBe(station.communityName);

    const cameraSpot = await findSpot(page, pointCandidates(cameras), [LAYER.cameras], POINT_LAYERS);
    expect(cameraSpot).not.toBeNull();
    const camera = cameras.features.find((c) => c.id === cameraSpot!.code)!.properties;
    await page.mouse.click(cameraSpot!.x, cameraSpot!.y);
    const cameraPanel = page.locator('[data-testid="selection-panel"][data-kind="camera"]');
    await cameraPanel.waitFor();
    expect(await cameraPanel.locator('[data-testid="detail-name"]').textContent()).toBe(camera.name);
    expect(await cameraPanel.locator('[data-testid="detail-status"]').textContent()).toBe(zhCN.deviceStatus[camera.status]);
    const gridName = grids.features.find((g) => g.id === camera.gridCode)!.properties.name;
    expect(await cameraPanel.locator('[data-testid="detail-grid"]').textContent()).toBe(gridName);
  });

  it('hides and shows cameras and fire sensors from the layer switcher', async () => {
    const { page } = await open();
    const visibility = (layer: string) => page.evaluate((l) => window.__gridMap!.getLayoutProperty(l, 'visibility'), layer);

    expect((await renderedCodes(page, LAYER.cameras)).length).toBeGreaterThan(0);
    await page.uncheck('[data-testid="toggle-cameras"]');
    await waitForRepaint(page);
    expect(await visibility(LAYER.cameras)).toBe('none');
    expect(await renderedCodes(page, LAYER.cameras)).toEqual([]);
    await page.check('[data-testid="toggle-cameras"]');
    await waitForRepaint(page);
    expect(await visibility(LAYER.cameras)).toBe('visible');
    expect((await renderedCodes(page, LAYER.cameras)).length).toBeGreaterThan(0);

    // Fire sensors start hidden and appear on demand.
    expect(await renderedCodes(page, LAYER.sensors)).toEqual([]);
    await page.check('[data-testid="toggle-sensors"]');
    await waitForRepaint(page);
    expect((await renderedCodes(page, LAYER.sensors)).length).toBeGreaterThan(0);
  });

  it('switches to English, labels towns in English and remembers the choice', async () => {
    const { page } = await open();
    await page.click('[data-testid="locale-switch"]');
    expect(await page.textContent('[data-testid="app-title"]')).toBe(en.app.title);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('[data-testid="layer-switcher"]')).toContain(en.layers.cameras);
    expect(await page.evaluate((l) => window.__gridMap!.getLayoutProperty(l, 'text-field'), LAYER.townLabel))
      .toEqual(['get', 'nameEn']);
    await waitForRepaint(page);
    await screenshot(page, 'map-en');

    await page.reload();
    await waitForDrawnMap(page);
    expect(await page.textContent('[data-testid="app-title"]')).toBe(en.app.title);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });
});
