// The incident CSV export (GET /api/v1/incidents/export.csv) on a real
// PostgreSQL: every row for the district, only the caller's town for a town
// officer (even unfiltered), another town's filter refused and audited, the
// reporter masked per role, no export for a kiosk, RFC 4180 quoting, bad
// filters refused. Also the statistics side of the same attack: a town officer
// asking for another town's screen figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client, type TestAccount } from './helpers/sign-in.ts';
import { places, report, type Place } from './live-helpers.ts';
import type { App } from '../src/app.ts';
import { EXPORT_MAX_ROWS } from '../src/routes/incident-export/index.ts';

type Signed = Client & { account: TestAccount };

let db: TestDatabase;
let app: App;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
const URL = '/api/v1/incidents/export.csv';
let here: Place;
let otherTown: Place;
let townDuty: Signed;
let districtDuty: Signed;
let leader: Signed;
let kiosk: Signed;
const TRICKY = 'A, "quoted" word\nsecond line';
const FORMULA = '=HYPERLINK("http://evil.example")';

/** A small RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

interface Export { status: number; headers: Record<string, unknown>; body: string; header: string[]; rows: Record<string, string>[] }

async function exportAs(client: Client, query = ''): Promise<Export> {
  const res = await client.request('GET', `${URL}${query}`);
  if (res.statusCode !== 200) return { status: res.statusCode, headers: res.headers, body: res.body, header: [], rows: [] };
  const body = res.body;
  const [header, ...lines] = parseCsv(body.replace(/^\uFEFF/, ''));
  // Keyed by the English in brackets, whichever language the header is in.
  const keys = header.map((h) => /\(([^)]+)\)$/.exec(h)?.[1] ?? h);
  return { status: 200, headers: res.headers, body, header, rows: lines.map((l) => Object.fromEntries(keys.map((k, i) => [k, l[i]]))) };
}

const idsIn = async (town?: string) => (await sql<{ id: string }>(db.url,
  `SELECT id FROM incidents WHERE $1::text IS NULL OR town_code = $1 ORDER BY id`, [town ?? null])).map((r) => r.id);

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 },
    live: { reportRateLimitPerMinute: 10_000, pruneIntervalMs: 0 },
  });
  await app.ready();
  const all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  otherTown = all.find((p) => p.townCode === OTHER_TOWN)!;
  townDuty = await signedIn(app, { username: 'x.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  districtDuty = await signedIn(app, { username: 'x.district', role: 'district_duty' });
  leader = await signedIn(app, { username: 'x.leader', role: 'leader' });
  kiosk = await signedIn(app, { username: 'x.kiosk', role: 'kiosk' });
  const files = [
    report(here, { description: TRICKY, reporter: { name: '王成亮', phone: '13812345678' } }),
    report(here, { description: FORMULA }),
    report(here, { itemCode: 'AQ-02', description: '普通描述' }),
    report(otherTown, { description: '外镇事件', reporter: { name: '李四', phone: '13700002222' } }),
    report(otherTown, { description: '外镇事件二' }),
  ];
  for (const body of files) {
    const res = await districtDuty.request('POST', '/api/v1/reports', body);
    expect(res.statusCode).toBe(201);
  }
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('GET /api/v1/incidents/export.csv', () => {
  it('gives a district officer every incident, as UTF-8 CSV with a BOM and a Chinese (English) header, audited', async () => {
    const out = await exportAs(districtDuty);
    expect(out.status).toBe(200);
    expect(out.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(out.headers['content-disposition']).toMatch(/^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(out.headers['x-export-truncated']).toBeUndefined();
    expect(out.body.startsWith('\uFEFF')).toBe(true);
    expect(out.header[0]).toBe('事件编号(Incident ID)');
    expect(out.header).toContain('上报人电话(Reporter phone)');
    const all = await idsIn();
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(out.rows.map((r) => r['Incident ID']).sort()).toEqual(all);
    expect(out.headers['x-export-rows']).toBe(String(all.length));
    // Newest first, like the listing.
    const times = out.rows.map((r) => Date.parse(r['Reported at']));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const [audit] = await sql<{ result: string; detail: string; actor: string }>(db.url,
      "SELECT result, detail, actor FROM audit_log WHERE action = 'incident.export' ORDER BY id DESC LIMIT 1");
    expect(audit).toMatchObject({ result: 'success', actor: 'x.district' });
    expect(audit.detail).toMatch(new RegExp(`^${all.length} rows; `));
  });

  it("gives a town officer only their town's rows, with no filter at all", async () => {
    const out = await exportAs(townDuty);
    expect(out.status).toBe(200);
    const mine = await idsIn(TOWN);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(out.rows.map((r) => r['Incident ID']).sort()).toEqual(mine);
    expect(new Set(out.rows.map((r) => r.Town))).toEqual(new Set([TOWN]));
    expect(out.body).not.toContain('外镇事件');
  });

  it("refuses a town officer's filter naming another town (403), stores an audit row of the refusal", async () => {
    const res = await townDuty.request('GET', `${URL}?town=${OTHER_TOWN}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain(`town ${OTHER_TOWN} is outside your data scope`);
    expect(res.body).not.toContain('外镇事件');
    const denied = await sql<{ result: string; detail: string; actor: string }>(db.url,
      "SELECT result, detail, actor FROM audit_log WHERE action = 'access.denied' AND detail LIKE 'GET /incidents/export.csv%'");
    expect(denied).toEqual([expect.objectContaining({ result: 'denied', actor: 'x.duty' })]);
    expect(denied[0].detail).toContain(OTHER_TOWN);
  });

  it('narrows by the same filters as the listing', async () => {
    const out = await exportAs(districtDuty, `?town=${OTHER_TOWN}&lang=en`);
    expect(out.header[0]).toBe('Incident ID');
    expect(out.rows.map((r) => r['Incident ID']).sort()).toEqual(await idsIn(OTHER_TOWN));
    const aq = await exportAs(townDuty, '?itemCode=AQ-02');
    expect(aq.rows.map((r) => r.Description)).toEqual(['普通描述']);
  });

  it('masks the reporter exactly as the listing does for the caller role', async () => {
    for (const [client, phone, name] of [[districtDuty, '13812345678', '王成亮'], [leader, '138****5678', '王*亮']] as const) {
      const out = await exportAs(client);
      const row = out.rows.find((r) => r.Description === TRICKY)!;
      expect(row['Reporter phone']).toBe(phone);
      expect(row['Reporter name']).toBe(name);
      const listed = (await client.request('GET', `/api/v1/incidents?town=${TOWN}`)).json().incidents
        .find((i: { id: string }) => i.id === row['Incident ID']);
      expect(listed.reporter).toMatchObject({ phone, name });
    }
  });

  it('quotes commas, quotes and line breaks, and defuses a formula', async () => {
    const out = await exportAs(districtDuty);
    expect(out.body).toContain('"A, ""quoted"" word\nsecond line"');
    expect(out.rows.map((r) => r.Description)).toContain(TRICKY);
    expect(out.rows.map((r) => r.Description)).toContain(`'${FORMULA}`);
  });

  it('refuses a kiosk (403) and an unsigned caller (401)', async () => {
    const res = await kiosk.request('GET', URL);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('事件编号');
    expect((await app.inject({ method: 'GET', url: URL })).statusCode).toBe(401);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [['?level=7', /level/], ['?status=nonsense', /status/], ['?from=yesterday', /from/],
      ['?lang=fr', /lang/], ['?cursor=abc', /cursor|additional/i], ['?town=a%20b', /town/]] as const) {
      const res = await districtDuty.request('GET', `${URL}${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message).toMatch(field);
    }
  });
});

describe('GET /api/v1/stats/screen: the same attack on the statistics', () => {
  it("refuses a town officer's scope=town:<other town> with 403 and audits it", async () => {
    const res = await townDuty.request('GET', `/api/v1/stats/screen?scope=town:${OTHER_TOWN}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/outside your data scope/);
    const denied = await sql<{ actor: string }>(db.url,
      "SELECT actor FROM audit_log WHERE action = 'access.denied' AND detail LIKE 'GET /api/v1/stats/screen%'");
    expect(denied.map((d) => d.actor)).toEqual(['x.duty']);
    expect((await townDuty.request('GET', `/api/v1/stats/screen?scope=town:${TOWN}`)).statusCode).toBe(200);
  });
});

describe('the row cap (runs last: it fills the table)', () => {
  it(`stops at ${EXPORT_MAX_ROWS} rows, newest first, and says so in X-Export-Truncated and the audit row`, async () => {
    const real = await idsIn();
    // Closed copies filed long ago (the SLA sweep ignores closed items), enough to pass the cap by one.
    await sql(db.url, `
      INSERT INTO incidents (id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description,
        channel, status, tier, request_hash, reported_at, updated_at)
      SELECT gen_random_uuid(), item_code, domain, level, lon, lat, grid_code, community_code, town_code, 'copy ' || n,
        channel, 'closed', tier, request_hash, reported_at - make_interval(days => 30, secs => n), updated_at
      FROM incidents, generate_series(1, $1::int - $2::int + 1) AS n
      WHERE id = $3`, [EXPORT_MAX_ROWS, real.length, real[0]]);
    const res = await districtDuty.request('GET', URL);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-export-truncated']).toBe(String(EXPORT_MAX_ROWS));
    expect(res.headers['x-export-rows']).toBe(String(EXPORT_MAX_ROWS));
    const rows = parseCsv(res.body.replace(/^\uFEFF/, '')).slice(1);
    expect(rows).toHaveLength(EXPORT_MAX_ROWS);
    // The newest are kept: every real report is in, the single oldest copy is the one cut.
    const ids = new Set(rows.map((r) => r[0]));
    for (const id of real) expect(ids.has(id)).toBe(true);
    const [oldest] = await sql<{ id: string }>(db.url, 'SELECT id FROM incidents ORDER BY reported_at, id LIMIT 1');
    expect(ids.has(oldest.id)).toBe(false);
    const [audit] = await sql<{ detail: string }>(db.url,
      "SELECT detail FROM audit_log WHERE action = 'incident.export' ORDER BY id DESC LIMIT 1");
    expect(audit.detail).toMatch(new RegExp(`^${EXPORT_MAX_ROWS} rows \\(truncated\\); `));
  }, 120_000);
});
