// Signing in the way a person does: the login page's form. Used by every
// browser test instead of injecting a session cookie.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { waitForDrawnMap, type MapPage } from './browser.ts';

/**
 * Chromium logs every non-2xx fetch as a console error. Before signing in,
 * the page asks `GET /api/v1/auth/me` and is told 401: that one is the
 * expected answer for a signed-out browser, not a failure of the page.
 */
export function isSignedOutProbe(message: ConsoleMessage): boolean {
  return /status of 401/.test(message.text()) && /\/api\/v1\/auth\/me$/.test(message.location().url ?? '');
}

/** A fresh context (own cookies and storage) with requests and page errors recorded. */
export async function newTrackedPage(browser: Browser): Promise<MapPage> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !isSignedOutProbe(m)) errors.push(m.text()); });
  return { page, requests, errors };
}

/** Fills and submits the login form on the page (which must show it). */
export async function submitLoginForm(page: Page, username: string, password: string): Promise<void> {
  // As long as the map's own wait: a loaded machine parses the bundle slowly.
  await page.waitForSelector('[data-testid="login-form"]', { timeout: 90_000 });
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
}

/** Opens the product signed out, signs in through the form and waits for the drawn map. */
export async function openSignedInMapPage(browser: Browser, baseUrl: string, username: string, password: string): Promise<MapPage> {
  const tracked = await newTrackedPage(browser);
  await tracked.page.goto(baseUrl);
  await submitLoginForm(tracked.page, username, password);
  await waitForDrawnMap(tracked.page);
  return tracked;
}

/** Signs in over HTTP from Node (for a test's setup through the API): the cookie header and the CSRF token. */
export async function apiSession(baseUrl: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${baseUrl}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: (await res.json()).csrfToken };
}
