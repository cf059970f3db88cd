// The demo feed against the whole product on a real port and a real
// database: reports arrive through the public API, filed by the grid's own
// demo worker or the duty seat, located in the grid the feed placed them in;
// heartbeats change camera status; stopping the product stops the feed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewAreaData } from '../../data/types.ts';
import type { Incident, IncidentList } from '../../shared/schemas/incident.ts';
import type { IntakeMessageBody, IntakeResult } from '../../shared/schemas/intake.ts';
import { DEFAULT_DATA_FILE } from '../src/config.ts';
import { DEMO_FLEET } from '../src/domain/feed-devices.ts';
import { startProduct, type RunningProduct } from '../src/start.ts';
import type { Job } from '../src/simulator/outbox.ts';
import { createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signInOverHttp } from './helpers/sign-in.ts';
import { eventually as eventuallyOn, getJson } from './helpers/running-product.ts';

const DEMO_PASSWORD = 'Feed-Test-Passw0rd!';
const data = JSON.parse(readFileSync(DEFAULT_DATA_FILE, 'utf8')) as NewAreaData;

let db: TestDatabase;
let product: RunningProduct;
let cookie: string;
const delivered: { job: Job; answer: unknown }[] = [];

const eventually = <T>(check: () => Promise<T | undefined>, what: string) =>
  eventuallyOn(product, check, what, { timeoutMs: 90_000, everyMs: 250 });
const get = <T>(path: string) => getJson<T>(product, cookie, path);

beforeAll(async () => {
  db = await createTestDatabase();
  product = await startProduct({
    databaseUrl: db.url, port: 0, host: '127.0.0.1', clientDir: false,
    security: { demo: true, demoPassword: DEMO_PASSWORD },
    feed: {
      seed: 'simulator-test',
      // A flat, brisk rate so the test does not depend on the hour it runs at.
      reportsPerMinute: 90,
      tickMs: 200,
      signInsPerMinute: 15,
      // Faster heartbeats and many faults: the status layer must move within seconds.
      fleet: { ...DEMO_FLEET, cameraIntervalMs: 5000, sensorIntervalMs: 10_000, faultsPerHour: 3600, cameraOutagesPerHour: 0, siteOutagesPerHour: 0, fireAlarmsPerHour: 0 },
      onDelivered: (job, answer) => delivered.push({ job, answer }),
      // The duty officers have their own test (simulator-ops.test.ts); here the items stay as filed.
      officers: false,
    },
  });
  cookie = await signInOverHttp(product.app, product.url, 'test.feed-reader');
});

afterAll(async () => {
  await product?.close();
  await db?.drop();
});

describe('demo feed on a running product', () => {
  it('files reports through POST /api/v1/reports that a reader then finds through the API', async () => {
    const reports = await eventually(async () => {
      const done = delivered.filter((d) => d.job.kind === 'report');
      return done.length >= 12 ? done : undefined;
    }, '12 reports delivered');
    const list = await get<IncidentList>('api/v1/incidents?limit=500');
    const byId = new Map(list.incidents.map((i) => [i.id, i]));
    for (const { job, answer } of reports) {
      const body = job.body as { id: string; itemCode: string };
      expect((answer as Incident).id).toBe(body.id);
      const stored = byId.get(body.id) ?? (await get<{ incident: Incident }>(`api/v1/incidents/${body.id}`)).incident;
      expect(stored.itemCode).toBe(body.itemCode);
      // The server's spatial index puts it in the grid the feed placed it in.
      expect(stored.gridCode).toBe(job.gridCode);
    }
    // Field reports are filed by the grid's own worker; the rest by the duty seat.
    for (const { job } of reports) {
      const channel = (job.body as { channel: string }).channel;
      if (channel === 'field') expect(job.as).toEqual({ username: `worker.${job.gridCode}` });
      else expect(job.as).toEqual({ username: 'duty.district' });
    }
    const channels = new Set(list.incidents.map((i) => i.channel));
    expect(channels.has('hotline_12345') || channels.has('qr_code')).toBe(true);
    expect(channels.has('field')).toBe(true);
    for (const c of channels) expect(['field', 'hotline_12345', 'qr_code', 'chat_robot']).toContain(c);
    const accounts = await sql<{ username: string }>(db.url,
      `SELECT DISTINCT u.username FROM incidents i JOIN users u ON u.id = i.reporter_account_id WHERE i.channel = 'field'`);
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) expect(a.username).toMatch(/^worker\./);
  });

  it('forwards chat-group messages to the intake, which files them as chat-robot reports in their community', { timeout: 120_000 }, async () => {
    const chat = await eventually(async () => delivered.find((d) => d.job.kind === 'chat'), 'a chat message');
    const body = chat.job.body as IntakeMessageBody;
    const result = chat.answer as IntakeResult;
    expect(result.message.messageId).toBe(body.messageId);
    expect(result.message.communityCode).toBe(body.communityCode);
    // The feed words it with the item's own keywords, so the robot recognises it.
    expect(result.message.status).toBe('filed');
    expect(result.incident?.channel).toBe('chat_robot');
    expect(result.incident?.communityCode).toBe(body.communityCode);
  });

  it('sends camera heartbeats that change camera status in the database', { timeout: 120_000 }, async () => {
    const faulty = await eventually(async () => {
      const rows = await sql<{ code: string; fault_code: string | null }>(db.url, `SELECT code, fault_code FROM cameras WHERE status = 'fault'`);
      return rows.length > 0 ? rows : undefined;
    }, 'a camera in fault');
    expect(faulty[0].fault_code).toMatch(/^[A-Z_]+$/);
    // The rest report online: most of the fleet was heard from.
    const heard = await sql<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM cameras WHERE heard_at IS NOT NULL`);
    expect(heard[0].n).toBeGreaterThan(data.cameras.length / 2);
    // And the API says so too.
    const cameras = await get<{ features: { id: string; properties: { status: string } }[] }>('api/v1/cameras');
    const status = new Map(cameras.features.map((f) => [f.id, f.properties.status]));
    expect(faulty.some((f) => status.get(f.code) === 'fault')).toBe(true);
    const stats = product.feed!.stats();
    expect(stats.delivered.heartbeats).toBeGreaterThan(0);
  });

  it('sends only bodies the API accepts (nothing given up) and stops with the product', async () => {
    const feed = product.feed!;
    expect(feed.stats().gaveUp).toBe(0);
    await product.close();
    const after = feed.stats();
    const count = await sql<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM incidents').catch(() => [{ n: -1 }]);
    expect(count[0].n).toBeGreaterThanOrEqual(after.delivered.report);
  });
});
