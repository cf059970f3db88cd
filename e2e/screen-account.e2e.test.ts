// The wall screen's own account line and sound hint, in real Chromium: the
// app header is gone on #/screen; an officer sees who is signed in and signs
// out from the stage; a kiosk shows its badge and scope with no sign-out;
// when the browser holds sound back (autoplay policy) a hint asks for a
// click, and a click unlocks it; where the page may play sound, no hint.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { zhCN } from '../client/src/i18n/zh-CN.ts';
import { foreignRequests, launchBrowser, type MapPage } from './browser.ts';
import { openKioskScreen, openOfficerScreen, screenShot, waitForLiveScreen } from './screen-page.ts';
import { newTrackedPage } from './sign-in.ts';

const baseUrl = inject('baseUrl');
const kioskToken = inject('kioskToken');
const demoPassword = inject('demoPassword');
const SLOW_MS = 360_000;

let browser: Browser;
const open: MapPage[] = [];

/**
 * Headless Chromium lets every page play sound, whatever --autoplay-policy
 * says (checked: a new AudioContext is 'running' under each policy). A
 * desktop browser before the first click starts it 'suspended' and resumes
 * it on a gesture: this makes the page's AudioContext behave so.
 */
function holdSoundUntilClick(): void {
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    constructor(options?: AudioContextOptions) {
      super(options);
      void this.suspend();
    }
  };
}

async function track(screen: Promise<MapPage>): Promise<MapPage> {
  const opened = await screen;
  open.push(opened);
  return opened;
}

beforeAll(async () => {
  browser = await launchBrowser();
}, SLOW_MS);

afterEach(async () => {
  for (const screen of open.splice(0)) {
    await screen.page.context().close();
    expect(foreignRequests(screen.requests, baseUrl)).toEqual([]);
    expect(screen.errors).toEqual([]);
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("the big screen's account line", () => {
  it('shows the signed-in officer on the stage, without the app header, and signs out from there', async () => {
    const screen = await track(openOfficerScreen(browser, baseUrl, 'duty.district', demoPassword));
    const { page } = screen;
    expect(await page.locator('[data-testid="app-title"]').count()).toBe(0);
    const account = page.locator('[data-testid="screen-viewport"] [data-testid="screen-account"]');
    expect(await account.getAttribute('data-kiosk')).toBe('false');
    expect(await page.textContent('[data-testid="account-role"]')).toBe(zhCN.auth.roles.district_duty);
    expect(await page.textContent('[data-testid="account-scope"]')).toBe(zhCN.auth.scope.district);
    // On the stage and visible: inside the window, not under anything.
    const box = (await account.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1920);
    expect(box.y + box.height).toBeLessThanOrEqual(1080);
    await page.click('[data-testid="screen-sign-out"]', { trial: true });
    await screenShot(page, 'screen-account-officer');

    await page.click('[data-testid="screen-sign-out"]');
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 60_000 });
    // The session is over on the server, and signing in again returns to the screen.
    expect(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status)).toBe(401);
    expect(decodeURIComponent(page.url())).toContain('redirect=/screen');
    // The 401 above is the expected answer, not a page failure.
    screen.errors.splice(0);
  }, SLOW_MS);

  it('shows a kiosk as the kiosk with its scope, and nothing to sign out of', async () => {
    const { page } = await track(openKioskScreen(browser, baseUrl, kioskToken));
    expect(await page.locator('[data-testid="app-title"]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid="screen-account"]', 'data-kiosk')).toBe('true');
    expect(await page.textContent('[data-testid="screen-account-kiosk"]')).toBe(zhCN.auth.kiosk.badge);
    expect(await page.textContent('[data-testid="account-scope"]')).toBe(zhCN.auth.scope.district);
    expect(await page.locator('[data-testid="screen-sign-out"]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid="big-screen"]', 'data-connection')).toBe('live');
  }, SLOW_MS);
});

describe("the big screen's sound hint", () => {
  it('asks for a click while the browser holds sound back, and goes once clicked', async () => {
    const tracked = await track(newTrackedPage(browser));
    const { page } = tracked;
    // tsx names functions with a helper the page lacks; the init script gets one.
    await page.addInitScript({ content: `var __name = (f) => f;\n(${holdSoundUntilClick.toString()})();` });
    await page.goto(`${baseUrl}?kiosk=${encodeURIComponent(kioskToken)}#/screen`, { timeout: 120_000 });
    await waitForLiveScreen(page);
    const hint = page.locator('[data-testid="sound-hint"]');
    await hint.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await hint.textContent()).toContain(zhCN.screen.soundHint);
    await screenShot(page, 'screen-sound-hint');
    await hint.click();
    await hint.waitFor({ state: 'detached', timeout: 30_000 });
  }, SLOW_MS);

  it('is not shown where the browser lets the page play sound', async () => {
    const { page } = await track(openKioskScreen(browser, baseUrl, kioskToken));
    expect(await page.evaluate(() => new AudioContext().state)).toBe('running');
    await page.locator('[data-testid="sound-hint"]').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('[data-testid="sound-switch"]').count()).toBe(1);
  }, SLOW_MS);
});
