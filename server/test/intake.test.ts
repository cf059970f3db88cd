// Chat-group intake through the real app and PostgreSQL: a recognised
// message becomes an incident through the report service (placed at its
// community's service station, channel chat_robot), an unrecognised one waits
// in the scoped queue until a duty officer classifies it; the same message id
// twice is one result; keys, sessions and scope decide who may post; bad
// bodies are refused with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client } from './helpers/sign-in.ts';
import { IntakeMessageList, IntakeResult } from '../../shared/schemas/intake.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const TOWN = '321171001';
const COMMUNITY = '321171001001'; // 丁卯居委会; its first station is 321171001001S01
const NEIGHBOUR = '321171001002'; // same town
const OTHER_TOWN = '321171002';
const OTHER_COMMUNITY = '321171002001';
const STATION = { lon: 119.543923, lat: 32.164519 };
let robotKey: string; // chat_robot, community COMMUNITY
let districtRobotKey: string; // chat_robot, district
let open311Key: string; // another channel
let liaison: Client; // liaison of COMMUNITY
let townDuty: Client;
let otherDuty: Client; // town duty of OTHER_TOWN

const counts = async () => {
  const [row] = await sql<{ m: string; i: string }>(db.url, 'SELECT (SELECT count(*) FROM intake_messages) AS m, (SELECT count(*) FROM incidents) AS i');
  return { messages: Number(row.m), incidents: Number(row.i) };
};

function post(key: string, body: unknown, target: App = app) {
  return target.inject({ method: 'POST', url: '/api/v1/intake/messages', headers: { authorization: `Bearer ${key}` }, payload: body as object });
}

