// The demo's simulated duty officers against the whole product on a real
// port and a real database: items the feed files are accepted, dispatched to
// a fitting unit, taken, resolved, verified and closed by the demo accounts
// whose turn it is, through the public API; raised alerts get acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertList } from '../../shared/schemas/alert.ts';
import type { IncidentList, IncidentWithTimeline } from '../../shared/schemas/incident.ts';
import { leadUnitFor, seatAccount } from '../src/domain/feed-ops.ts';
import { startProduct, type RunningProduct } from '../src/start.ts';
import { createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signInOverHttp } from './helpers/sign-in.ts';
import { eventually as eventuallyOn, getJson } from './helpers/running-product.ts';

const DEMO_PASSWORD = 'Feed-Ops-Passw0rd!';

let db: TestDatabase;
let product: RunningProduct;
let cookie: string;

const eventually = <T>(check: () => Promise<T | undefined>, what: string) =>
  eventuallyOn(product, check, what, { timeoutMs: 150_000, everyMs: 500 });
const get = <T>(path: string) => getJson<T>(product, cookie, path);

beforeAll(async () => {
  db = await createTestDatabase();
  product = await startProduct({
    databaseUrl: db.url, port: 0, host: '127.0.0.1', clientDir: false,
    // Room for the officers' sign-ins (one per seat and unit) on top of the feed's and the test's.
    security: { demo: true, demoPassword: DEMO_PASSWORD, loginRateLimitPerMinute: 200 },
    feed: {
      seed: 'simulator-ops-test',
      reportsPerMinute: 20,
      // Half level-1 (district seat, level-1 alerts), the rest at town and community seats.
      level1Share: 0.5,
      // Minutes of real work pass in milliseconds: a whole loop in seconds.
      speed: 6000,
      tickMs: 200,
      signInsPerMinute: 120,
      fleet: false,
      officers: { pollMs: 300, signInsPerMinute: 120, shares: { late: 0, escalate: 0.05, returnByUnit: 0.05, rate: 0.5 } },
    },
  });
  cookie = await signInOverHttp(product.app, product.url, 'test.ops-reader');
}, 120_000);

afterAll(async () => {
  await product?.close();
  await db?.drop();
});

describe('simulated duty officers on a running product', () => {
  it('work items through accepted, dispatched, in progress, resolved, verified to closed, as the right accounts', { timeout: 200_000 }, async () => {
    const closed = await eventually(async () => {
      const list = await get<IncidentList>('api/v1/incidents?status=closed&limit=50');
      const rated = await get<IncidentList>('api/v1/incidents?status=rated&limit=50');
      const done = [...list.incidents, ...rated.incidents];
      return done.length >= 3 ? done : undefined;
    }, 'three closed items');
    for (const incident of closed) {
      const { timeline } = await get<IncidentWithTimeline>(`api/v1/incidents/${incident.id}`);
      const path = timeline.map((e) => e.toStatus).filter((s) => s);
      // The loop in order (an escalation or a unit's return may come between).
      const order = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
      let at = -1;
      for (const status of order) {
        const next = path.indexOf(status as (typeof path)[number], at + 1);
        expect(next, `${incident.id}: ${status} in ${path.join(' > ')}`).toBeGreaterThan(at);
        at = next;
      }
      // Only steps that moved the item: an alert linked to it or a supervision mark keeps its status (from = to).
      const byStatus = (s: string) => timeline.filter((e) => e.toStatus === s && e.fromStatus !== s).at(-1)!;
      // The unit that took and resolved it is the one dispatched to, a fitting one for its domain.
      const unit = `unit.${leadUnitFor(incident.itemCode, incident.domain)}`;
      expect(byStatus('in_progress').actor.username).toBe(unit);
      expect(byStatus('resolved').actor.username).toBe(unit);
      // The seat that owns it at the end verified and closed it.
      const seat = seatAccount(incident.tier, incident.townCode, incident.communityCode);
      expect(byStatus('verified').actor.username).toBe(seat);
      expect(byStatus('closed').actor.username).toBe(seat);
      expect(byStatus('accepted').actor.username).toMatch(/^(duty|liaison)\./);
    }
  });

  it('rate some closed items on a follow-up call', { timeout: 200_000 }, async () => {
    const rated = await eventually(async () => {
      const list = await get<IncidentList>('api/v1/incidents?status=rated&limit=10');
      return list.incidents[0];
    }, 'a rated item');
    const rows = await sql<{ score: number; comment: string | null }>(db.url, 'SELECT score, comment FROM ratings WHERE incident_id = $1', [rated.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].score).toBeGreaterThanOrEqual(3);
    expect(rows[0].comment).toMatch(/演示/);
  });

  it('acknowledge raised alerts (level-1 at the New Area desk)', { timeout: 200_000 }, async () => {
    const acknowledged = await eventually(async () => {
      const list = await get<AlertList>('api/v1/alerts?status=acknowledged&limit=50');
      return list.alerts.length > 0 ? list.alerts : undefined;
    }, 'an acknowledged alert');
    for (const alert of acknowledged) {
      expect(alert.acknowledgedBy).toMatch(alert.level === 1 ? /duty\.district/ : /duty\./);
      expect(Date.parse(alert.acknowledgedAt!)).toBeGreaterThanOrEqual(Date.parse(alert.raisedAt));
    }
    const stats = product.feed!.stats().officers!;
    expect(stats.acknowledged).toBeGreaterThan(0);
    expect(stats.acted).toBeGreaterThan(10);
    // Nothing the API refused outright: every body fits the schemas and goes to an account allowed to act.
    expect(stats.gaveUp, JSON.stringify(stats)).toBe(0);
  });
});
