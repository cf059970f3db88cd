// Open311 GeoReport v2 driven as the spec (wiki.open311.org/GeoReport_v2)
// describes it: services.json and service definitions (public), a
// form-encoded POST like the spec's example (api_key, service_code, lat,
// long, address_string, names, phone, email, media_url, attribute[...]),
// JSON POSTs, the response arrays, the errors format ([{code, description}]
// with 400 / 403 / 404), open/closed status mapping, the filters of GET
// requests, and what a retried POST does (the spec has no client id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { places, report, type Place } from './live-helpers.ts';
import {
  Open311Errors, Open311RequestCreatedList, Open311RequestList, Open311ServiceDefinition, Open311ServiceList,
} from '../../shared/schemas/open311.ts';
import { systemActor } from '../src/realtime/actor.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
// A moment well inside a 10-minute bucket; tests move it forward only.
const clock = manualClock(new Date('2026-11-30T08:03:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let here: Place;
let otherTown: Place;
let districtKey: string; // open311, district
let townKey: string; // hotline_12345, TOWN
let robotKey: string; // chat_robot: not an Open311 channel
let revokedKey: string;
let sys: Client;
let duty: Client;

const counts = async () => Number((await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM incidents'))[0].n);
const form = (fields: Record<string, string | number>) => new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();

function postForm(fields: Record<string, string | number>, target: App = app) {
  return target.inject({
    method: 'POST', url: '/open311/v2/requests.json',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: form(fields),
  });
}

function expectErrors(res: { statusCode: number; json(): unknown }, status: number, pattern?: RegExp) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { code: number; description: string }[];
  expect(Value.Check(Open311Errors, body)).toBe(true);
  expect(body.length).toBeGreaterThan(0);
  expect(body[0].code).toBe(status);
  if (pattern) expect(body[0].description).toMatch(pattern);
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000, clock }, live: { reportRateLimitPerMinute: 1000, pruneIntervalMs: 0 } });
  await app.ready();
  const all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  otherTown = all.find((p) => p.townCode === OTHER_TOWN)!;
  sys = await signedIn(app, { username: 'sys', role: 'sysadmin' });
  duty = await signedIn(app, { username: 'duty', role: 'district_duty' });
  const issue = async (name: string, channel: string, scope: unknown) => {
    const res = await sys.request('POST', '/api/v1/admin/integration-keys', { name, channel, scope });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { key: { id: number }; secret: string };
  };
  districtKey = (await issue('市民随手拍App', 'open311', { level: 'district' })).secret;
  townKey = (await issue('12345热线', 'hotline_12345', { level: 'town', townCode: TOWN })).secret;
  robotKey = (await issue('群机器人', 'chat_robot', { level: 'district' })).secret;
  const revoked = await issue('old app', 'open311', { level: 'district' });
  revokedKey = revoked.secret;
  expect((await sys.request('DELETE', `/api/v1/admin/integration-keys/${revoked.key.id}`)).statusCode).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

/** The spec's example request, with our service codes and a point in the New Area. */
const specExample = (over: Record<string, string | number> = {}) => ({
  api_key: districtKey, jurisdiction_id: '321171', service_code: 'MS-09', lat: here.lat, long: here.lon,
  address_string: '丁卯街道经十五路与纬八路交叉口', email: 'smit333@example.cn', device_id: 'tt222111', account_id: '123456',
  first_name: '三', last_name: '张', phone: '13912345678', description: '路面一个大坑，请联系13912345678',
  media_url: 'https://photos.example.cn/2212426634_5ed477a060.jpg', 'attribute[WHISPAWN]': '123456', ...over,
});

describe('GET services', () => {
  it('lists the 70 catalogue items with the spec\'s fields, publicly, as UTF-8 JSON', async () => {
    const res = await app.inject({ url: '/open311/v2/services.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = res.json();
    expect(Value.Check(Open311ServiceList, services)).toBe(true);
    expect(services).toHaveLength(70);
    expect(services.find((s: { service_code: string }) => s.service_code === 'MS-04')).toEqual({
      service_code: 'MS-04', service_name: '整栋楼停水', description: expect.stringContaining('Water outage in a whole building'),
      metadata: false, type: 'realtime', keywords: '停水,没水,水压低,断水', group: '民生服务',
    });
    expect((await app.inject({ url: '/open311/v2/services.json?jurisdiction_id=321171' })).statusCode).toBe(200);
    // An empty optional parameter is the same as none.
    expect((await app.inject({ url: '/open311/v2/services.json?jurisdiction_id=' })).statusCode).toBe(200);
  });

  it('answers a foreign jurisdiction_id with 404 in the spec\'s error format', async () => {
    expectErrors(await app.inject({ url: '/open311/v2/services.json?jurisdiction_id=sfgov.org' }), 404, /jurisdiction_id sfgov\.org/);
  });

  it('gives a service definition with no attributes (metadata is false), 404 for an unknown code, JSON only', async () => {
    const res = await app.inject({ url: '/open311/v2/services/AQ-03.json' });
    expect(res.statusCode).toBe(200);
    expect(Value.Check(Open311ServiceDefinition, res.json())).toBe(true);
    expect(res.json()).toEqual({ service_code: 'AQ-03', attributes: [] });
    expectErrors(await app.inject({ url: '/open311/v2/services/XX-99.json' }), 404, /service_code XX-99/);
    expectErrors(await app.inject({ url: '/open311/v2/services.xml' }), 404, /JSON only/);
    expectErrors(await app.inject({ url: '/open311/v2/tokens/123.json' }), 404);
  });

  it('publishes a service discovery document', async () => {
    const res = await app.inject({ url: '/open311/discovery.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json'] });
  });
});

describe('POST requests', () => {
  let created: string;

  it('files the spec\'s form-encoded example as an open311 report and answers [{service_request_id, service_notice, account_id}]', async () => {
    const before = await counts();
    const res = await postForm(specExample());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(Value.Check(Open311RequestCreatedList, body)).toBe(true);
    expect(body).toHaveLength(1);
    expect(body[0].service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body[0].service_notice).toContain('120分钟内响应');
    expect(body[0].account_id).toBeNull();
    created = body[0].service_request_id;
    expect(await counts()).toBe(before + 1);

    // Through the core: the incident, as a duty officer reads it.
    const read = (await duty.request('GET', `/api/v1/incidents/${created}`)).json().incident;
    expect(read).toMatchObject({ itemCode: 'MS-09', channel: 'open311', lon: here.lon, lat: here.lat, gridCode: here.gridCode,
      reporter: { name: '张三', phone: '13912345678' }, photoUrls: ['https://photos.example.cn/2212426634_5ed477a060.jpg'] });
    expect(read.description).toContain('地址：丁卯街道经十五路与纬八路交叉口');
    // The e-mail address and device id are not kept anywhere on the incident.
    const [row] = await sql(db.url, 'SELECT * FROM incidents WHERE id = $1', [created]);
    expect(JSON.stringify(row)).not.toContain('smit333');
    expect(JSON.stringify(row)).not.toContain('tt222111');
  });

  it('a retried identical POST answers the same service_request_id (200) and files nothing, also across a 10-minute bucket edge', async () => {
    const before = await counts();
    const again = await postForm(specExample());
    expect(again.statusCode).toBe(200);
    expect(again.json()[0].service_request_id).toBe(created);
    clock.advance(9 * 60_000); // 08:12: the next bucket, 9 minutes after the first POST
    const later = await postForm(specExample());
    expect(later.statusCode).toBe(200);
    expect(later.json()[0].service_request_id).toBe(created);
    expect(await counts()).toBe(before);
    // Past the window, the same words are a new report.
    clock.advance(2 * 60_000);
    const fresh = await postForm(specExample());
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json()[0].service_request_id).not.toBe(created);
    expect(await counts()).toBe(before + 1);
  });

  it('takes JSON too, an api_key in the query or as a bearer token, and empty optional fields as absent', async () => {
    const json = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: {
      api_key: districtKey, service_code: 'MS-10', lat: here.lat, long: here.lon, description: '路灯不亮',
    } });
    expect(json.statusCode, json.body).toBe(201);
    const query = await app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${districtKey}`, payload: {
      service_code: 'MS-10', lat: here.lat, long: here.lon, description: '另一盏路灯不亮',
    } });
    expect(query.statusCode, query.body).toBe(201);
    const bearer = await app.inject({
      method: 'POST', url: '/open311/v2/requests.json', headers: { authorization: `Bearer ${districtKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ service_code: 'MS-14', lat: here.lat, long: here.lon, email: '', address_string: '', first_name: '', description: '' }),
    });
    expect(bearer.statusCode, bearer.body).toBe(201);
    // No description: the service's name stands in.
    const read = (await duty.request('GET', `/api/v1/incidents/${bearer.json()[0].service_request_id}`)).json().incident;
    expect(read.description).toBe('生活垃圾未清运');
    expect(read.reporter.name).toBeNull();
  });

  it('files as the key\'s channel: a 12345 hotline key makes a hotline_12345 report', async () => {
    const res = await postForm(specExample({ api_key: townKey, description: '热线来电：路面坑洼' }));
    expect(res.statusCode).toBe(201);
    const read = (await duty.request('GET', `/api/v1/incidents/${res.json()[0].service_request_id}`)).json().incident;
    expect(read.channel).toBe('hotline_12345');
  });

  it.each([
    ['no service_code', { service_code: '' }, 400, /service_code/],
    ['an unknown service_code', { service_code: 'XX-99' }, 404, /service_code XX-99 was not found/],
    ['no lat/long', { lat: '', long: '' }, 400, /lat and long are required/],
    ['a lat that is not a number', { lat: 'north' }, 400, /lat/],
    ['a point outside the New Area', { lat: 39.9, long: 116.4 }, 400, /outside Zhenjiang New Area/],
    ['a bad phone', { phone: 'call me' }, 400, /phone/],
    ['a media_url that is not http(s)', { media_url: 'javascript:alert(1)' }, 400, /media_url/],
    ['an unknown parameter', { priority: 'high' }, 400, /priority/],
    ['a foreign jurisdiction', { jurisdiction_id: 'sfgov.org' }, 404, /jurisdiction_id/],
    ['no api_key', { api_key: '' }, 403, /api_key is required/],
    ['a wrong api_key', { api_key: 'gik_notAKey' }, 403, /api_key is not valid/],
    ['a revoked api_key', { api_key: 'REVOKED' }, 403, /revoked/],
    ['a key of another channel', { api_key: 'ROBOT' }, 403, /chat_robot/],
    ['a town key outside its town', { api_key: 'TOWN', lat: 'OTHER_LAT', long: 'OTHER_LON' }, 403, /outside your data scope/],
  ])('refuses %s in the spec\'s error format, storing nothing', async (_name, over, status, pattern) => {
    const keys: Record<string, string> = { REVOKED: revokedKey, ROBOT: robotKey, TOWN: townKey };
    const fields: Record<string, string | number> = specExample({ description: `refused ${_name}` });
    for (const [k, v] of Object.entries(over)) {
      fields[k] = keys[v as string] ?? (v === 'OTHER_LAT' ? otherTown.lat : v === 'OTHER_LON' ? otherTown.lon : v);
    }
    const before = await counts();
    expectErrors(await postForm(fields), status, pattern);
    expect(await counts()).toBe(before);
  });

  it('parses form bodies under /open311 only: the /api/v1 routes still refuse them', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ username: 'duty', password: 'x' }) });
    expect(res.statusCode).toBe(415);
  });

  it('refuses a malformed JSON body in the spec\'s error format', async () => {
    const res = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/json' }, payload: '{"service_code":' });
    expectErrors(res, 400);
  });
});

