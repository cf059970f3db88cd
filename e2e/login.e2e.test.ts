// Signing in, out and as a wall screen, in real Chromium against the real
// product in demo mode (global-setup.ts).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { zhCN } from '../client/src/i18n/zh-CN.ts';
import { en } from '../client/src/i18n/en.ts';
import { totpCode } from '../server/src/domain/totp.ts';
import { foreignRequests, launchBrowser, screenshot, waitForDrawnMap, type MapPage } from './browser.ts';
import { newTrackedPage, submitLoginForm } from './sign-in.ts';

const baseUrl = inject('baseUrl');
const demoPassword = inject('demoPassword');
const kioskToken = inject('kioskToken');
const newcomer = inject('newcomer');
const TOWN = '321171001';
/** A demo community liaison: a business role, for which the second factor is optional. */
const LIAISON = 'liaison.321171001001';

// Every test signs in through the login form before its view loads: room for that on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let browser: Browser;
let current: MapPage | null = null;

async function fresh(): Promise<Page> {
  current = await newTrackedPage(browser);
  // The map behind the menus keeps a busy machine's renderer occupied: clicks and waits get the map's patience.
  current.page.setDefaultTimeout(90_000);
  // Notes whether a login form was ever on screen, however briefly.
  await current.page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="login-form"]')) (window as unknown as { sawLoginForm: boolean }).sawLoginForm = true;
    }).observe(document, { childList: true, subtree: true });
  });
  return current.page;
}

/** GET /api/v1/auth/me from inside the page (its cookies): status and body. */
function meFromPage(page: Page): Promise<{ status: number; body: { role?: string; kiosk?: boolean; pending?: string[]; totpEnabled?: boolean } }> {
  return page.evaluate(async () => {
    const res = await fetch('/api/v1/auth/me');
    return { status: res.status, body: await res.json() };
  });
}

const text = (page: Page, testid: string) => page.textContent(`[data-testid="${testid}"]`);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  if (!current) return;
  const { page, requests, errors } = current;
  current = null;
  await page.context().close();
  expect(foreignRequests(requests, baseUrl)).toEqual([]);
  // 400/401/403 are answers these tests provoke (wrong password, reused password, revoked token).
  expect(errors.filter((e) => !/status of 40[013]/.test(e))).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

