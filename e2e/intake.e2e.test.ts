// The chat-message triage page in real Chromium against the real product:
// a community liaison finds the messages the robot could not recognise,
// dismisses a thank-you with a reason and files another as an item; both
// leave the queue, and the API agrees with what the page showed.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchBrowser, screenshot, type MapPage } from './browser.ts';
import { apiSession, newTrackedPage, submitLoginForm } from './sign-in.ts';
import type { IntakeMessageList } from '../shared/schemas/intake.ts';

const baseUrl = inject('baseUrl');
const demoPassword = inject('demoPassword');
const COMMUNITY = '321171001001';
const LIAISON = `liaison.${COMMUNITY}`;

let browser: Browser;
const pages: MapPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const { page, requests, errors } of pages.splice(0)) {
    await page.context().close();
    expect(foreignRequests(requests, baseUrl)).toEqual([]);
    // 409s are answers the page shows; none is expected here, and nothing else may fail.
    expect(errors).toEqual([]);
  }
});

afterAll(async () => {
  await browser?.close();
});

async function postMessage(session: { cookie: string; csrf: string }, text: string): Promise<string> {
  const messageId = `e2e-${randomUUID()}`;
  const res = await fetch(`${baseUrl}api/v1/intake/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({ messageId, text, sender: { name: '王成亮', phone: '13812345678' }, communityCode: COMMUNITY }),
  });
  expect(res.status).toBe(201);
  expect((await res.json()).message.status).toBe('unclassified');
  return messageId;
}

async function pick(page: Page, messageId: string, text: string): Promise<void> {
  await page.click(`[data-testid="intake-list"] li[data-message="${messageId}"]`);
  await page.locator('[data-testid="intake-detail"] blockquote', { hasText: text }).waitFor();
}

describe('chat message triage', () => {
  it('a liaison dismisses a thank-you and files an unrecognised complaint; both leave the queue', async () => {
    const api = await apiSession(baseUrl, LIAISON, demoPassword);
    const tag = randomUUID().slice(0, 6);
    const thanks = `收到，谢谢网格员 ${tag}`;
    const complaint = `小区门口那个东西又坏了 ${tag}`;
    const thanksId = await postMessage(api, thanks);
    const complaintId = await postMessage(api, complaint);

    const tracked = await newTrackedPage(browser);
    pages.push(tracked);
    const { page } = tracked;
    page.setDefaultTimeout(90_000);
    await page.goto(`${baseUrl}#/intake`);
    await submitLoginForm(page, LIAISON, demoPassword);
    await page.waitForSelector('[data-testid="intake-view"]');
    // The header offers this account its pages, the triage page among them, and no administration.
    await page.waitForSelector('[data-testid="app-nav"] [data-nav="intake"]');
    expect(await page.locator('[data-testid="app-nav"] [data-nav="admin"]').count()).toBe(0);

    await pick(page, thanksId, thanks);
    await screenshot(page, 'intake-zh');
    await page.check('[data-testid="intake-dismiss"] input[value="thanks"]');
    await page.click('[data-testid="intake-dismiss"] button[type="submit"]');
    await page.locator('[data-testid="intake-feedback"]', { hasText: '已忽略' }).waitFor();
    await page.locator(`[data-testid="intake-list"] li[data-message="${thanksId}"]`).waitFor({ state: 'detached' });

    await pick(page, complaintId, complaint);
    await page.selectOption('[data-testid="intake-classify"] select[name="itemCode"]', 'MS-14');
    await page.click('[data-testid="intake-classify"] button[type="submit"]');
    await page.locator('[data-testid="intake-feedback"]', { hasText: '已立案' }).waitFor();
    await page.locator(`[data-testid="intake-list"] li[data-message="${complaintId}"]`).waitFor({ state: 'detached' });

    // The dismissed tab shows the thank-you with its reason.
    await page.click('[data-tab="dismissed"]');
    await pick(page, thanksId, thanks);
    expect(await page.textContent('[data-testid="intake-detail"]')).toContain('致谢');
    await page.click('[data-testid="locale-switch"]');
    await page.locator('[data-testid="intake-view"] h2', { hasText: 'Chat message triage' }).waitFor();
    await screenshot(page, 'intake-en');

    // What the server holds agrees.
    const read = async (status: string) => ((await (await fetch(`${baseUrl}api/v1/intake/messages?status=${status}&community=${COMMUNITY}&limit=200`,
      { headers: { cookie: api.cookie } })).json()) as IntakeMessageList).messages;
    const dismissed = (await read('dismissed')).find((m) => m.messageId === thanksId);
    expect(dismissed).toMatchObject({ status: 'dismissed', classifiedBy: LIAISON });
    expect(dismissed?.dismissReason).toContain('致谢');
    const classified = (await read('classified')).find((m) => m.messageId === complaintId);
    expect(classified).toMatchObject({ status: 'classified', itemCode: 'MS-14' });
    expect(classified?.incidentId).toBeTruthy();
  }, 600_000);
});
