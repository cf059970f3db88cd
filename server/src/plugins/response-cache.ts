// Geo responses are big (whole-district geometry) and change only with the
// data set: serialize each one once per data version, hand it out with an
// ETag, and answer 304 when the client already has it.
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  body: string;
  etag: string;
}

export interface ResponseCache {
  /** The cached body for `key` under the current data version, built once by `build`. */
  get(key: string, build: () => Promise<unknown>): Promise<CachedBody>;
  /** Drops entries whose key starts with `prefix` (e.g. 'cameras' when a camera status changes). */
  invalidate(prefix?: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    responseCache: ResponseCache;
  }
}

/** Filters make keys; a bound keeps arbitrary (valid) filter values from growing the cache forever. */
const MAX_ENTRIES = 500;

export default fp(
  async (app) => {
    const entries = new Map<string, Promise<CachedBody>>();
    app.dataset.onChange(() => entries.clear());

    const cache: ResponseCache = {
      get(key, build) {
        const fullKey = `${key}@${app.dataset.version}`;
        let entry = entries.get(fullKey);
        if (!entry) {
          if (entries.size >= MAX_ENTRIES) entries.clear();
          // The promise is cached, so concurrent first requests share one build.
          entry = build().then((value) => {
            const body = JSON.stringify(value);
            return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
          });
          entries.set(fullKey, entry);
          entry.catch(() => entries.delete(fullKey));
        }
        return entry;
      },
      invalidate(prefix = '') {
        for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
      },
    };
    app.decorate('responseCache', cache);
  },
  { name: 'response-cache', dependencies: ['dataset'] },
);

/** Sends a cached JSON body, or 304 when the client's If-None-Match already names it. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, { body, etag }: CachedBody) {
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
