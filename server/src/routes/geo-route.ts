// The shape every GeoJSON list route shares: validated filters, a cached
// FeatureCollection per data version and filter, ETag / 304.
import { Type, type Static, type TSchema } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, Code } from '../../../shared/schemas/common.ts';
import { sendCached } from '../plugins/response-cache.ts';

/** `?town=CODE`, the filter most lists take; unknown parameters are rejected. */
export const TownQuery = Type.Object({ town: Type.Optional(Code) }, { additionalProperties: false });
export const NoQuery = Type.Object({}, { additionalProperties: false });

export interface GeoRouteOptions<Q extends TSchema> {
  url: string;
  summary: string;
  description?: string;
  querystring: Q;
  response: TSchema;
  /** Cache key prefix; filters are appended. */
  key: string;
  features(query: Static<Q>): Promise<unknown[]>;
}

export function geoRoute<Q extends TSchema>(options: GeoRouteOptions<Q>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(options.url, {
      schema: {
        tags: ['geo'],
        summary: options.summary,
        description: options.description,
        querystring: options.querystring,
        response: { 200: options.response, 400: ApiError },
      },
    }, async (request, reply) => {
      const query = request.query as Static<Q>;
      // Sorted so ?a=1&b=2 and ?b=2&a=1 share an entry.
      const filters = Object.entries(query as Record<string, string>).filter(([, v]) => v !== undefined).sort();
      const key = `${options.key}?${new URLSearchParams(filters).toString()}`;
      const cached = await app.responseCache.get(key, async () => ({
        type: 'FeatureCollection',
        features: await options.features(query),
      }));
      return sendCached(request, reply, cached);
    });
  };
}
