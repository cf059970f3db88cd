// The load generator's HTTP client against real servers on loopback: node:http
// for what Fastify does, and a raw node:net server for framings node:http does
// not produce on demand (chunk extensions, trailers, bytes split mid-header).
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PostPool, postJson } from './http-post.ts';

const servers: (Server | NetServer)[] = [];
const pools: PostPool[] = [];
const rawSockets: Socket[] = []; // a net server has no closeAllConnections()

afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  for (const s of rawSockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => {
    if ('closeAllConnections' in s) s.closeAllConnections();
    s.close(() => r());
  })));
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Served { url: URL; sockets: Socket[]; bodies: string[] }

/** A node:http server on port 0; `handle` answers each request after its JSON body is read. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Served> {
  const served: Served = { url: new URL('http://127.0.0.1/'), sockets: [], bodies: [] };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => { served.bodies.push(body); handle(req, res, body); });
  });
  server.on('connection', (s: Socket) => served.sockets.push(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  served.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/reports?x=1`);
  return served;
}

/** A raw TCP server: `onRequest` gets the socket each time a full request (head and body) has arrived. */
async function serveRaw(onRequest: (socket: Socket, request: string) => void): Promise<URL> {
  const server = createNetServer((socket) => {
    rawSockets.push(socket);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        onRequest(socket, request);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/reports`);
}

const json = (res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) => {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
};

describe('postJson', () => {
  it('sends the JSON body with the caller\'s headers and resolves a 201 with its body', async () => {
    const s = await serve((req, res, body) => json(res, 201, {
      method: req.method, url: req.url, type: req.headers['content-type'], cookie: req.headers.cookie,
      csrf: req.headers['x-csrf-token'], host: req.headers.host, got: JSON.parse(body),
    }));
    const res = await postJson(s.url, { cookie: 'sid=abc', 'x-csrf-token': 't0k' }, { id: 'r-1', text: '积水 路口' });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({
      method: 'POST', url: '/api/v1/reports?x=1', type: 'application/json', cookie: 'sid=abc', csrf: 't0k',
      host: s.url.host, got: { id: 'r-1', text: '积水 路口' },
    });
  });

  it('reads a chunked response', async () => {
    const s = await serve((_req, res) => {
      // No Content-Length: node:http sends Transfer-Encoding: chunked, one chunk per write.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.write('first,');
      res.write('二,');
      res.end('third');
    });
    const res = await postJson(s.url, {}, { a: 1 });
    expect(res).toEqual({ status: 200, body: 'first,二,third' });
    // The connection is kept and reused after a chunked answer.
    expect(await postJson(s.url, {}, { a: 2 })).toEqual({ status: 200, body: 'first,二,third' });
    expect(s.sockets).toHaveLength(1);
  });

  it('resolves a 4xx with its body rather than rejecting', async () => {
    const s = await serve((_req, res) => json(res, 422, { error: 'bad townCode' }));
    const res = await postJson(s.url, {}, { townCode: 'nope' });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body)).toEqual({ error: 'bad townCode' });
  });

  it('answers 200 concurrent requests each with its own body', async () => {
    // Answers come back out of order: each after a random short pause.
    const s = await serve((_req, res, body) => setTimeout(() => json(res, 201, { echo: JSON.parse(body).id }), Math.random() * 5));
    const ids = Array.from({ length: 200 }, (_, i) => `id-${i}`);
    const answers = await Promise.all(ids.map((id) => postJson(s.url, {}, { id })));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 201));
    expect(answers.map((a) => JSON.parse(a.body).echo)).toEqual(ids);
    expect(s.bodies).toHaveLength(200);
    // In flight together, so on connections of their own (none is pipelined behind another).
    expect(s.sockets.length).toBeGreaterThan(1);
    expect(s.sockets.length).toBeLessThanOrEqual(200);
  });

  it('opens a new connection after a `Connection: close` answer', async () => {
    let first = true;
    const closing = await serve((_req, res) => {
      json(res, 201, { first }, first ? { connection: 'close' } : {});
      first = false;
    });
    const a = await postJson(closing.url, {}, {});
    const b = await postJson(closing.url, {}, {});
    expect([a, b].map((r) => JSON.parse(r.body).first)).toEqual([true, false]);
    expect(closing.sockets).toHaveLength(2);
  });

  it('still succeeds when the server destroyed the kept-alive connection between requests', async () => {
    const s = await serve((_req, res, body) => json(res, 201, JSON.parse(body)));
    expect((await postJson(s.url, {}, { k: 1 })).status).toBe(201);
    // Destroyed and the next request sent in the same tick: the client has not yet
    // seen the close, so it writes into the dead connection and must resend on a new one.
    s.sockets[0].destroy();
    const res = await postJson(s.url, {}, { k: 2 });
    expect(res).toEqual({ status: 201, body: '{"k":2}' });
    expect(s.sockets).toHaveLength(2);
    // Again with the close given time to reach the client (whichever way it notices, the request gets through once).
    s.sockets[1].destroy();
    await new Promise((r) => s.sockets[1].once('close', r));
    await new Promise((r) => setImmediate(r));
    expect(await postJson(s.url, {}, { k: 3 })).toEqual({ status: 201, body: '{"k":3}' });
    expect(s.sockets).toHaveLength(3);
    // The server saw each request once: no duplicate posts from the resend.
    expect(s.bodies).toEqual(['{"k":1}', '{"k":2}', '{"k":3}']);
  });

  it('rejects when the server is down', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(postJson(new URL(`http://127.0.0.1:${port}/api/v1/reports`), {}, {})).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects a header value with a line break instead of sending it', async () => {
    const s = await serve((_req, res) => json(res, 201, {}));
    await expect(postJson(s.url, { cookie: 'a\r\nX-Evil: 1' }, {})).rejects.toThrow(/line break/);
    expect(s.bodies).toEqual([]);
  });
});

