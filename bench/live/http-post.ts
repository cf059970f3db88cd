// The load generator's POSTs over node:http with kept-alive connections: fetch()
// (undici) costs the generator several times the CPU per request, and the
// generator shares the 2 cores with the product it measures.
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

export interface Answer { status: number; body: string }

/** POSTs a JSON body; resolves with the status and the body as text (rejects only on a network error). */
export function postJson(url: URL, headers: Record<string, string>, body: unknown): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST', agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
