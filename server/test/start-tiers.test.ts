// The start-tier table (START_TIERS) decides where a new item starts: with a
// changed table a level-3 report starts at the town's seat, shows in that
// seat's "new" queue (not the community's) and only that seat can accept it.
// Also: a bad START_TIERS fails start-up with a message naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';
import { signedIn, type Client } from './helpers/sign-in.ts';
import { places, report, type Place } from './live-helpers.ts';
import { dispatchOptionsFromEnv } from '../src/services/dispatch-service.ts';
import { ConfigError } from '../src/config.ts';
import type { QueueList } from '../../shared/schemas/dispatch.ts';
import { CATALOGUE_ITEMS } from '../../shared/catalogue.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let here: Place;
let worker: Client;
let liaison: Client;
let townDuty: Client;
let districtDuty: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 10_000 },
    live: { pruneIntervalMs: 0 },
    alerts: { tickMs: 0, pollMs: 0 },
    // Level 3 at the town, level 2 at the New Area (level 1 keeps its default).
    dispatch: { sweepMs: 0, startTiers: dispatchOptionsFromEnv({ START_TIERS: '2:district, 3:town' }).startTiers },
  });
  await app.ready();
  here = (await places(app))[0]!;
  const community = { level: 'community' as const, townCode: here.townCode, communityCode: here.communityCode };
  worker = await signedIn(app, { username: 't.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
  liaison = await signedIn(app, { username: 't.liaison', role: 'liaison', scope: community });
  townDuty = await signedIn(app, { username: 't.town', role: 'town_duty', scope: { level: 'town', townCode: here.townCode } });
  districtDuty = await signedIn(app, { username: 't.district', role: 'district_duty' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const itemOfLevel = (level: 1 | 2 | 3) => CATALOGUE_ITEMS.find((i) => i.level === level)!.code;
const newQueue = async (client: Client) => ((await client.request('GET', '/api/v1/queues/new')).json() as QueueList).items.map((i) => i.id);

describe('a configured start-tier table', () => {
  it('starts a level-3 item at the town seat: its queue, its acceptance', async () => {
    const res = await worker.request('POST', '/api/v1/reports', report(here, { itemCode: itemOfLevel(3) }));
    expect(res.statusCode).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({ level: 3, tier: 'town', status: 'reported' });

    expect(await newQueue(townDuty)).toContain(item.id);
    expect(await newQueue(liaison)).not.toContain(item.id);

    const byLiaison = await liaison.request('POST', `/api/v1/incidents/${item.id}/accept`, { expectedVersion: 1 });
    expect(byLiaison.statusCode).toBe(409);
    expect(byLiaison.json().code).toBe('not_owner');
    const byTown = await townDuty.request('POST', `/api/v1/incidents/${item.id}/accept`, { expectedVersion: 1 });
    expect(byTown.statusCode).toBe(200);
    expect(byTown.json().incident).toMatchObject({ status: 'accepted', tier: 'town' });
  });

  it('starts a level-2 item at the New Area', async () => {
    const res = await worker.request('POST', '/api/v1/reports', report(here, { itemCode: itemOfLevel(2) }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ level: 2, tier: 'district' });
    expect(await newQueue(districtDuty)).toContain(res.json().id);
    expect(await newQueue(townDuty)).not.toContain(res.json().id);
  });
});

describe('START_TIERS at start-up', () => {
  it('is read from the environment and refused with a clear message when wrong', () => {
    expect(dispatchOptionsFromEnv({}).startTiers).toEqual({ 1: 'district', 2: 'town', 3: 'community' });
    expect(dispatchOptionsFromEnv({ START_TIERS: '1=district,2=town,3=town' }).startTiers).toEqual({ 1: 'district', 2: 'town', 3: 'town' });
    expect(() => dispatchOptionsFromEnv({ START_TIERS: '3:city' })).toThrow(ConfigError);
    expect(() => dispatchOptionsFromEnv({ START_TIERS: '3:city' })).toThrow(/START_TIERS: start tier "3:city" is not LEVEL:TIER/);
    expect(() => dispatchOptionsFromEnv({ START_TIERS: '4:town' })).toThrow(/START_TIERS/);
  });
});