describe('GET requests', () => {
  let fieldReport: string;
  let closedOne: string;
  let otherTownOne: string;

  beforeAll(async () => {
    // A field worker's report (internal notes) and one in another town, through the core.
    const filed = await app.reports.file({ ...report(here, { itemCode: 'ZF-09', description: '内部记录：店主王五13700001111' }) }, systemActor('test'));
    fieldReport = filed.incident.id;
    otherTownOne = (await postForm(specExample({ lat: otherTown.lat, long: otherTown.lon, description: '别的镇的坑' }))).json()[0].service_request_id;
    closedOne = (await postForm(specExample({ service_code: 'MS-12', description: '井盖缺失' }))).json()[0].service_request_id;
    await app.incidents.update(closedOne, systemActor('test'), () => ({ patch: { status: 'closed', unitCode: 'urban-mgmt' }, timeline: { action: 'closed' } }));
  });

  const get = (query: string) => app.inject({ url: `/open311/v2/requests.json?${query}` });

  it('needs an api_key (a command center\'s requests are not public) and refuses a bad one', async () => {
    expectErrors(await app.inject({ url: '/open311/v2/requests.json' }), 403, /api_key is required/);
    expectErrors(await get('api_key=gik_nope'), 403);
    expectErrors(await get(`api_key=${robotKey}`), 403, /chat_robot/);
  });

  it('lists requests newest first with the spec\'s fields, public ones only: no reporter, internal notes withheld, numbers masked', async () => {
    const res = await get(`api_key=${districtKey}`);
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(Value.Check(Open311RequestList, list)).toBe(true);
    const times = list.map((r: { requested_datetime: string }) => r.requested_datetime);
    expect([...times].sort().reverse()).toEqual(times);
    const mine = list.find((r: { service_code: string; description: string | null }) => r.service_code === 'MS-09' && r.description?.startsWith('路面一个大坑'));
    expect(mine).toMatchObject({
      status: 'open', status_notes: expect.stringContaining('reported'), service_name: '路面坑洼', lat: here.lat, long: here.lon,
      media_url: 'https://photos.example.cn/2212426634_5ed477a060.jpg', agency_responsible: null, address_id: null, zipcode: null,
    });
    expect(mine.description).toContain('139****5678');
    expect(mine.address).toMatch(/, 镇江新区$/);
    expect(new Date(mine.expected_datetime).getTime() - new Date(mine.requested_datetime).getTime()).toBe(168 * 3600_000);
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('张三');
    expect(res.body).not.toContain('smit333');
    const internal = list.find((r: { service_request_id: string }) => r.service_request_id === fieldReport);
    expect(internal.description).toBeNull();
    expect(res.body).not.toContain('13700001111');
  });

  it('maps statuses to open/closed and filters by them', async () => {
    const closed = (await get(`api_key=${districtKey}&status=closed`)).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([closedOne]);
    expect(closed[0]).toMatchObject({ status: 'closed', status_notes: expect.stringContaining('已结案'), agency_responsible: '新区综合行政执法局' });
    const open = (await get(`api_key=${districtKey}&status=open`)).json();
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true);
    const both = (await get(`api_key=${districtKey}&status=open,closed`)).json();
    expect(both.length).toBe(open.length + 1);
    expectErrors(await get(`api_key=${districtKey}&status=pending`), 400, /open or closed/);
  });

  it('filters by service_code (repeated or comma delimited) and dates; service_request_id overrides the rest', async () => {
    const codes = (await get(`api_key=${districtKey}&service_code=MS-12,MS-10`)).json();
    expect(new Set(codes.map((r: { service_code: string }) => r.service_code))).toEqual(new Set(['MS-12', 'MS-10']));
    const repeated = (await get(`api_key=${districtKey}&service_code=MS-12&service_code=MS-10`)).json();
    expect(repeated.length).toBe(codes.length);
    expectErrors(await get(`api_key=${districtKey}&service_code=XX-99`), 404, /XX-99/);

    const now = clock().getTime();
    const recent = (await get(`api_key=${districtKey}&start_date=${new Date(now - 60_000).toISOString()}&end_date=${new Date(now).toISOString()}`)).json();
    expect(recent.every((r: { requested_datetime: string }) => new Date(r.requested_datetime).getTime() >= now - 60_000)).toBe(true);
    const old = (await get(`api_key=${districtKey}&start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z`)).json();
    expect(old).toEqual([]);
    expectErrors(await get(`api_key=${districtKey}&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`), 400, /90 days/);
    expectErrors(await get(`api_key=${districtKey}&start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z`), 400, /after/);
    expectErrors(await get(`api_key=${districtKey}&start_date=yesterday`), 400, /start_date/);

    const byId = (await get(`api_key=${districtKey}&service_request_id=${closedOne},${fieldReport}&status=open&service_code=MS-10`)).json();
    expect(byId.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([closedOne, fieldReport].sort());
  });

  it('keeps a key to its scope: a town key neither lists nor reads another town\'s request', async () => {
    const list = (await get(`api_key=${townKey}`)).json();
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(otherTownOne);
    expectErrors(await app.inject({ url: `/open311/v2/requests/${otherTownOne}.json?api_key=${townKey}` }), 404);
    const district = await app.inject({ url: `/open311/v2/requests/${otherTownOne}.json?api_key=${districtKey}` });
    expect(district.statusCode).toBe(200);
  });

  it('reads one request as an array of one; 404 for an unknown id', async () => {
    const res = await app.inject({ url: `/open311/v2/requests/${closedOne}.json?api_key=${districtKey}` });
    expect(res.statusCode).toBe(200);
    expect(Value.Check(Open311RequestList, res.json())).toBe(true);
    expect(res.json()).toHaveLength(1);
    expect(res.json()[0]).toMatchObject({ service_request_id: closedOne, status: 'closed', service_code: 'MS-12' });
    expectErrors(await app.inject({ url: `/open311/v2/requests/00000000-0000-4000-8000-000000000000.json?api_key=${districtKey}` }), 404);
    expectErrors(await app.inject({ url: `/open311/v2/requests/not-an-id.json?api_key=${districtKey}` }), 404);
  });
});

