// The load generator's POSTs: a small HTTP/1.1 keep-alive client over node:net.
// The generator shares the 2 cores with the product it measures, so every bit of
// CPU it spends per request is taken from the product. fetch() (undici) cost
// several times node:http, and node:http (Agent, IncomingMessage streams, header
// objects) still cost ~0.3 ms per request at 500/s; this client writes the request
// as one string and parses only what it needs of the answer. Measured against a
// trivial Fastify on loopback (2026-11-30): ~80 -> ~40 us CPU per request flat
// out at 64 concurrent, ~370 -> ~250 us paced at 500/s, where most of what is
// left is the kernel's cost of a wakeup, a write and a read per request.
//
// Scope, on purpose: one request at a time per connection (no pipelining), a
// bounded pool per origin, requests beyond it wait in order. Plain http only.
import { connect, type Socket } from 'node:net';

export interface Answer { status: number; body: string }

/**
 * Connections per origin at most: as many as the node:http Agent this replaced
 * allowed (maxSockets 512), so an overloaded product still sees every request the
 * bench has in flight (up to its MAX_IN_FLIGHT of 300) rather than the client
 * holding some back. Opened only when needed: at 500/s with answers in a few ms,
 * only a handful exist.
 */
export const DEFAULT_CONNECTIONS = 512;

interface Job {
  head: string; // request line and headers, ending in the blank line
  payload: string;
  resolve: (a: Answer) => void;
  reject: (e: Error) => void;
  retried: boolean;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/**
 * Every connection reads into this one buffer (net's `onread`): no Buffer per read
 * and none of the stream machinery behind 'data' events. One is enough because a
 * read's bytes are parsed before the next read can happen; the parser copies what
 * it keeps.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Parses one response at a time from the bytes of a connection. */
class ResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'trailers' | 'until-close' = 'head';
  private status = 0;
  private need = 0; // bytes still expected (body or current chunk + its CRLF)
  private parts: Buffer[] = [];
  /** Set by the head: the server will close after this response (or HTTP/1.0). */
  closeAfter = false;
  /** True once any byte of the current response has arrived: retrying then could post twice. */
  started = false;

  reset(): void {
    this.state = 'head';
    this.status = 0;
    this.need = 0;
    this.parts = [];
    this.closeAfter = false;
    this.started = false;
  }

  /**
   * Feeds bytes; returns the answer once the whole response is in. Throws on a malformed response.
   * `data` may be READ_BUFFER: what is kept past this call is copied.
   */
  push(data: Buffer): Answer | null {
    this.started = true;
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
    for (;;) {
      switch (this.state) {
        case 'head': {
          const end = this.buf.indexOf(HEAD_END);
          if (end < 0) return this.keep();
          const head = this.buf.toString('latin1', 0, end);
          this.buf = this.buf.subarray(end + 4);
          this.readHead(head);
          break;
        }
        case 'length': {
          if (this.buf.length < this.need) return this.keep();
          this.parts.push(this.buf.subarray(0, this.need));
          this.buf = this.buf.subarray(this.need);
          return this.finish();
        }
        case 'chunk-size': {
          const eol = this.buf.indexOf(CRLF);
          if (eol < 0) return this.keep();
          // Chunk extensions (";name=value") are allowed after the size and mean nothing here.
          const size = parseInt(this.buf.toString('latin1', 0, eol).split(';')[0].trim(), 16);
          if (!Number.isFinite(size) || size < 0) throw new Error('malformed chunk size');
          this.buf = this.buf.subarray(eol + 2);
          if (size === 0) this.state = 'trailers';
          else { this.need = size; this.state = 'chunk-data'; }
          break;
        }
        case 'chunk-data': {
          if (this.buf.length < this.need + 2) return this.keep();
          this.parts.push(Buffer.from(this.buf.subarray(0, this.need)));
          this.buf = this.buf.subarray(this.need + 2);
          this.state = 'chunk-size';
          break;
        }
        case 'trailers': {
          // Trailer lines until an empty line; none are used.
          const eol = this.buf.indexOf(CRLF);
          if (eol < 0) return this.keep();
          this.buf = this.buf.subarray(eol + 2);
          if (eol === 0) return this.finish();
          break;
        }
        case 'until-close':
          this.parts.push(Buffer.from(this.buf));
          this.buf = Buffer.alloc(0);
          return null;
      }
    }
  }

