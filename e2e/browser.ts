// Real Chromium (the distribution's package) with software WebGL, and the
// helpers every map test needs.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = new URL('./screenshots/', import.meta.url).pathname;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--no-first-run',
    ],
  });
}

export type MapPage = {
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
};

/** Opens the map page in a fresh context (own localStorage) and waits until the data is drawn. */
export async function openMapPage(browser: Browser, baseUrl: string, sessionCookie?: string): Promise<MapPage> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  // Signed in as the session the global setup opened (until the client has its own login page).
  if (sessionCookie) {
    await context.addCookies(sessionCookie.split('; ').map((pair) => {
      const [name, ...rest] = pair.split('=');
      return { name, value: rest.join('='), url: baseUrl };
    }));
  }
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(baseUrl);
  await waitForDrawnMap(page);
  return { page, requests, errors };
}

/**
 * Waits until the geo data has loaded and the map has gone idle after it
 * (the page's test hook, see client/src/map/GeoMap.vue).
 */
export async function waitForDrawnMap(page: Page): Promise<void> {
  await page.waitForSelector('[data-geo-state="ready"] [data-testid="map"][data-map-idle="true"]', { timeout: 90_000 });
}

/** Forces one more frame and resolves on the `idle` that follows it. */
export async function waitForRepaint(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const map = window.__gridMap!;
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path });
  return path;
}

/** Requests that left the page's origin; data: and blob: never touch the network. */
export function foreignRequests(requests: string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl).origin;
  return requests.filter((u) => {
    const url = new URL(u);
    return url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin;
  });
}
