// GET /api/v1/incidents?open=true: what a big screen's snapshot pages
// through (every open incident, not a capped newest page), on a real
// PostgreSQL: open ones only (any open status), paged to the end, in scope;
// open=false gives the closed ones; a bad value is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentList } from '../../shared/schemas/incident.ts';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client } from './helpers/sign-in.ts';
import { places, report } from './live-helpers.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let district: Client;
let townDuty: Client;
const TOWN = '321171001';
const filed: { id: string; town: string }[] = [];
let closedIds: string[] = [];

/** Follows nextCursor to the end, as the screen's snapshot does. */
async function allPages(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.request('GET', `/api/v1/incidents?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as IncidentList;
    ids.push(...page.incidents.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids.sort();
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 },
    live: { reportRateLimitPerMinute: 10_000, pruneIntervalMs: 0 },
  });
  await app.ready();
  const all = await places(app);
  const here = all.filter((p) => p.townCode === TOWN).slice(0, 6);
  const there = all.filter((p) => p.townCode !== TOWN).slice(0, 5);
  district = await signedIn(app, { username: 'x.district', role: 'district_duty' });
  townDuty = await signedIn(app, { username: 'x.town', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  for (const place of [...here, ...there]) {
    const body = report(place);
    const res = await district.request('POST', '/api/v1/reports', body);
    expect(res.statusCode).toBe(201);
    filed.push({ id: body.id, town: place.townCode });
  }
  // Two closed and one rated (both are not open); others stay in open statuses, one of them accepted.
  closedIds = [filed[0].id, filed[7].id, filed[8].id].sort();
  await sql(db.url, "UPDATE incidents SET status = 'closed' WHERE id = ANY($1::uuid[])", [[filed[0].id, filed[7].id]]);
  await sql(db.url, "UPDATE incidents SET status = 'rated' WHERE id = $1", [filed[8].id]);
  await sql(db.url, "UPDATE incidents SET status = 'accepted' WHERE id = $1", [filed[1].id]);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('GET /api/v1/incidents?open=', () => {
  it('pages through every open incident and none closed', async () => {
    const open = filed.map((f) => f.id).filter((id) => !closedIds.includes(id)).sort();
    expect(open).toHaveLength(8);
    expect(await allPages(district, 'open=true')).toEqual(open);
  });

  it('gives the closed ones for open=false', async () => {
    expect(await allPages(district, 'open=false')).toEqual(closedIds);
  });

  it("keeps a town officer's open incidents to their town", async () => {
    const mine = filed.filter((f) => f.town === TOWN && !closedIds.includes(f.id)).map((f) => f.id).sort();
    expect(mine).toHaveLength(5);
    expect(await allPages(townDuty, 'open=true')).toEqual(mine);
  });

  it('refuses a value that is not a boolean, saying which field', async () => {
    const res = await district.request('GET', '/api/v1/incidents?open=maybe');
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/open/);
  });
});