  /** An incomplete response waits for more bytes: keep its start, copied out of the shared read buffer. */
  private keep(): null {
    this.buf = Buffer.from(this.buf);
    return null;
  }

  /** The connection ended: a body framed by the close is complete now; anything else was cut off. */
  end(): Answer | null {
    return this.state === 'until-close' ? this.finish() : null;
  }

  /** Bytes after a complete response: a server must not send any unasked. */
  get leftover(): number { return this.buf.length; }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = lines[0];
    if (!statusLine.startsWith('HTTP/1.')) throw new Error('not an HTTP/1.x response');
    const status = Number(statusLine.slice(9, 12));
    if (!Number.isInteger(status) || status < 100) throw new Error('malformed status line');
    let length = -1;
    let chunked = false;
    let close = statusLine.startsWith('HTTP/1.0');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.split(',').pop()!.trim() === 'chunked';
      else if (name === 'connection') close = value.split(',').some((t) => t.trim() === 'close');
    }
    // 1xx: an interim answer, the real one follows on the same connection.
    if (status < 200) { this.state = 'head'; return; }
    this.status = status;
    this.closeAfter = close;
    if (status === 204 || status === 304) { this.need = 0; this.state = 'length'; }
    else if (chunked) this.state = 'chunk-size'; // chunked wins over a Content-Length (RFC 9112 6.3)
    else if (length >= 0 && Number.isInteger(length)) { this.need = length; this.state = 'length'; }
    else if (Number.isNaN(length)) throw new Error('malformed Content-Length');
    else { this.state = 'until-close'; this.closeAfter = true; }
  }

  private finish(): Answer {
    const body = this.parts.length === 1 ? this.parts[0].toString('utf8') : Buffer.concat(this.parts).toString('utf8');
    // closeAfter stays as the head set it: the connection reads it after this answer.
    const answer = { status: this.status, body };
    this.state = 'head';
    this.parts = [];
    return answer;
  }
}

/** One persistent connection; carries one request at a time. */
class Connection {
  readonly socket: Socket;
  readonly parser = new ResponseParser();
  job: Job | null = null;
  /** Requests answered on this connection: a failure on a reused one may be the server closing it as we sent. */
  served = 0;
  closed = false;

  constructor(private readonly pool: PostPool, host: string, port: number) {
    this.socket = connect({
      host, port,
      onread: { buffer: READ_BUFFER, callback: (n: number) => { this.onData(READ_BUFFER.subarray(0, n)); return true; } },
    });
    this.socket.setNoDelay(true); // the request is written in one go; do not wait for more
    this.socket.on('end', () => this.onClose(null));
    this.socket.on('error', (e) => this.onClose(e));
    this.socket.on('close', () => this.onClose(null));
  }

  send(job: Job): void {
    this.job = job;
    this.parser.reset();
    this.socket.ref();
    // One write: head and body together are one TCP segment for a report-sized body.
    this.socket.write(job.head + job.payload);
  }

