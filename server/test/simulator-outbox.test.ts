// The feed's outbox against a real HTTP server that fails on purpose: a
// report is retried with the same body (so the same id) until it is taken,
// a refused one is given up at once, a signed-out session signs in again,
// and the sign-in budget paces new sessions.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/simulator/api-client.ts';
import { CredentialPool } from '../src/simulator/credentials.ts';
import { Outbox, type Job } from '../src/simulator/outbox.ts';

interface Seen { path: string; body: string; cookie?: string; csrf?: string }

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
const signIns: string[] = [];
/** How many times each report id still fails before it is taken. */
const failuresLeft = new Map<string, number>();
let sessionCounter = 0;
const endedSessions = new Set<string>();

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.url === '/api/v1/auth/login') {
      const { username } = JSON.parse(body) as { username: string };
      signIns.push(username);
      sessionCounter += 1;
      return json(200, { csrfToken: `csrf-${sessionCounter}`, pending: [] }, { 'set-cookie': `gcc_session=s${sessionCounter}; Path=/; HttpOnly` });
    }
    const cookie = req.headers.cookie;
    seen.push({ path: req.url ?? '', body, cookie, csrf: req.headers['x-csrf-token'] as string | undefined });
    if (cookie && endedSessions.has(cookie)) return json(401, { statusCode: 401, error: 'Unauthorized', message: 'sign in first' });
    const { id } = JSON.parse(body) as { id: string };
    if (id === 'stale') return json(409, { statusCode: 409, error: 'Conflict', message: 'changed meanwhile (version 3, you had 2); reload it' });
    if (id === 'refused') return json(400, { statusCode: 400, error: 'Bad Request', message: 'body/itemCode is not a catalogue item' });
    const left = failuresLeft.get(id) ?? 0;
    if (left > 0) {
      failuresLeft.set(id, left - 1);
      return json(503, { statusCode: 503, error: 'Service Unavailable', message: 'try again' });
    }
    return json(201, { id });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

function outboxFor(options: { signInsPerMinute?: number; now?: () => number } = {}) {
  const api = new ApiClient({ baseUrl, timeoutMs: 5000 });
  const credentials = new CredentialPool(api, { password: 'pw', signInsPerMinute: options.signInsPerMinute ?? 60, now: options.now });
  const problems: string[] = [];
  const delivered: Job[] = [];
  const finished: string[] = [];
  const outbox = new Outbox(api, credentials, {
    concurrency: 2, capacity: 100, backoffBaseMs: 5, backoffMaxMs: 20, random: () => 0.5, now: options.now,
    onProblem: (message) => problems.push(message), onDelivered: (job) => delivered.push(job),
    onFinished: (job, why) => finished.push(`${job.label}: ${why}`),
  });
  return { outbox, problems, delivered, finished };
}

function job(id: string, username = 'worker.a'): Job {
  return { kind: 'report', label: `report ${id}`, as: { username }, path: 'api/v1/reports', body: { id, itemCode: 'MS-09' }, attempts: 0, notBefore: 0 };
}

async function drain(outbox: Outbox, until: () => boolean): Promise<void> {
  while (!until()) {
    outbox.pump();
    await outbox.settled();
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('demo feed outbox over real HTTP', () => {
  it('retries a failing report with the same id and body until it is taken, once', async () => {
    seen.length = 0;
    failuresLeft.set('r1', 3);
    const { outbox, problems, delivered } = outboxFor();
    outbox.add(job('r1'));
    await drain(outbox, () => delivered.length === 1);
    const attempts = seen.filter((s) => s.path === '/api/v1/reports');
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1); // same body every time, so the same id
    expect(attempts.every((a) => a.csrf && a.cookie?.startsWith('gcc_session='))).toBe(true);
    expect(outbox.stats.retries).toBe(3);
    expect(outbox.stats.delivered.report).toBe(1);
    expect(problems.filter((p) => p.includes('retrying'))).toHaveLength(3);
    expect(outbox.waiting).toBe(0);
  });

  it('gives up at once on a report the server refuses (4xx), and says so', async () => {
    seen.length = 0;
    const { outbox, problems } = outboxFor();
    outbox.add(job('refused'));
    await drain(outbox, () => outbox.stats.gaveUp === 1);
    expect(seen).toHaveLength(1);
    expect(outbox.stats.retries).toBe(0);
    expect(problems[0]).toMatch(/giving up on report refused/);
    expect(outbox.waiting).toBe(0);
  });

  it('takes a 409 on an officer\'s action as someone else acting first: not retried, not a failure', async () => {
    seen.length = 0;
    const { outbox, problems, finished } = outboxFor();
    outbox.add({ ...job('stale', 'duty.district'), kind: 'action', label: 'accept stale', conflictMeansDone: true });
    await drain(outbox, () => finished.length === 1);
    expect(finished).toEqual(['accept stale: superseded']);
    expect(seen).toHaveLength(1);
    expect(outbox.stats).toMatchObject({ superseded: 1, gaveUp: 0, retries: 0 });
    expect(problems).toEqual([]);
    // A report answered 409 is a real refusal (a different body under the same id).
    outbox.add(job('stale'));
    await drain(outbox, () => finished.length === 2);
    expect(finished[1]).toBe('report stale: gave-up');
    expect(outbox.stats.gaveUp).toBe(1);
  });

  it('signs in again when the session has ended (401), then delivers', async () => {
    signIns.length = 0;
    const { outbox, delivered } = outboxFor();
    outbox.add(job('r2', 'worker.b'));
    await drain(outbox, () => delivered.length === 1);
    endedSessions.add(seen[seen.length - 1].cookie!);
    outbox.add(job('r3', 'worker.b'));
    await drain(outbox, () => delivered.length === 2);
    expect(signIns.filter((u) => u === 'worker.b')).toHaveLength(2);
  });

  it('paces new sign-ins by its budget and delivers the waiting reports later', async () => {
    signIns.length = 0;
    let now = 1_000_000;
    const { outbox, delivered } = outboxFor({ signInsPerMinute: 2, now: () => now });
    for (const user of ['u1', 'u2', 'u3', 'u4']) outbox.add(job(`pace-${user}`, `worker.${user}`));
    await drain(outbox, () => delivered.length === 2);
    outbox.pump();
    await outbox.settled();
    expect(signIns).toHaveLength(2); // the budget of 2 is spent; the others wait
    expect(outbox.waiting).toBe(2);
    now += 60_000; // a minute later the budget is back
    await drain(outbox, () => delivered.length === 4);
    expect(signIns).toHaveLength(4);
  });

  it('drops heartbeat batches gone stale instead of sending them late', async () => {
    seen.length = 0;
    let now = 5_000_000;
    const { outbox } = outboxFor({ now: () => now });
    failuresLeft.set('hb', 1);
    outbox.add({ ...job('hb'), kind: 'heartbeats', label: 'heartbeats', expiresAt: now + 1000 });
    await drain(outbox, () => outbox.stats.retries === 1);
    now += 2000;
    outbox.pump();
    await outbox.settled();
    expect(outbox.stats.expired).toBe(1);
    expect(outbox.waiting).toBe(0);
    expect(seen).toHaveLength(1);
  });
});
