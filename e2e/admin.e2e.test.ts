// The administrators' and the auditor's pages in real Chromium against the
// real product (global-setup.ts): the system administrator creates an
// account and issues a wall-screen token, the new holder signs in and must
// change the password, the wall-screen link opens the big screen, the
// security administrator changes the account's role and scope, the auditor
// finds all of it in the audit log, and a duty officer has no way in.
// The tests run in order and hand on what they made (the account, the link).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { zhCN } from '../client/src/i18n/zh-CN.ts';
import { en } from '../client/src/i18n/en.ts';
import { totpCode } from '../server/src/domain/totp.ts';
import { foreignRequests, launchBrowser, screenshot, type MapPage } from './browser.ts';
import { newTrackedPage, submitLoginForm } from './sign-in.ts';

const baseUrl = inject('baseUrl');
const demoPassword = inject('demoPassword');
const admins = inject('admins');
const NEW_USER = 'e2e.created.duty';
const TOWN = '321171001'; // 丁卯街道
const OTHER_TOWN = '321171002'; // 大港街道

vi.setConfig({ testTimeout: 240_000 });

let browser: Browser;
let current: MapPage | null = null;
/** Handed from test to test: the temporary password and the wall-screen link shown once. */
let temporaryPassword = '';
let kioskUrl = '';

async function fresh(): Promise<Page> {
  current = await newTrackedPage(browser);
  current.page.setDefaultTimeout(90_000);
  return current.page;
}

/** The TOTP time step each administrator last signed in with: a code is good once, so a second sign-in waits for the next one. */
const usedSteps = new Map<string, number>();
const step = () => Math.floor(Date.now() / 30_000);

/** Signs an administrator in through the form: password, then the TOTP code the form asks for. */
async function signInAdmin(page: Page, who: { username: string; password: string; totpSecret: string }): Promise<void> {
  await page.goto(baseUrl);
  await submitLoginForm(page, who.username, who.password);
  await page.waitForSelector('[data-testid="login-totp"]');
  const used = usedSteps.get(who.username) ?? -1;
  if (step() <= used) await page.waitForFunction((next) => Date.now() >= next * 30_000, used + 1, { timeout: 40_000 });
  usedSteps.set(who.username, step());
  await page.fill('[data-testid="login-totp"]', totpCode(who.totpSecret, new Date()));
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="account-button"]');
}

/** Opens the admin pages through the header's link, as a person would. */
async function openAdminFromNav(page: Page): Promise<void> {
  await page.click('[data-testid="app-nav"] [data-nav="admin"]');
  await page.waitForSelector('[data-testid="admin-view"]');
}

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim() ?? '';
const tabs = (page: Page) => page.$$eval('[data-tab]', (els) => els.map((e) => e.getAttribute('data-tab')));
const row = (name: string) => `[data-account="${name}"]`;

async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent?.includes(want) ?? false, [selector, expected] as const);
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  if (!current) return;
  const { page, requests, errors } = current;
  current = null;
  await page.context().close();
  expect(foreignRequests(requests, baseUrl)).toEqual([]);
  // 401 (signed-out probe, the TOTP step), 403 and 409 are answers these tests provoke.
  expect(errors.filter((e) => !/status of 40[139]/.test(e))).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