  private onData(data: Buffer): void {
    const job = this.job;
    if (!job) { this.fail(new Error('response without a request')); return; }
    let answer: Answer | null;
    try {
      answer = this.parser.push(data);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (!answer) return;
    this.job = null;
    this.served += 1;
    const reusable = !this.parser.closeAfter && this.parser.leftover === 0;
    if (!reusable) this.fail(null);
    else this.socket.unref(); // an idle connection must not keep the process alive
    job.resolve(answer);
    if (reusable) this.pool.released(this);
  }

  private onClose(err: Error | null): void {
    if (this.closed) return;
    // Only a clean end completes a body framed by the close; a reset cuts it off.
    const answer = this.job && !err ? this.parser.end() : null;
    const job = this.job;
    if (job && answer) { this.job = null; job.resolve(answer); }
    this.fail(err);
  }

  /** Closes the connection; an unanswered request is retried once or rejected. */
  private fail(err: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const job = this.job;
    this.job = null;
    // A kept-alive connection the server closed just as we wrote: nothing of the
    // answer came, so the server did not act on it; send it once more on a new one.
    const retry = job !== null && this.served > 0 && !this.parser.started && !job.retried;
    if (retry) job.retried = true;
    this.pool.dropped(this, retry ? job : null);
    if (job && !retry) job.reject(err ?? new Error('connection closed before the response was complete'));
  }
}

/** A bounded set of kept-alive connections to one origin; requests beyond it wait in order. */
export class PostPool {
  private readonly idle: Connection[] = [];
  private readonly queue: Job[] = [];
  private readonly all = new Set<Connection>();
  private readonly hostHeader: string;
  private closing = false;

  constructor(private readonly host: string, private readonly port: number, private readonly maxConnections = DEFAULT_CONNECTIONS) {
    this.hostHeader = `Host: ${host.includes(':') ? `[${host}]` : host}:${port}\r\n`;
  }

  post(path: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
    const payload = JSON.stringify(body) ?? 'null';
    let head = `POST ${path} HTTP/1.1\r\n${this.hostHeader}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`;
    for (const name in headers) {
      const lower = name.toLowerCase();
      // These three are ours; a caller's copy would contradict them.
      if (lower === 'host' || lower === 'content-type' || lower === 'content-length') continue;
      const value = headers[name];
      // A CR or LF would end the header early and desynchronise the connection.
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) return Promise.reject(new Error(`header ${name} contains a line break`));
      head += `${name}: ${value}\r\n`;
    }
    head += '\r\n';
    return new Promise((resolve, reject) => this.dispatch({ head, payload, resolve, reject, retried: false }));
  }

  /** Closes every connection; waiting and in-flight requests are rejected. */
  close(): void {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('pool closed'));
    for (const conn of [...this.all]) conn.socket.destroy();
  }

  /** Called by a connection that answered and can carry another request. */
  released(conn: Connection): void {
    const next = this.queue.shift();
    if (next) conn.send(next);
    else this.idle.push(conn);
  }

  /** Called once by a connection that closed: its place is free for a new one, first for its own retried request. */
  dropped(conn: Connection, retry: Job | null): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    // The retried request was sent before any still waiting, so it goes first.
    const next = retry ?? this.queue.shift();
    if (next) this.dispatch(next, true);
  }

  private dispatch(job: Job, front = false): void {
    if (this.closing) { job.reject(new Error('pool closed')); return; }
    // Last idle first: the most recently used connection is the least likely to have timed out.
    const conn = this.idle.pop();
    if (conn) { conn.send(job); return; }
    if (this.all.size < this.maxConnections) {
      const fresh = new Connection(this, this.host, this.port);
      this.all.add(fresh);
      fresh.send(job);
      return;
    }
    if (front) this.queue.unshift(job);
    else this.queue.push(job);
  }
}

const pools = new Map<string, PostPool>();

/** POSTs a JSON body; resolves with the status and the body as text (rejects only on a network error). */
export function postJson(url: URL, headers: Record<string, string>, body: unknown): Promise<Answer> {
  if (url.protocol !== 'http:') return Promise.reject(new Error(`only http: is supported, not ${url.protocol}`));
  let pool = pools.get(url.host);
  if (!pool) {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    pool = new PostPool(host, Number(url.port || 80));
    pools.set(url.host, pool);
  }
  return pool.post(url.pathname + url.search, headers, body);
}
