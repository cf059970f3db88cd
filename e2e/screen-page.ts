// Helpers of the big-screen browser tests: open #/screen as a kiosk or as a
// signed-in officer, wait until it is live, read what the map holds, and
// drive the API from Node the way a field app would.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Incident } from '../shared/schemas/incident.ts';
import { newTrackedPage, submitLoginForm } from './sign-in.ts';
import { mkdirSync } from 'node:fs';
import { SCREENSHOT_DIR, type MapPage } from './browser.ts';

/** A screenshot with room for a busy machine (software GL repaints of the whole wall are slow). */
export async function screenShot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, timeout: 180_000 });
  return path;
}

/** Opens the wall screen through the kiosk URL (token exchanged, no form). */
export async function openKioskScreen(browser: Browser, baseUrl: string, kioskToken: string, query = '', viewport?: { width: number; height: number }): Promise<MapPage> {
  const tracked = await newTrackedPage(browser);
  if (viewport) await tracked.page.setViewportSize(viewport);
  await tracked.page.goto(`${baseUrl}?kiosk=${encodeURIComponent(kioskToken)}#/screen${query}`, { timeout: 120_000 });
  await waitForLiveScreen(tracked.page);
  return tracked;
}

/** Signs an officer in through the form, then opens the wall screen. */
export async function openOfficerScreen(browser: Browser, baseUrl: string, username: string, password: string, query = ''): Promise<MapPage> {
  const tracked = await newTrackedPage(browser);
  await tracked.page.goto(`${baseUrl}#/screen${query}`, { timeout: 120_000 });
  await submitLoginForm(tracked.page, username, password);
  await waitForLiveScreen(tracked.page);
  return tracked;
}

/**
 * Live: the geo data drawn, the socket subscribed and caught up (the
 * indicator's own rule). Not the map's idle hook: a pulsing level-1 marker
 * keeps the map repainting.
 */
export async function waitForLiveScreen(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="big-screen"][data-geo-state="ready"][data-connection="live"]', { timeout: 300_000 });
  await page.waitForFunction(() => {
    const map = window.__gridMap;
    return !!map && map.loaded() && map.isSourceLoaded('incidents') && map.isSourceLoaded('grids');
  }, undefined, { timeout: 300_000 });
}

/** Ids of the incidents the map's live source holds. */
export function incidentIdsOnMap(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const source = window.__gridMap!.getSource('incidents') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
    const data = await source.getData();
    return data.features.map((f) => String(f.properties?.id));
  });
}

export interface ApiClient {
  cookie: string;
  csrf: string;
}

/** Signs in over HTTP from Node (for the test's own API calls). */
export async function apiSignIn(baseUrl: string, username: string, password: string): Promise<ApiClient> {
  const res = await fetch(new URL('/api/v1/auth/login', baseUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

export async function apiGet<T>(baseUrl: string, client: ApiClient, path: string): Promise<T> {
  const res = await fetch(new URL(path, baseUrl), { headers: { cookie: client.cookie } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Files a report through the public API, as a field app does; returns the stored incident. */
export async function postReport(baseUrl: string, client: ApiClient, report: { itemCode: string; lon: number; lat: number; description?: string }): Promise<Incident> {
  const res = await fetch(new URL('/api/v1/reports', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: client.cookie, 'x-csrf-token': client.csrf },
    body: JSON.stringify({ id: randomUUID(), description: report.description ?? 'e2e 大屏测试上报', channel: 'field', ...report }),
  });
  if (res.status !== 201) throw new Error(`POST /reports: ${res.status} ${await res.text()}`);
  return (await res.json()) as Incident;
}
