// Data scope applied in SQL, on what exists now: grid staff (personal data).
// A town officer sees their town's staff only, is refused another town
// outright, and names/phones are masked unless the role needs them; phones
// are stored encrypted. The geo API stays readable district-wide (no
// personal data in it; the grid secretary's name is masked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client } from './helpers/sign-in.ts';
import { seedDemo, demoPhone } from '../src/services/demo-seed.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let community: string;
let duty: Client;
let liaison: Client;
let leader: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
  // Demo seeding is the only source of staff phone numbers so far.
  await seedDemo(app.repos, app.fieldCipher, 'Unused-Passw0rd!');
  [{ code: community }] = await sql<{ code: string }>(db.url, 'SELECT code FROM communities WHERE town_code = $1 ORDER BY code LIMIT 1', [TOWN]);
  duty = await signedIn(app, { username: 't.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  liaison = await signedIn(app, { username: 't.liaison', role: 'liaison', scope: { level: 'community', townCode: TOWN, communityCode: community } });
  leader = await signedIn(app, { username: 't.leader', role: 'leader' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

type Staff = { code: string; name: string; townCode: string; communityCode: string; phone: string | null };
const list = async (client: Client, query = '') => {
  const res = await client.request('GET', `/api/v1/staff${query}`);
  return { status: res.statusCode, body: res.json() as { staff: Staff[]; masked: boolean; message?: string } };
};

describe('scope in SQL', () => {
  it('a town officer listing without a filter gets their own town only', async () => {
    const { status, body } = await list(duty, '?limit=1000');
    expect(status).toBe(200);
    expect(body.staff.length).toBeGreaterThan(0);
    expect(new Set(body.staff.map((s) => s.townCode))).toEqual(new Set([TOWN]));
  });

  it('a town officer asking for another town is refused (403), and the refusal is audited', async () => {
    const { status, body } = await list(duty, `?town=${OTHER_TOWN}`);
    expect(status).toBe(403);
    expect(body.message).toBe(`town ${OTHER_TOWN} is outside your data scope`);
    const [row] = await sql<{ result: string; detail: string }>(db.url, "SELECT result, detail FROM audit_log WHERE actor = 't.duty' AND action = 'access.denied'");
    expect(row).toEqual({ result: 'denied', detail: `GET /staff: town ${OTHER_TOWN} is outside your data scope` });
  });

  it('a town officer naming a grid of another town gets nothing: the scope is in the SQL, not only in the filter check', async () => {
    const [{ code: foreignGrid }] = await sql<{ code: string }>(db.url, 'SELECT code FROM grids WHERE town_code = $1 LIMIT 1', [OTHER_TOWN]);
    const { status, body } = await list(duty, `?grid=${foreignGrid}`);
    expect(status).toBe(200);
    expect(body.staff).toEqual([]);
  });

  it('a liaison sees their community only and is refused another', async () => {
    const { body } = await list(liaison, '?limit=1000');
    expect(new Set(body.staff.map((s) => s.communityCode))).toEqual(new Set([community]));
    expect((await list(liaison, `?community=${community.slice(0, -1)}9`)).status).toBe(403);
  });

  it('the district sees every town', async () => {
    for (const town of [TOWN, OTHER_TOWN]) {
      const { status, body } = await list(leader, `?town=${town}&limit=5`);
      expect(status).toBe(200);
      expect(body.staff.map((s) => s.townCode)).toEqual([town, town, town, town, town]);
    }
  });
});

describe('masking and encryption', () => {
  it('shows duty officers names and numbers in full, leaders masked', async () => {
    const full = (await list(duty, '?limit=5')).body;
    expect(full.masked).toBe(false);
    expect(full.staff[0].phone).toBe(demoPhone(full.staff[0].code));
    const masked = (await list(leader, `?town=${TOWN}&limit=5`)).body;
    expect(masked.masked).toBe(true);
    expect(masked.staff[0].code).toBe(full.staff[0].code);
    expect(masked.staff[0].phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(masked.staff[0].name).not.toBe(full.staff[0].name);
    expect(masked.staff[0].name).toContain('*');
  });

  it('stores phone numbers encrypted, findable by keyed hash only', async () => {
    const [row] = await sql<{ code: string; phone_enc: string; phone_hash: string }>(db.url, 'SELECT code, phone_enc, phone_hash FROM staff ORDER BY code LIMIT 1');
    const phone = demoPhone(row.code);
    expect(row.phone_enc).not.toContain(phone);
    expect(row.phone_hash).not.toContain(phone);
    expect(await app.repos.staff.codesByPhoneHash(app.fieldCipher.lookupHash(phone))).toContain(row.code);
  });

  it('keeps the district-wide geo API free of personal data: the grid secretary is masked for everyone', async () => {
    const grids = (await duty.request('GET', `/api/v1/grids?town=${OTHER_TOWN}`)).json() as { features: { properties: { secretary: string } }[] };
    expect(grids.features.length).toBeGreaterThan(0);
    expect(grids.features.every((g) => g.properties.secretary === '' || g.properties.secretary.includes('*'))).toBe(true);
  });

  it('gives the staff list to no role without staff:read (administrators, kiosks)', async () => {
    const sys = await signedIn(app, { username: 't.sys', role: 'sysadmin' });
    expect((await list(sys)).status).toBe(403);
  });
});