let seq = 0;
const message = (text: string, over: Record<string, unknown> = {}) => ({
  messageId: `wx-${Date.now()}-${++seq}`, text, sender: { name: '王成亮', phone: '13812345678' }, communityCode: COMMUNITY, ...over,
});

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { logger: { level: 'error' }, security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 }, live: { reportRateLimitPerMinute: 1000, pruneIntervalMs: 0 } });
  await app.ready();
  const sys = await signedIn(app, { username: 'sys', role: 'sysadmin' });
  const issue = async (name: string, channel: string, scope: unknown) => {
    const res = await sys.request('POST', '/api/v1/admin/integration-keys', { name, channel, scope });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().secret as string;
  };
  robotKey = await issue('丁卯群机器人', 'chat_robot', { level: 'community', communityCode: COMMUNITY });
  districtRobotKey = await issue('新区群机器人', 'chat_robot', { level: 'district' });
  open311Key = await issue('市民App', 'open311', { level: 'district' });
  liaison = await signedIn(app, { username: 'liaison', role: 'liaison', scope: { level: 'community', townCode: TOWN, communityCode: COMMUNITY } });
  townDuty = await signedIn(app, { username: 'town.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  otherDuty = await signedIn(app, { username: 'other.duty', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('a recognised message becomes an incident through the report service', () => {
  it('files "跳闸…没电" as a power outage at the community\'s service station, channel chat_robot, masked for the robot', async () => {
    const before = await counts();
    const body = message('3号楼跳闸了，整栋楼都没电');
    const res = await post(robotKey, body);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(Value.Check(IntakeResult, out)).toBe(true);
    expect(out.created).toBe(true);
    expect(out.message).toMatchObject({ messageId: body.messageId, status: 'filed', itemCode: 'MS-05', matched: ['跳闸', '没电'],
      communityCode: COMMUNITY, townCode: TOWN, sender: { name: '王*亮', phone: '138****5678' } });
    expect(out.incident).toMatchObject({ itemCode: 'MS-05', channel: 'chat_robot', communityCode: COMMUNITY, townCode: TOWN,
      lon: STATION.lon, lat: STATION.lat, status: 'reported', reporter: { name: '王*亮', phone: '138****5678' } });
    expect(out.incident.description).toContain('3号楼跳闸了，整栋楼都没电');
    expect(out.incident.description).toContain('丁卯社区党群服务站');
    // The sender's name is the (masked) reporter, never in the description a leader or a big screen reads.
    expect(out.incident.description).not.toContain('王成亮');
    expect(out.message.incidentId).toBe(out.incident.id);
    expect(await counts()).toEqual({ messages: before.messages + 1, incidents: before.incidents + 1 });

    // The core's own record of it: timeline, change log, and the duty officer reading it in full.
    const [change] = await sql<{ kind: string }>(db.url, 'SELECT kind FROM change_log WHERE entity_id = $1', [out.incident.id]);
    expect(change.kind).toBe('incident:created');
    const read = await townDuty.request('GET', `/api/v1/incidents/${out.incident.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().incident.reporter).toMatchObject({ name: '王成亮', phone: '13812345678' });
    // The sender's phone is stored encrypted, never in clear.
    const [row] = await sql<{ sender_phone_enc: string }>(db.url, 'SELECT sender_phone_enc FROM intake_messages WHERE message_id = $1', [body.messageId]);
    expect(row.sender_phone_enc).not.toContain('13812345678');
  });

  it('a gas smell is filed as the level-1 gas leak', async () => {
    const res = await post(robotKey, message('5栋2单元楼道里一股煤气味，大家注意安全'));
    expect(res.statusCode).toBe(201);
    expect(res.json().incident).toMatchObject({ itemCode: 'AQ-03', level: 1, tier: 'district' });
  });

  it('the same message id twice is one message and one incident (200 the second time); five at once too', async () => {
    const body = message('水电都停了');
    const first = await post(robotKey, body);
    expect(first.statusCode).toBe(201);
    expect(first.json().incident.itemCode).toBe('MS-04');
    const before = await counts();
    const again = await post(robotKey, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
    expect(again.json().incident.id).toBe(first.json().incident.id);
    expect(again.json().message.id).toBe(first.json().message.id);
    expect(await counts()).toEqual(before);

    const burst = message('小区停水了，什么时候来水？');
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(robotKey, burst)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.json().incident.id)).size).toBe(1);
    expect(await counts()).toEqual({ messages: before.messages + 1, incidents: before.incidents + 1 });
  });

  it('a different message under a used id is refused (409) and nothing changes', async () => {
    const body = message('路面塌陷了一个大坑');
    expect((await post(robotKey, body)).statusCode).toBe(201);
    const before = await counts();
    const res = await post(robotKey, { ...body, text: '路灯不亮' });
    expect(res.statusCode).toBe(409);
    expect(await counts()).toEqual(before);
  });
});

describe('an unrecognised message waits for a duty officer', () => {
  let kept: { id: number; messageId: string };

  it('is stored unclassified with no incident', async () => {
    const before = await counts();
    const res = await post(robotKey, message('大家晚上好，物业办公室几点下班？', { at: '2026-11-30T11:02:03+08:00' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ incident: null, created: true, message: { status: 'unclassified', itemCode: null, incidentId: null,
      sentAt: '2026-11-30T03:02:03.000Z' } });
    kept = res.json().message;
    expect(await counts()).toEqual({ messages: before.messages + 1, incidents: before.incidents });
  });

  it('shows in the queue of its community and town, not of another town; a filter outside the scope is refused', async () => {
    const mine = await liaison.request('GET', '/api/v1/intake/messages?status=unclassified');
    expect(mine.statusCode).toBe(200);
    expect(Value.Check(IntakeMessageList, mine.json())).toBe(true);
    expect(mine.json().messages.map((m: { id: number }) => m.id)).toContain(kept.id);
    expect(mine.json().messages.every((m: { status: string }) => m.status === 'unclassified')).toBe(true);
    // Duty officers may read residents' contacts: unmasked.
    expect(mine.json().messages[0].sender).toEqual({ name: '王成亮', phone: '13812345678' });
    expect((await townDuty.request('GET', '/api/v1/intake/messages?status=unclassified')).json().messages.length).toBeGreaterThan(0);
    expect((await otherDuty.request('GET', '/api/v1/intake/messages?status=unclassified')).json().messages).toEqual([]);
    expect((await otherDuty.request('GET', `/api/v1/intake/messages?town=${TOWN}`)).statusCode).toBe(403);
    expect((await liaison.request('GET', `/api/v1/intake/messages?community=${NEIGHBOUR}`)).statusCode).toBe(403);
  });

  it('pages newest first', async () => {
    const page1 = (await townDuty.request('GET', '/api/v1/intake/messages?limit=2')).json();
    expect(page1.messages.length).toBe(2);
    expect(page1.messages[0].id).toBeGreaterThan(page1.messages[1].id);
    const page2 = (await townDuty.request('GET', `/api/v1/intake/messages?limit=2&before=${page1.nextBefore}`)).json();
    expect(page2.messages[0].id).toBeLessThan(page1.messages[1].id);
  });

  it('is refused to classify outside the officer\'s scope, with a bad item, or half a point; nothing is filed', async () => {
    const before = await counts();
    expect((await otherDuty.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'MS-04' })).statusCode).toBe(404);
    expect((await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'ZZ-99' })).statusCode).toBe(400);
    expect((await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'bad' })).statusCode).toBe(400);
    expect((await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'MS-04', lon: 119.5 })).statusCode).toBe(400);
    const outside = await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'MS-04', lon: 116.4, lat: 39.9 });
    expect(outside.statusCode).toBe(422);
    expect(await counts()).toEqual(before);
    const [row] = await sql<{ status: string }>(db.url, 'SELECT status FROM intake_messages WHERE id = $1', [kept.id]);
    expect(row.status).toBe('unclassified');
  });

  it('is filed when the liaison names the item (at the station), once: classifying again is a conflict', async () => {
    const before = await counts();
    const res = await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'MS-14' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ created: true, message: { status: 'classified', itemCode: 'MS-14', classifiedBy: 'liaison' },
      incident: { itemCode: 'MS-14', channel: 'chat_robot', lon: STATION.lon, lat: STATION.lat, communityCode: COMMUNITY } });
    expect(await counts()).toEqual({ messages: before.messages, incidents: before.incidents + 1 });
    const again = await townDuty.request('POST', `/api/v1/intake/messages/${kept.id}/classify`, { itemCode: 'MS-04' });
    expect(again.statusCode).toBe(409);
    expect(await counts()).toEqual({ messages: before.messages, incidents: before.incidents + 1 });
    const [audit] = await sql<{ actor: string; result: string }>(db.url, "SELECT actor, result FROM audit_log WHERE action = 'intake.classify' AND target_id = $1", [String(kept.id)]);
    expect(audit).toEqual({ actor: 'liaison', result: 'success' });
  });

  it('a duty officer may give the exact point when classifying', async () => {
    const kept2 = (await post(robotKey, message('楼下那个东西谁来管一下'))).json().message;
    expect(kept2.status).toBe('unclassified');
    const point = { lon: 119.5445, lat: 32.1650 };
    const located = app.spatial.locate(point.lon, point.lat);
    const res = await townDuty.request('POST', `/api/v1/intake/messages/${kept2.id}/classify`, { itemCode: 'ZF-12', ...point });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().incident).toMatchObject({ ...point, gridCode: located!.grid.code });
  });
});

describe('who may post', () => {
  it('a community robot key only for its community; an unknown community is a 400; nothing is stored', async () => {
    const before = await counts();
    const foreign = await post(robotKey, message('停水了', { communityCode: NEIGHBOUR }));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toContain(NEIGHBOUR);
    expect((await post(robotKey, message('停水了', { communityCode: '321171999999' }))).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    // A district robot reaches every community.
    const res = await post(districtRobotKey, message('停电了', { communityCode: OTHER_COMMUNITY }));
    expect(res.statusCode).toBe(201);
    expect(res.json().incident.townCode).toBe(OTHER_TOWN);
  });

  it('a key of another channel is refused; liaison and duty officers may post, field workers and kiosks may not', async () => {
    expect((await post(open311Key, message('停水了'))).statusCode).toBe(403);
    const byLiaison = await liaison.request('POST', '/api/v1/intake/messages', message('井盖没了，很危险'));
    expect(byLiaison.statusCode).toBe(201);
    expect(byLiaison.json().incident.itemCode).toBe('MS-12');
    // Liaisons may read contacts: unmasked in their answer.
    expect(byLiaison.json().message.sender.phone).toBe('13812345678');
    const worker = await signedIn(app, { username: 'worker', role: 'field_worker', scope: { level: 'community', townCode: TOWN, communityCode: COMMUNITY },
      gridCode: '321171001001G001' });
    const kiosk = await signedIn(app, { username: 'kiosk', role: 'kiosk' });
    const before = await counts();
    expect((await worker.request('POST', '/api/v1/intake/messages', message('停水了'))).statusCode).toBe(403);
    expect((await kiosk.request('POST', '/api/v1/intake/messages', message('停水了'))).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/intake/messages', payload: message('停水了') })).statusCode).toBe(401);
    expect((await worker.request('GET', '/api/v1/intake/messages')).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('a robot key cannot read the queue or classify', async () => {
    const res = await app.inject({ url: '/api/v1/intake/messages', headers: { authorization: `Bearer ${districtRobotKey}` } });
    expect(res.statusCode).toBe(403);
  });
});

describe('a place that lies in no grid', () => {
  it('keeps a recognised message unclassified rather than lose it', async () => {
    const [station] = await sql<{ code: string; lon: number; lat: number }>(db.url,
      'SELECT s.code, s.lon, s.lat FROM stations s JOIN grids g ON g.code = s.grid_code WHERE g.community_code = $1 ORDER BY s.code LIMIT 1', [NEIGHBOUR]);
    await sql(db.url, 'UPDATE stations SET lon = 0, lat = 0 WHERE code = $1', [station.code]);
    try {
      const before = await counts();
      const res = await post(districtRobotKey, message('停水了', { communityCode: NEIGHBOUR }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ incident: null, message: { status: 'unclassified', itemCode: null } });
      expect(await counts()).toEqual({ messages: before.messages + 1, incidents: before.incidents });
    } finally {
      await sql(db.url, 'UPDATE stations SET lon = $2, lat = $3 WHERE code = $1', [station.code, station.lon, station.lat]);
    }
  });
});

describe('bad bodies', () => {
  it.each([
    ['no text', { messageId: 'x1', sender: { name: 'a' }, communityCode: COMMUNITY }],
    ['empty text', { messageId: 'x2', text: '', sender: { name: 'a' }, communityCode: COMMUNITY }],
    ['empty message id', { messageId: '', text: '停水', sender: { name: 'a' }, communityCode: COMMUNITY }],
    ['spaces in the id', { messageId: 'a b', text: '停水', sender: { name: 'a' }, communityCode: COMMUNITY }],
    ['no sender', { messageId: 'x3', text: '停水', communityCode: COMMUNITY }],
    ['bad phone', { messageId: 'x4', text: '停水', sender: { name: 'a', phone: 'call me' }, communityCode: COMMUNITY }],
    ['unknown field', { messageId: 'x5', text: '停水', sender: { name: 'a' }, communityCode: COMMUNITY, priority: 'high' }],
    ['bad time', { messageId: 'x6', text: '停水', sender: { name: 'a' }, communityCode: COMMUNITY, at: 'yesterday' }],
    ['text too long', { messageId: 'x7', text: '停'.repeat(1001), sender: { name: 'a' }, communityCode: COMMUNITY }],
  ])('%s → 400, nothing stored', async (_name, body) => {
    const before = await counts();
    const res = await post(robotKey, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBeTruthy();
    expect(await counts()).toEqual(before);
  });
});

describe('a message that needs no action is dismissed, not left in the queue', () => {
  it('leaves the queue with its reason and who did it, is kept, audited, and cannot be dismissed or classified again', async () => {
    const thanks = (await post(robotKey, message('收到，谢谢大家'))).json().message;
    expect(thanks.status).toBe('unclassified');
    const before = await counts();
    const res = await liaison.request('POST', `/api/v1/intake/messages/${thanks.id}/dismiss`, { reason: '致谢，无需处置' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: thanks.id, status: 'dismissed', dismissReason: '致谢，无需处置', classifiedBy: 'liaison', incidentId: null });
    expect(await counts()).toEqual(before);
    const queue = (await townDuty.request('GET', '/api/v1/intake/messages?status=unclassified&limit=200')).json().messages;
    expect(queue.map((m: { id: number }) => m.id)).not.toContain(thanks.id);
    const dismissed = (await townDuty.request('GET', '/api/v1/intake/messages?status=dismissed')).json().messages;
    expect(dismissed.map((m: { id: number }) => m.id)).toContain(thanks.id);
    expect((await townDuty.request('POST', `/api/v1/intake/messages/${thanks.id}/dismiss`, { reason: '重复' })).statusCode).toBe(409);
    expect((await townDuty.request('POST', `/api/v1/intake/messages/${thanks.id}/classify`, { itemCode: 'MS-04' })).statusCode).toBe(409);
    expect(await counts()).toEqual(before);
    const audit = await sql<{ actor: string; result: string }>(db.url,
      "SELECT actor, result FROM audit_log WHERE action = 'intake.dismiss' AND target_id = $1 ORDER BY id", [String(thanks.id)]);
    expect(audit).toEqual([{ actor: 'liaison', result: 'success' }, { actor: 'town.duty', result: 'failure' }]);
  });

  it.each([
    ['no reason', {}],
    ['an empty reason', { reason: '' }],
    ['a blank reason', { reason: '   ' }],
    ['an unknown field', { reason: '无需处置', itemCode: 'MS-04' }],
  ])('refuses %s (400) and leaves the message waiting', async (_name, body) => {
    const kept = (await post(robotKey, message('早上好'))).json().message;
    const res = await liaison.request('POST', `/api/v1/intake/messages/${kept.id}/dismiss`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBeTruthy();
    const [row] = await sql<{ status: string }>(db.url, 'SELECT status FROM intake_messages WHERE id = $1', [kept.id]);
    expect(row.status).toBe('unclassified');
  });

  it('is not found outside the officer\'s scope, and refused to a kiosk-like reader without dispatch rights', async () => {
    const kept = (await post(robotKey, message('晚安'))).json().message;
    expect((await otherDuty.request('POST', `/api/v1/intake/messages/${kept.id}/dismiss`, { reason: '无需处置' })).statusCode).toBe(404);
    const leader = await signedIn(app, { username: 'leader.x', role: 'leader' });
    expect((await leader.request('POST', `/api/v1/intake/messages/${kept.id}/dismiss`, { reason: '无需处置' })).statusCode).toBe(403);
    const [row] = await sql<{ status: string }>(db.url, 'SELECT status FROM intake_messages WHERE id = $1', [kept.id]);
    expect(row.status).toBe('unclassified');
  });
});

describe('rate limit', () => {
  it('limits each robot key per minute (429), separately from other keys', async () => {
    const limited = await buildTestApp(db.url, { security: { sweepIntervalMs: 0 }, live: { reportRateLimitPerMinute: 2, pruneIntervalMs: 0 } });
    try {
      await limited.ready();
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await post(robotKey, message('大家好'), limited)).statusCode);
      expect(codes).toEqual([201, 201, 429]);
      expect((await post(districtRobotKey, message('大家好'), limited)).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