describe('the system administrator', () => {
  it('creates an account (temporary password shown once) and is told when the username is taken', async () => {
    const page = await fresh();
    await signInAdmin(page, admins.sysadmin);
    await openAdminFromNav(page);
    expect(await tabs(page)).toEqual(['accounts', 'kiosk', 'keys']);
    expect(await text(page, '.admin__head h1')).toBe(zhCN.admin.title);
    // Not the security administrator's buttons.
    await page.fill('[data-testid="accounts-search"]', 'e2e.');
    await page.waitForSelector(row('e2e.newcomer'));
    expect(await page.locator('[data-action="grant"], [data-action="unlock"], [data-action="reset-totp"]').count()).toBe(0);

    // Create a town duty officer of 丁卯街道 with a generated temporary password.
    await page.click('[data-testid="account-create-open"]');
    await page.fill('[data-testid="account-create"] input[name="username"]', NEW_USER);
    await page.fill('[data-testid="account-create"] input[name="displayName"]', '测试值班员');
    await page.selectOption('[data-testid="account-create"] select[name="role"]', 'town_duty');
    await page.selectOption('[data-testid="account-scope"] select[data-field="town"]', TOWN);
    await page.click('[data-testid="generate-password"]');
    const typed = await page.inputValue('[data-testid="account-create"] input[name="password"]');
    expect(typed.length).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'admin-account-create-zh-CN');
    await page.click('[data-testid="account-form-submit"]');

    await page.waitForSelector('[data-testid="admin-secret"]');
    temporaryPassword = await page.inputValue('[data-testid="admin-secret-value"]');
    expect(temporaryPassword).toBe(typed);
    expect(await text(page, '[data-testid="admin-secret-once"]')).toBe(zhCN.admin.secret.once);
    await page.click('[data-testid="admin-secret-close"]');
    await page.waitForSelector('[data-testid="admin-secret"]', { state: 'detached' });
    await page.fill('[data-testid="accounts-search"]', NEW_USER);
    await page.waitForSelector(`${row(NEW_USER)} [data-status="mustChange"]`);
    expect(await text(page, `${row(NEW_USER)} [data-field="role"]`)).toBe(zhCN.auth.roles.town_duty);
    expect(await text(page, `${row(NEW_USER)} [data-field="scope"]`)).toBe('丁卯街道');
    await screenshot(page, 'admin-accounts-zh-CN');

    // The same username again: the server's 409, in words, and the form stays open.
    await page.click('[data-testid="account-create-open"]');
    await page.fill('[data-testid="account-create"] input[name="username"]', NEW_USER);
    await page.fill('[data-testid="account-create"] input[name="displayName"]', 'again');
    await page.selectOption('[data-testid="account-scope"] select[data-field="town"]', TOWN);
    await page.click('[data-testid="generate-password"]');
    await page.click('[data-testid="account-form-submit"]');
    await page.waitForSelector('[data-testid="account-form-error"]');
    const refusal = await text(page, '[data-testid="account-form-error"]');
    expect(refusal).toContain(zhCN.admin.errors[409].replace('{message}', '').trim());
    expect(refusal).toContain(`username ${NEW_USER} is taken`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="account-create"]', { state: 'detached' });
  }, 600_000);

  it('issues a wall-screen link shown once with a copy button, lists the token without it, and speaks English on the switch', async () => {
    const page = await fresh();
    await signInAdmin(page, admins.sysadmin);
    await openAdminFromNav(page);
    // A wall-screen token for 丁卯街道: the link is shown once, with a copy button.
    await page.click('[data-tab="kiosk"]');
    await page.waitForSelector('[data-testid="admin-kiosk"]');
    await page.fill('[data-testid="kiosk-issue"] input[name="name"]', '丁卯街道集成中心大屏');
    await page.selectOption('[data-testid="kiosk-scope"] select[data-field="level"]', 'town');
    await page.selectOption('[data-testid="kiosk-scope"] select[data-field="town"]', TOWN);
    await page.click('[data-testid="kiosk-issue-submit"]');
    await page.waitForSelector('[data-testid="admin-secret"]');
    kioskUrl = await page.inputValue('[data-testid="admin-secret-value"]');
    expect(kioskUrl).toMatch(new RegExp(`^${baseUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\?kiosk=[^#&]{20,}#/screen$`));
    expect(await text(page, '[data-testid="admin-secret-once"]')).toBe(zhCN.admin.secret.once);
    await page.click('[data-testid="admin-secret-copy"]');
    await page.waitForSelector('[data-testid="admin-secret-copied"]');
    await screenshot(page, 'admin-kiosk-issued-zh-CN');
    await page.click('[data-testid="admin-secret-close"]');
    await page.waitForSelector('[data-kiosk="丁卯街道集成中心大屏"] [data-field="status"]');
    // Closed means gone: the list never holds the token itself.
    expect(await page.content()).not.toContain(kioskUrl.split('kiosk=')[1]!.split('#')[0]);

    // The same pages in English.
    await page.click('[data-testid="locale-switch"]');
    await page.click('[data-tab="accounts"]');
    await page.fill('[data-testid="accounts-search"]', 'e2e.');
    await page.waitForSelector(row(NEW_USER));
    expect(await text(page, '.admin__head h1')).toBe(en.admin.title);
    expect(await text(page, '[data-testid="account-create-open"]')).toBe(en.admin.accounts.create);
    await screenshot(page, 'admin-accounts-en');
  }, 600_000);
});

describe('the new account and the wall screen', () => {
  it('signs the new account in with the temporary password and makes it choose its own', async () => {
    expect(temporaryPassword).not.toBe('');
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, NEW_USER, temporaryPassword);
    await page.waitForSelector('[data-testid="password-change-form"]');
    await page.fill('[data-testid="new-password"]', 'Dingmao-Desk-2026');
    await page.fill('[data-testid="confirm-password"]', 'Dingmao-Desk-2026');
    await page.click('[data-testid="password-change-submit"]');
    await page.waitForFunction(() => !location.hash.startsWith('#/login'));
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me).toMatchObject({ username: NEW_USER, role: 'town_duty', scope: { level: 'town', townCode: TOWN }, pending: [] });
  });

  it('opens the big screen from the issued link, read-only and in its town', async () => {
    expect(kioskUrl).not.toBe('');
    const page = await fresh();
    await page.goto(kioskUrl);
    await page.waitForSelector('[data-testid="big-screen"]');
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me).toMatchObject({ role: 'kiosk', kiosk: true, scope: { level: 'town', townCode: TOWN } });
    expect(page.url()).not.toContain('kiosk=');
  });
});