describe('the login page', () => {
  it('is in Chinese first, in English on the switch, and takes a signed-out browser there from any view', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await page.waitForSelector('[data-testid="login-form"]');
    expect(new URL(page.url()).hash).toBe('#/login');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('[data-testid="login-form"]')).toContain(zhCN.auth.title);
    expect(await page.textContent('[data-testid="login-submit"]')).toContain(zhCN.auth.submit);
    expect(await page.locator('[data-testid="account"]').count()).toBe(0);
    await screenshot(page, 'login-zh-CN');

    await page.click('[data-testid="locale-switch"]');
    expect(await page.textContent('[data-testid="login-form"]')).toContain(en.auth.title);
    expect(await page.textContent('[data-testid="login-form"]')).toContain(en.auth.username);
    await screenshot(page, 'login-en');
  });

  it('signs a demo account in through the form, shows its name, role and scope, and returns to where it was going', async () => {
    const page = await fresh();
    await page.goto(`${baseUrl}#/screen`);
    await page.waitForSelector('[data-testid="login-form"]');
    await submitLoginForm(page, `duty.${TOWN}`, demoPassword);
    await page.waitForFunction(() => !location.hash.startsWith('#/login'));
    const landed = new URL(page.url()).hash;
    // Back where it was going (the big screen, once this build has it; the map otherwise).
    expect(['#/screen', '#/']).toContain(landed);
    if (landed === '#/') {
      await waitForDrawnMap(page);
    }
    expect(await text(page, 'account-role')).toBe(zhCN.auth.roles.town_duty);
    await page.waitForFunction(() => document.querySelector('[data-testid="account-scope"]')?.textContent === '丁卯街道');
    expect((await meFromPage(page)).body).toMatchObject({ role: 'town_duty', pending: [] });
  });

  it('answers a wrong password, and a locked account, with the same generic error and stays signed out', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, 'leader', 'Wrong-Passw0rd!');
    await page.waitForSelector('[data-testid="login-error"]');
    expect(await text(page, 'login-error')).toBe(zhCN.auth.errors.invalid);
    expect(await page.locator('[data-testid="login-form"]').count()).toBe(1);
    expect((await meFromPage(page)).status).toBe(401);

    // Five failures lock unit.water; the right password then gets the very same words.
    for (let i = 0; i < 5; i++) {
      await page.fill('[data-testid="login-username"]', 'unit.water');
      await page.fill('[data-testid="login-password"]', `Wrong-Passw0rd-${i}`);
      await page.click('[data-testid="login-submit"]');
      await page.waitForSelector('[data-testid="login-submit"]:not([disabled])');
    }
    await page.fill('[data-testid="login-password"]', demoPassword);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-submit"]:not([disabled])');
    expect(await text(page, 'login-error')).toBe(zhCN.auth.errors.invalid);
    expect((await meFromPage(page)).status).toBe(401);
  });

  it('walks a new account through the forced password change, explaining the policy', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, newcomer.username, newcomer.password);
    await page.waitForSelector('[data-testid="password-change-form"]');
    expect(await page.textContent('[data-testid="password-policy"]')).toContain('10');
    // Nothing else opens before the change.
    expect((await meFromPage(page)).body.pending).toEqual(['change-password']);

    await page.fill('[data-testid="new-password"]', 'short1');
    await page.fill('[data-testid="confirm-password"]', 'short1');
    expect(await page.getAttribute('[data-rule="length"]', 'data-ok')).toBe('false');
    expect(await page.getAttribute('[data-rule="classes"]', 'data-ok')).toBe('false');
    await page.click('[data-testid="password-change-submit"]');
    expect(await text(page, 'password-change-error')).toBe(zhCN.auth.password_.errors.policy);
    await screenshot(page, 'login-password-change');

    // The server's own refusal: the same password again is one of the last 5.
    await page.fill('[data-testid="new-password"]', newcomer.password);
    await page.fill('[data-testid="confirm-password"]', newcomer.password);
    await page.click('[data-testid="password-change-submit"]');
    await page.waitForFunction((expected) => document.querySelector('[data-testid="password-change-error"]')?.textContent === expected,
      zhCN.auth.password_.errors.history.replace('{n}', '5'));

    await page.fill('[data-testid="new-password"]', 'Riverside-Duty-2026');
    await page.fill('[data-testid="confirm-password"]', 'Riverside-Duty-2026');
    expect(await page.locator('[data-ok="false"]').count()).toBe(0);
    await page.click('[data-testid="password-change-submit"]');
    await page.waitForFunction(() => !location.hash.startsWith('#/login'));
    expect((await meFromPage(page)).body.pending).toEqual([]);
  }, 240_000);

  it('has an administrator enrol TOTP with a QR code drawn in the page', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, 'secadmin', demoPassword);
    await page.waitForSelector('[data-testid="totp-qr"]');
    expect(await page.getAttribute('[data-testid="totp-qr"]', 'src')).toMatch(/^data:image\/svg\+xml/);
    await screenshot(page, 'login-totp-enrol');
    const secret = (await text(page, 'totp-secret'))!.replace(/\s+/g, '');
    await page.fill('[data-testid="totp-enrol-code"]', totpCode(secret, new Date()));
    await page.click('[data-testid="totp-enrol-submit"]');
    await page.waitForFunction(() => !location.hash.startsWith('#/login'));
    expect((await meFromPage(page)).body).toMatchObject({ pending: [], totpEnabled: true });
  });

  it('signs out for real: back to the login page, and the API answers 401 to the old cookie', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, 'leader', demoPassword);
    await page.waitForSelector('[data-testid="account-button"]');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'gcc_session')!;
    await page.click('[data-testid="account-button"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-form"]');
    expect(await text(page, 'login-notice')).toBe(zhCN.auth.notices.signedOut);
    expect((await meFromPage(page)).status).toBe(401);
    const replay = await fetch(new URL('/api/v1/auth/me', baseUrl), { headers: { cookie: `gcc_session=${session.value}` } });
    expect(replay.status).toBe(401);
  });

  it('says the session ended when the server ended it (idle timeout, signed out elsewhere)', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, 'leader', demoPassword);
    await waitForDrawnMap(page);
    // End the session on the server behind the page's back, as the idle sweep does.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const me = await (await fetch(new URL('/api/v1/auth/me', baseUrl), { headers: { cookie } })).json() as { csrfToken: string };
    const out = await fetch(new URL('/api/v1/auth/logout', baseUrl), { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken } });
    expect(out.status).toBe(200);
    // The user comes back to the tab.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForSelector('[data-testid="login-notice"]');
    expect(await text(page, 'login-notice')).toBe(zhCN.auth.notices.sessionEnded);
  });
});