describe('rate limit', () => {
  it('limits POSTs per api_key per minute with a 429 in the spec\'s error format', async () => {
    const limited = await buildTestApp(db.url, { security: { sweepIntervalMs: 0 }, live: { reportRateLimitPerMinute: 2, pruneIntervalMs: 0 } });
    try {
      await limited.ready();
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await postForm(specExample({ description: `限流 ${i}` }), limited)).statusCode);
      expect(codes).toEqual([201, 201, 429]);
      expectErrors(await postForm(specExample({ description: '限流 3' }), limited), 429);
      // Another key has its own allowance.
      expect((await postForm(specExample({ api_key: townKey, description: '限流 town' }), limited)).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('never write an api_key sent in the query string', async () => {
    const lines: string[] = [];
    // debug: the level at which every request's URL is logged (at info only failed or slow ones are).
    const logged = await buildTestApp(db.url, { security: { sweepIntervalMs: 0 }, logger: { level: 'debug', stream: { write: (line: string) => void lines.push(line) } } });
    try {
      await logged.ready();
      const res = await logged.inject({ url: `/open311/v2/requests.json?status=open&api_key=${districtKey}` });
      expect(res.statusCode).toBe(200);
      const all = lines.join('');
      expect(all).toContain('api_key=[redacted]');
      expect(all).not.toContain(districtKey.slice(4));
    } finally {
      await logged.close();
    }
  });
});