describe('the security administrator', () => {
  it('changes the new account\'s role and scope (a permission change), and has none of the system administrator\'s buttons', async () => {
    const page = await fresh();
    await signInAdmin(page, admins.secadmin);
    await openAdminFromNav(page);
    expect(await tabs(page)).toEqual(['accounts']);
    expect(await page.locator('[data-testid="account-create-open"]').count()).toBe(0);
    await page.fill('[data-testid="accounts-search"]', NEW_USER);
    await page.waitForSelector(row(NEW_USER));
    expect(await page.locator('[data-action="toggle-disabled"], [data-action="reset-password"]').count()).toBe(0);

    await page.click(`${row(NEW_USER)} [data-action="grant"]`);
    await page.waitForSelector('[data-testid="account-grant"]');
    await page.selectOption('[data-testid="account-grant"] select[name="role"]', 'leader');
    await page.selectOption('[data-testid="account-scope"] select[data-field="level"]', 'town');
    await page.selectOption('[data-testid="account-scope"] select[data-field="town"]', OTHER_TOWN);
    await screenshot(page, 'admin-grant-zh-CN');
    await page.click('[data-testid="account-form-submit"]');
    await page.waitForSelector('[data-testid="account-grant"]', { state: 'detached' });
    await waitForText(page, '[data-testid="admin-notice"]', NEW_USER);
    await waitForText(page, `${row(NEW_USER)} [data-field="role"]`, zhCN.auth.roles.leader);
    expect(await text(page, `${row(NEW_USER)} [data-field="scope"]`)).toBe('大港街道');
  });
});

describe('the audit administrator', () => {
  it('finds the creation, the permission change and the wall-screen token in the audit log, with before and after, and exports them', async () => {
    const page = await fresh();
    await signInAdmin(page, admins.auditor);
    await openAdminFromNav(page);
    expect(await tabs(page)).toEqual(['audit']);

    await page.fill('[data-testid="audit-filters"] input[name="action"]', 'account');
    await page.click('[data-testid="audit-search"]');
    const grant = `[data-audit-action="account.grant"][data-audit-actor="${admins.secadmin.username}"]`;
    await page.waitForSelector(grant);
    await page.waitForSelector(`[data-audit-action="account.create"][data-audit-actor="${admins.sysadmin.username}"]`);
    await page.click(grant);
    // What changed first, in words (the scope by its place names), then the full before and after.
    await waitForText(page, '[data-testid="audit-changes"] [data-field="scope"]', '丁卯街道 → 大港街道');
    expect(await text(page, '[data-testid="audit-changes"] [data-field="role"]')).toContain('town_duty → leader');
    expect(JSON.parse(await text(page, '[data-testid="audit-before"]'))).toMatchObject({ username: NEW_USER, role: 'town_duty', scope: { townCode: TOWN } });
    expect(JSON.parse(await text(page, '[data-testid="audit-after"]'))).toMatchObject({ username: NEW_USER, role: 'leader', scope: { townCode: OTHER_TOWN } });
    await screenshot(page, 'admin-audit-zh-CN');

    await page.fill('[data-testid="audit-filters"] input[name="action"]', 'kiosk-token.issue');
    await page.fill('[data-testid="audit-filters"] input[name="actor"]', admins.sysadmin.username);
    await page.click('[data-testid="audit-search"]');
    await page.waitForSelector(`[data-audit-action="kiosk-token.issue"][data-audit-actor="${admins.sysadmin.username}"]`);
    expect(await page.locator('[data-audit-action]').count()).toBe(1);

    // The export downloads what the filters match.
    const href = (await page.getAttribute('[data-testid="audit-export"]', 'href'))!;
    expect(href).toContain('/api/v1/audit/export?');
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.body.trim().split('\r\n')).toHaveLength(2);
    expect(csv.body).toContain('kiosk-token.issue');

    // A malformed action is stopped with a reason, not sent.
    await page.fill('[data-testid="audit-filters"] input[name="action"]', 'Account!');
    await page.click('[data-testid="audit-search"]');
    expect(await text(page, '[data-testid="admin-error"]')).toBe(zhCN.admin.audit.badAction);

    await page.click('[data-testid="locale-switch"]');
    await page.fill('[data-testid="audit-filters"] input[name="action"]', 'account.grant');
    await page.fill('[data-testid="audit-filters"] input[name="actor"]', '');
    await page.click('[data-testid="audit-search"]');
    await page.waitForSelector(grant);
    await page.click(grant);
    await page.waitForSelector('[data-testid="audit-after"]');
    expect(await text(page, '.admin__head h1')).toBe(en.admin.title);
    await screenshot(page, 'admin-audit-en');
  }, 600_000);
});

describe('a duty officer', () => {
  it('has no admin link, is told it has no access at #/admin, and the server refuses the API', async () => {
    const page = await fresh();
    await page.goto(baseUrl);
    await submitLoginForm(page, 'duty.district', demoPassword);
    await page.waitForSelector('[data-testid="app-nav"]');
    expect(await page.locator('[data-testid="app-nav"] [data-nav="admin"]').count()).toBe(0);
    await page.goto(`${baseUrl}#/admin`);
    await page.waitForSelector('[data-testid="admin-forbidden"]');
    expect(await text(page, '[data-testid="admin-forbidden"] .panel__title')).toBe(zhCN.admin.forbidden.title);
    expect(await page.locator('[data-tab]').count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/admin/accounts')).status);
    expect(status).toBe(403);
    await screenshot(page, 'admin-forbidden-zh-CN');
  });
});