describe('framing, against a raw server', () => {
  it('reads chunk extensions, trailers and bytes split anywhere, then reuses the connection', async () => {
    let socketsSeen = 0;
    const seen = new Set<Socket>();
    const url = await serveRaw((socket) => {
      if (!seen.has(socket)) { seen.add(socket); socketsSeen += 1; }
      const reply = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n'
        + '4;ext=1\r\n{"a"\r\n' + `${Buffer.byteLength(':"水"}').toString(16)}\r\n:"水"}\r\n0\r\nX-Trailer: yes\r\n\r\n`);
      // One byte per write, so every boundary (status line, header end, chunk size, a UTF-8 character) is split.
      let i = 0;
      const drip = () => { if (i < reply.length) { socket.write(reply.subarray(i, ++i)); setImmediate(drip); } };
      drip();
    });
    expect(await postJson(url, {}, { n: 1 })).toEqual({ status: 200, body: '{"a":"水"}' });
    expect(await postJson(url, {}, { n: 2 })).toEqual({ status: 200, body: '{"a":"水"}' });
    expect(socketsSeen).toBe(1);
  });

  it('skips a 100 Continue, reads a 204 without a body, and a body framed by the close', async () => {
    let n = 0;
    const url = await serveRaw((socket) => {
      n += 1;
      if (n === 1) socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
      else if (n === 2) socket.write('HTTP/1.1 204 No Content\r\n\r\n');
      else socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    expect(await postJson(url, {}, {})).toEqual({ status: 201, body: 'ok' });
    expect(await postJson(url, {}, {})).toEqual({ status: 204, body: '' });
    expect(await postJson(url, {}, {})).toEqual({ status: 200, body: 'until the end' });
  });

  it('does not send on a connection it was told to close, even if the server leaves it open', async () => {
    const told = new Set<Socket>();
    let sockets = 0;
    const url = await serveRaw((socket) => {
      if (told.has(socket)) { socket.write('HTTP/1.1 500 Reused\r\nContent-Length: 6\r\n\r\nreused'); return; }
      told.add(socket);
      sockets += 1;
      socket.write('HTTP/1.1 201 Created\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok');
    });
    expect(await postJson(url, {}, {})).toEqual({ status: 201, body: 'ok' });
    expect(await postJson(url, {}, {})).toEqual({ status: 201, body: 'ok' });
    expect(sockets).toBe(2);
  });

  it('rejects, without resending, when the answer is cut off part-way', async () => {
    let requests = 0;
    const url = await serveRaw((socket) => {
      requests += 1;
      if (requests === 1) socket.write('HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
      else socket.end('HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\ncut');
    });
    expect((await postJson(url, {}, {})).status).toBe(201);
    await expect(postJson(url, {}, {})).rejects.toThrow(/closed before the response was complete/);
    expect(requests).toBe(2);
  });

  it('rejects a response that is not HTTP', async () => {
    const url = await serveRaw((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await expect(postJson(url, {}, {})).rejects.toThrow(/not an HTTP/);
  });
});

describe('PostPool', () => {
  it('queues requests beyond its connections and sends them in order', async () => {
    const s = await serve((_req, res, body) => json(res, 201, JSON.parse(body)));
    const pool = new PostPool('127.0.0.1', Number(s.url.port), 2);
    pools.push(pool);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.post('/q', {}, { i })));
    expect(answers.map((a) => JSON.parse(a.body).i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(s.sockets).toHaveLength(2);
    // Arrival order at the server is the order the requests were made.
    const one = new PostPool('127.0.0.1', Number(s.url.port), 1);
    pools.push(one);
    s.bodies.length = 0;
    await Promise.all(Array.from({ length: 10 }, (_, i) => one.post('/q', {}, { i })));
    expect(s.bodies.map((b) => JSON.parse(b).i)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('rejects waiting and in-flight requests when closed', async () => {
    const s = await serve(() => { /* never answers */ });
    const pool = new PostPool('127.0.0.1', Number(s.url.port), 1);
    const inFlight = pool.post('/q', {}, {});
    const waiting = pool.post('/q', {}, {});
    await new Promise<void>((r) => { const t = setInterval(() => { if (s.bodies.length) { clearInterval(t); r(); } }, 5); });
    pool.close();
    await expect(waiting).rejects.toThrow(/pool closed/);
    await expect(inFlight).rejects.toThrow();
  });
});