describe('the account menu', () => {
  it('lets a business account turn the optional second factor on, then asks for it at sign-in, and off again', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, LIAISON, demoPassword);
    await page.waitForSelector('[data-testid="account-button"]');
    await page.click('[data-testid="account-button"]');
    expect(await page.getAttribute('[data-testid="account-totp"]', 'data-enabled')).toBe('false');
    await page.click('[data-testid="totp-enable"]');
    await page.waitForSelector('[data-testid="totp-qr"]');
    const secret = (await text(page, 'totp-secret'))!.replace(/\s+/g, '');
    await page.fill('[data-testid="totp-enrol-code"]', totpCode(secret, new Date()));
    await page.click('[data-testid="totp-enrol-submit"]');
    await page.waitForSelector('[data-testid="totp-enrol-form"]', { state: 'detached' });
    expect((await meFromPage(page)).body.totpEnabled).toBe(true);

    // A new sign-in now asks for the code after the password.
    await page.click('[data-testid="account-button"]');
    await page.click('[data-testid="sign-out"]');
    await submitLoginForm(page, LIAISON, demoPassword);
    await page.waitForSelector('[data-testid="login-totp"]');
    // The code used for enrolment is spent; the next one opens the door.
    const next = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 30_000);
    await page.waitForFunction((at) => Date.now() >= at, next.getTime(), { timeout: 40_000 });
    await page.fill('[data-testid="login-totp"]', totpCode(secret, new Date()));
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="account-button"]');

    await page.click('[data-testid="account-button"]');
    await page.click('[data-testid="totp-disable"]');
    await page.fill('[data-testid="totp-disable-password"]', demoPassword);
    const later = Math.floor(Date.now() / 30_000) * 30_000 + 30_000;
    await page.waitForFunction((at) => Date.now() >= at, later, { timeout: 40_000 });
    await page.fill('[data-testid="totp-disable-code"]', totpCode(secret, new Date()));
    await page.click('[data-testid="totp-disable-submit"]');
    await page.waitForSelector('[data-testid="totp-disable-form"]', { state: 'detached' });
    expect((await meFromPage(page)).body.totpEnabled).toBe(false);
  }, 300_000);
});

describe('kiosk screens', () => {
  it('open the wall screen from /?kiosk=TOKEN without any form, and the token leaves the address bar', async () => {
    const page = await fresh();
    await page.goto(`${baseUrl}?kiosk=${kioskToken}#/screen`);
    await page.waitForFunction(async () => {
      const res = await fetch('/api/v1/auth/me');
      return res.ok && (await res.json()).kiosk === true;
    }, undefined, { polling: 250 });
    await page.waitForFunction(() => !location.hash.startsWith('#/login') && location.hash !== '');
    expect(page.url()).not.toContain(kioskToken);
    expect(page.url()).not.toContain('kiosk=');
    expect(['#/screen', '#/']).toContain(new URL(page.url()).hash);
    expect(await page.evaluate(() => (window as unknown as { sawLoginForm?: boolean }).sawLoginForm ?? false)).toBe(false);
    expect((await meFromPage(page)).body).toMatchObject({ role: 'kiosk', kiosk: true });
  });

  it('show a full-screen message, never a login form, for a revoked or mistyped token', async () => {
    const page = await fresh();
    await page.goto(`${baseUrl}?kiosk=not-a-valid-kiosk-token-000000#/screen`);
    await page.waitForSelector('[data-testid="kiosk-blocked"]');
    expect(await page.textContent('[data-testid="kiosk-blocked"]')).toContain(zhCN.auth.kiosk.invalid);
    expect(page.url()).not.toContain('not-a-valid-kiosk-token');
    expect(await page.evaluate(() => (window as unknown as { sawLoginForm?: boolean }).sawLoginForm ?? false)).toBe(false);
    await screenshot(page, 'kiosk-blocked');
  });
});
