// What a request leaves in the log (plugins/request-log.ts): at the default
// `info` level nothing for a request that went well or was refused (4xx), one
// line for a server error and one for a slow request; at `debug` every request,
// in and out. The log is pino's JSON lines, captured from the app's own stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { SLOW_REQUEST_MS } from '../src/plugins/request-log.ts';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}
// pino's numbers for the levels.
const DEBUG = 20;
const WARN = 40;
const ERROR = 50;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** An app logging at `level` into an array, with a failing and a slow route besides the real ones. */
async function loggedApp(level: string) {
  const lines: LogLine[] = [];
  const app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0 },
    logger: { level, stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } },
  });
  app.get('/test/boom', async () => {
    throw new Error('a bug in a handler');
  });
  app.get('/test/slow', async () => {
    await sleep(SLOW_REQUEST_MS + 100);
    return { ok: true };
  });
  app.get('/test/slow-on-purpose', { config: { slowRequestMs: SLOW_REQUEST_MS * 3 } }, async () => {
    await sleep(SLOW_REQUEST_MS + 100);
    return { ok: true };
  });
  await app.ready();
  return { app, lines, requestLines: () => lines.filter((l) => l.reqId !== undefined) };
}

describe('at the default level (info)', () => {
  let logged: Awaited<ReturnType<typeof loggedApp>>;
  beforeAll(async () => {
    logged = await loggedApp('info');
  });
  afterAll(async () => {
    await logged?.app.close();
  });

  it('writes nothing for a request that succeeded', async () => {
    const res = await logged.app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(logged.requestLines()).toEqual([]);
  });

  it('writes nothing for a request refused with a 4xx', async () => {
    expect((await logged.app.inject({ url: '/api/v1/towns' })).statusCode).toBe(401);
    expect((await logged.app.inject({ url: '/api/v1/health?nonsense=1' })).statusCode).toBe(400);
    expect(logged.requestLines()).toEqual([]);
  });

  it('writes one error line, with the request and its status, for a 500', async () => {
    const res = await logged.app.inject({ url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('a bug in a handler');
    const outcome = logged.requestLines().filter((l) => l.res?.statusCode === 500);
    expect(outcome).toHaveLength(1);
    expect(outcome[0]).toMatchObject({ level: ERROR, req: { method: 'GET', url: '/test/boom' } });
    expect(typeof outcome[0].responseTime).toBe('number');
    // The cause is in the error handler's own line (plugins/errors.ts), not sent to the client.
    expect(logged.requestLines().some((l) => l.msg === 'request failed' && l.reqId === outcome[0].reqId)).toBe(true);
    expect(logged.requestLines().every((l) => l.msg !== 'incoming request')).toBe(true);
  });

  it('writes one warning for a slow request', async () => {
    logged.lines.length = 0;
    expect((await logged.app.inject({ url: '/test/slow' })).statusCode).toBe(200);
    const lines = logged.requestLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: WARN, msg: 'slow request', req: { url: '/test/slow' }, res: { statusCode: 200 } });
    expect(lines[0].responseTime).toBeGreaterThan(SLOW_REQUEST_MS);
  });

  it('holds a route slow on purpose (a sign-in) to its own limit', async () => {
    logged.lines.length = 0;
    expect((await logged.app.inject({ url: '/test/slow-on-purpose' })).statusCode).toBe(200);
    expect(logged.requestLines()).toEqual([]);
  });
});

describe('at debug', () => {
  it('writes every request, in and out', async () => {
    const logged = await loggedApp('debug');
    try {
      expect((await logged.app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
      expect((await logged.app.inject({ url: '/api/v1/towns' })).statusCode).toBe(401);
      const lines = logged.requestLines().filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
      expect(lines.map((l) => [l.level, l.msg, l.req?.url ?? l.res?.statusCode])).toEqual([
        [DEBUG, 'incoming request', '/api/v1/health'],
        [DEBUG, 'request completed', 200],
        [DEBUG, 'incoming request', '/api/v1/towns'],
        [DEBUG, 'request completed', 401],
      ]);
    } finally {
      await logged.app.close();
    }
  });
});
