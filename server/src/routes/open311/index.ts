// Open311 GeoReport v2 at /open311/v2 (JSON), outside /api/v1: hotline
// systems and public reporting apps written against the standard plug in.
// This plugin is its own encapsulated context: the form-body parser, the
// spec's error format ([{code, description}] with 400 / 403 / 404) and its
// 404s apply here only. The auth hook of /api/v1 does not run here; keys are
// checked by requests.ts (api_key parameter or Authorization: Bearer).
//
// Which calls need an api_key: services and service definitions are public
// (as the spec says); POSTing a request needs a key (as the spec says);
// reading requests needs one too, although the spec's default is "no": the
// requests of a governance command center include public-order and safety
// items (a missing child, a person threatening suicide) whose places must not
// be public. A key reads only its own scope, and never a reporter's details.
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CATALOGUE_ITEMS, catalogueItem } from '../../../../shared/catalogue.ts';
import {
  Open311Discovery, Open311Errors, Open311ServiceDefinition, Open311ServiceList, Open311ServiceParams, Open311ServicesQuery,
} from '../../../../shared/schemas/open311.ts';
import { open311Errors, toOpen311Service } from '../../domain/open311-mapping.ts';
import { LiveError } from '../../realtime/actor.ts';
import { HttpError } from '../../services/http-error.ts';
import requests from './requests.ts';
import { checkJurisdiction } from './jurisdiction.ts';

export const OPEN311_PREFIX = '/open311';
const CHANGESET = '2026-11-30';

/** "Optional means the response should be the same whether a parameter is passed and is empty or not passed at all." */
function dropEmpty(value: unknown): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) {
    if (v === '' || v === null) delete record[k];
    else if (Array.isArray(v)) {
      const kept = v.filter((x) => x !== '' && x !== null);
      if (kept.length) record[k] = kept;
      else delete record[k];
    }
  }
}

const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors, 429: Open311Errors };

const services: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['open311'];
  const list = CATALOGUE_ITEMS.map(toOpen311Service);

  app.get('/v2/services.json', {
    schema: { tags, summary: 'GeoReport v2: the 70 reportable items as services (public)', querystring: Open311ServicesQuery, response: { 200: Open311ServiceList, ...errors } },
  }, async (request) => {
    checkJurisdiction(request.query.jurisdiction_id);
    return list;
  });

  app.get('/v2/services/:service_code', {
    schema: {
      tags,
      summary: 'GeoReport v2: a service definition (public); `attributes` is empty',
      description: 'Every service has metadata=false: location, description and an optional photo are all a report needs, so no service defines attributes.',
      params: Open311ServiceParams, querystring: Open311ServicesQuery, response: { 200: Open311ServiceDefinition, ...errors },
    },
  }, async (request) => {
    checkJurisdiction(request.query.jurisdiction_id);
    const code = request.params.service_code.replace(/\.json$/, '');
    if (!request.params.service_code.endsWith('.json')) throw new HttpError(404, 'this endpoint answers JSON only: use services/{service_code}.json');
    if (!catalogueItem(code)) throw new HttpError(404, `service_code ${code} was not found (see services.json)`);
    return { service_code: code, attributes: [] };
  });

  app.get('/discovery.json', {
    schema: { tags, summary: 'Open311 service discovery', response: { 200: Open311Discovery } },
  }, async (request) => ({
    changeset: CHANGESET,
    contact: '镇江新区网格化治理指挥中心 (Zhenjiang New Area grid-governance command center)',
    key_service: 'Integration keys are issued by the system administrator (POST /api/v1/admin/integration-keys, channel open311, hotline_12345 or qr_code).',
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2', url: `${request.protocol}://${request.host}${OPEN311_PREFIX}/v2`,
      changeset: CHANGESET, type: 'production', formats: ['application/json'],
    }],
  }));
};

const open311: FastifyPluginAsync = async (app) => {
  // Form-encoded POSTs are the spec's format; only this prefix parses them.
  await app.register(formbody);
  app.addHook('preValidation', async (request) => {
    dropEmpty(request.query);
    dropEmpty(request.body);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.validation ? 400 : (error.statusCode ?? 500);
    // The report service's "outside the New Area" (422) is the spec's general 400.
    if (error instanceof LiveError && status === 422) status = 400;
    if (status >= 400 && status < 500) return reply.code(status).send(open311Errors(status, error.message));
    request.log.error({ err: error }, 'open311 request failed');
    return reply.code(500).send(open311Errors(500, 'Something went wrong on the server; it has been logged.'));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const hint = /\.xml$/.test(path) ? ' (this endpoint answers JSON only: use .json)' : '';
    return reply.code(404).send(open311Errors(404, `${request.method} ${path} is not an Open311 GeoReport v2 resource${hint}`));
  });

  await app.register(services);
  await app.register(requests);
};
export default open311;
