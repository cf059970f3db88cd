// The handling loop in real Chromium against the real product (demo mode):
// a community liaison takes in and dispatches an item in the duty console,
// the police unit takes and resolves it in its desk, the liaison's open
// console shows the resolution live (pushed, no reload), verifies and closes
// it, and the figures count it disposed.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { pointOnFeature } from '@turf/turf';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchBrowser, screenshot, type MapPage } from './browser.ts';
import { newTrackedPage, submitLoginForm } from './sign-in.ts';
import type { FiguresReply } from '../shared/schemas/dispatch.ts';

const baseUrl = inject('baseUrl');
const demoPassword = inject('demoPassword');

let browser: Browser;
const pages: MapPage[] = [];

/** Signs in over HTTP from Node: cookie header and CSRF token. */
async function apiSession(username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${baseUrl}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: (await res.json()).csrfToken };
}

async function open(username: string, hash: string): Promise<Page> {
  stage = `open ${username} ${hash}`;
  const tracked = await newTrackedPage(browser);
  pages.push(tracked);
  tracked.page.setDefaultTimeout(90_000); // a loaded CI machine: slow, not stuck
  await tracked.page.goto(`${baseUrl}#${hash}`);
  await submitLoginForm(tracked.page, username, demoPassword);
  // The console opens its first item with a mini-map; building it in software GL on a
  // busy machine holds the page for minutes, and input sent meanwhile hangs.
  await tracked.page.waitForSelector('[data-testid="mini-map"][data-geo-state="ready"] [data-testid="map"][data-map-idle="true"]', { timeout: 600_000 });
  return tracked.page;
}

/** Picks the item out of the page's queue by its unique description, and waits for its detail. */
async function select(page: Page, description: string): Promise<void> {
  if (await page.locator('input[type="search"]').count()) await page.fill('input[type="search"]', description);
  const line = page.locator('[data-testid="queue"] li', { hasText: description });
  await line.first().click();
  await page.locator('[data-testid="item-panel"]', { hasText: description }).waitFor();
}

async function act(page: Page, action: string, fill: (page: Page) => Promise<void> = async () => undefined): Promise<void> {
  await page.click(`[data-testid="actions"] [data-action="${action}"]`);
  await page.waitForSelector('[data-testid="action-form"]');
  await fill(page);
  await page.click('[data-testid="action-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="action-form"]', { state: 'detached' });
}

const status = (page: Page) => page.textContent('[data-testid="item-status"]');
/** Where the test is, for the report when a step times out. */
let stage = 'start';

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const { page, requests, errors } of pages.splice(0)) {
    await page.context().close();
    expect(foreignRequests(requests, baseUrl)).toEqual([]);
    // The signed-out probe before the form is expected; anything else is a failure of the page.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  }
});

afterAll(async () => {
  await browser?.close();
});

describe('duty console and unit desk', () => {
  it('a liaison dispatches, the police resolve, the liaison sees it live, verifies and closes; the figures count it', async () => {
    try {
      await loop();
    } catch (err) {
      console.error(`[dispatch e2e] failed at: ${stage}`);
      for (const [i, { page }] of pages.entries()) {
        await screenshot(page, `dispatch-failure-${i}`).catch(() => undefined);
        console.error(`[dispatch e2e] page ${i}: ${page.url()}`);
      }
      throw err;
    }
  }, 2_700_000); // ~10 min on a 2-core machine under a load of 20, more with the consoles' mini-maps
});

async function loop(): Promise<void> {
  {
    // A place in some community, and a report there from its liaison (who may also report).
    const reader = await apiSession('duty.district');
    const grids = await (await fetch(`${baseUrl}api/v1/grids`, { headers: { cookie: reader.cookie } })).json();
    const grid = grids.features.find((f: { properties: { kind: string } }) => f.properties.kind === 'comprehensive');
    const [lon, lat] = pointOnFeature(grid).geometry.coordinates;
    const community = grid.properties.communityCode as string;
    const liaisonName = `liaison.${community}`;
    const liaisonApi = await apiSession(liaisonName);
    const description = `楼下店铺占道经营 e2e-${randomUUID().slice(0, 8)}`;
    const filed = await fetch(`${baseUrl}api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: liaisonApi.cookie, 'x-csrf-token': liaisonApi.csrf },
      body: JSON.stringify({ id: randomUUID(), itemCode: 'ZF-09', lon, lat, description }),
    });
    expect(filed.status).toBe(201);
    const before = (await (await fetch(`${baseUrl}api/v1/figures?period=day&by=tier`, { headers: { cookie: reader.cookie } })).json()) as FiguresReply;

    stage = "// The liaison's console";
    // The liaison's console: new queue -> accept (keyboard) -> dispatch to the police.
    const seat = await open(liaisonName, '/dispatch');
    await seat.waitForSelector('[data-testid="dispatch-console"] [data-testid="live"]');
    await select(seat, description);
    // Clicking the line left the search box: the console's keys work again (A = accept).
    await seat.keyboard.press('a');
    await seat.waitForSelector('[data-testid="action-form"]');
    await seat.click('[data-testid="action-form"] button[type="submit"]');
    await seat.waitForFunction(() => document.querySelector('[data-testid="item-status"]')?.textContent?.includes('已受理'));
    await act(seat, 'dispatch', async (p) => {
      await p.selectOption('[data-testid="action-form"] select[name="leadUnit"]', 'police');
      await p.fill('[data-testid="action-form"] textarea[name="text"]', '请派出所到场处理');
    });
    expect(await status(seat)).toContain('已派遣');

    stage = '// The police desk';
    // The police desk: take, record progress, resolve.
    const unit = await open('unit.police', '/dispatch/unit');
    await unit.waitForSelector('[data-testid="unit-console"]');
    await select(unit, description);
    await act(unit, 'take');
    expect(await status(unit)).toContain('处置中');
    await act(unit, 'resolve', async (p) => p.fill('[data-testid="action-form"] textarea[name="text"]', '已劝离，占道物品已清理'));
    expect(await status(unit)).toContain('已办结');

    stage = '// Back at the seat';
    // Back at the seat, without a reload: the resolution arrived over the socket.
    await seat.waitForFunction(() => document.querySelector('[data-testid="item-status"]')?.textContent?.includes('已办结'), undefined, { timeout: 30_000 });
    await act(seat, 'verify');
    await act(seat, 'close');
    expect(await status(seat)).toContain('已结案');
    // The timeline is read again after the action: wait for its last step.
    await seat.waitForFunction(() => document.querySelector('[data-testid="timeline"]')?.textContent?.includes('结案'));
    const timeline = await seat.textContent('[data-testid="timeline"]');
    for (const step of ['上报', '受理', '派遣', '接单', '办结', '核查', '结案']) expect(timeline).toContain(step);
    await screenshot(seat, 'dispatch-console');

    stage = 'const after =';
    const after = (await (await fetch(`${baseUrl}api/v1/figures?period=day&by=tier`, { headers: { cookie: reader.cookie } })).json()) as FiguresReply;
    expect(after.total.disposed).toBeGreaterThan(before.total.disposed);
  }
}
