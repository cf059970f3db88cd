// GeoReport v2 service requests: POST files a report through the report
// service (app.reports.file) as the key's channel; GET reads incidents in the
// key's scope as public service requests (no reporter, internal notes
// withheld). See index.ts for which calls need a key and why.
//
// Idempotency: the spec has no client id, so the incident id is derived from
// the key and the whole submission within a 10-minute bucket
// (open311Fingerprint + derivedId); the bucket before is checked too, so a
// retry up to 10 minutes later, across a bucket edge or not, files nothing new.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { catalogueItem } from '../../../../shared/catalogue.ts';
import type { Incident } from '../../../../shared/schemas/incident.ts';
import {
  Open311Errors, Open311KeyQuery, Open311RequestBody, Open311RequestCreatedList, Open311RequestList, Open311RequestParams, Open311RequestsQuery,
  type Open311Request,
} from '../../../../shared/schemas/open311.ts';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { IncidentRecord } from '../../db/repositories/incidents-repository.ts';
import {
  DUPLICATE_WINDOW_MS, OPEN311_CHANNELS, REQUEST_LIMIT, duplicateBuckets, open311Fingerprint, reporterName, requestDescription, requestWindow,
  serviceNotice, splitList, statusesFor, toOpen311Request, type Open311Status,
} from '../../domain/open311-mapping.ts';
import { HttpError } from '../../services/http-error.ts';
import { toIncident } from '../../services/incidents-service.ts';
import { derivedId } from '../../services/intake-service.ts';
import { integrationActorName, keyRefusal, type IntegrationPrincipal } from '../../services/integration-keys-service.ts';
import { checkJurisdiction } from './jurisdiction.ts';

const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors, 429: Open311Errors };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows read per page while collecting a GET requests answer, and the most pages read (the answer says so when cut). */
const PAGE = 500;
const MAX_PAGES = 20;

const requests: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['open311'];

  /** The key from api_key (body or query, the spec's way) or Authorization: Bearer; 403 in the spec's words when missing or bad. */
  async function keyHolder(request: FastifyRequest, apiKey: string | undefined): Promise<IntegrationPrincipal> {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const check = await app.integrationKeys.authenticate(apiKey ?? bearer, { ip: request.ip ?? null, userAgent: null });
    if (!check.ok) throw new HttpError(403, check.reason === 'missing' ? 'api_key is required for this call' : keyRefusal(check.reason).replace('integration key', 'api_key'));
    if (!OPEN311_CHANNELS.includes(check.principal.channel)) {
      throw new HttpError(403, `this api_key is for channel ${check.principal.channel}; Open311 takes keys of channels ${OPEN311_CHANNELS.join(', ')}`);
    }
    request.integration = check.principal;
    return check.principal;
  }

  async function asRequests(list: Incident[]): Promise<Open311Request[]> {
    const units = new Map((await app.repos.units.list()).map((u) => [u.code, u.name]));
    return list.map((incident) => {
      const found = app.spatial.locate(incident.lon, incident.lat);
      return toOpen311Request(incident, {
        serviceName: catalogueItem(incident.itemCode)?.name ?? incident.itemCode,
        agency: incident.unitCode ? units.get(incident.unitCode) ?? null : null,
        place: found && { grid: found.grid.name, community: found.community.name, town: found.town.name },
      });
    });
  }

  const view = (r: IncidentRecord) => toIncident(r, app.fieldCipher);

  async function byIds(scope: Scope, ids: string[]): Promise<Incident[]> {
    const found = await Promise.all(ids.filter((id) => UUID.test(id)).map((id) => app.repos.incidents.findInScope(id.toLowerCase(), scope)));
    return found.filter((r): r is IncidentRecord => r !== null).map(view);
  }

  /** Newest first, within the window, the codes and the statuses; at most REQUEST_LIMIT. */
  async function search(scope: Scope, codes: string[], wanted: Set<string>, from: Date, to: Date): Promise<Incident[]> {
    const out: IncidentRecord[] = [];
    for (const itemCode of codes.length ? codes : [undefined]) {
      let before: { reportedAt: string; id: string } | undefined;
      let kept = 0;
      for (let page = 0; page < MAX_PAGES && kept < REQUEST_LIMIT; page++) {
        const { records, hasMore } = await app.repos.incidents.list(scope, {
          itemCode, from: from.toISOString(), to: new Date(to.getTime() + 1).toISOString(), before, limit: PAGE,
        });
        for (const r of records) {
          if (wanted.has(r.status)) {
            out.push(r);
            kept++;
          }
        }
        if (!hasMore || !records.length) break;
        const last = records[records.length - 1];
        before = { reportedAt: last.reportedAt, id: last.id };
      }
    }
    out.sort((a, b) => b.reportedAt.localeCompare(a.reportedAt) || b.id.localeCompare(a.id));
    return out.slice(0, REQUEST_LIMIT).map(view);
  }

  app.post('/v2/requests.json', {
    config: {
      // Per key, after the key is known (preHandler), with the limit of POST /api/v1/reports.
      rateLimit: {
        hook: 'preHandler', max: app.liveOptions.reportRateLimitPerMinute, timeWindow: 60_000,
        keyGenerator: (request: FastifyRequest) => (request.integration ? `key:${request.integration.keyId}` : `ip:${request.ip}`),
      },
    },
    schema: {
      tags,
      summary: 'GeoReport v2: create a service request (form-encoded or JSON; api_key required)',
      description: 'lat and long are required (no geocoder here). Files a report as the key\'s channel; a retry of the same submission within '
        + '10 minutes answers the same service_request_id. 201 new, 200 repeated.',
      body: Open311RequestBody,
      response: { 200: Open311RequestCreatedList, 201: Open311RequestCreatedList, ...errors },
    },
    preHandler: async (request) => {
      checkJurisdiction(request.body.jurisdiction_id);
      const query = request.query as { api_key?: unknown };
      await keyHolder(request, request.body.api_key ?? (typeof query?.api_key === 'string' ? query.api_key : undefined));
    },
  }, async (request, reply) => {
    const body = request.body;
    const machine = request.integration!;
    const item = catalogueItem(body.service_code);
    if (!item) throw new HttpError(404, `service_code ${body.service_code} was not found (see services.json)`);
    if (body.lat === undefined || body.long === undefined) {
      throw new HttpError(400, 'lat and long are required: this endpoint has no geocoder for address_string or address_id');
    }
    const posted = { ...body, lat: body.lat, long: body.long };
    const fingerprint = open311Fingerprint(machine.keyId, posted);
    const now = app.securityOptions.clock();
    const [current, previous] = duplicateBuckets(now);

    const earlier = await app.repos.incidents.findInScope(derivedId(`open311:${fingerprint}:${previous}`), machine.scope);
    let incident: Incident;
    let created: boolean;
    if (earlier && now.getTime() - new Date(earlier.reportedAt).getTime() < DUPLICATE_WINDOW_MS) {
      incident = toIncident(earlier, app.fieldCipher);
      created = false;
    } else {
      const name = reporterName(body.first_name, body.last_name);
      ({ incident, created } = await app.reports.file({
        id: derivedId(`open311:${fingerprint}:${current}`), itemCode: item.code, lon: body.long, lat: body.lat,
        description: requestDescription(body, item.name),
        reporter: { ...(name ? { name: name.slice(0, 64) } : {}), ...(body.phone ? { phone: body.phone } : {}) },
        channel: machine.channel, photoUrls: body.media_url ? [body.media_url] : [],
      }, { accountId: null, username: integrationActorName(machine), role: null, scope: machine.scope, sourceIp: request.ip ?? null }));
    }
    return reply.code(created ? 201 : 200).send([{ service_request_id: incident.id, service_notice: serviceNotice(incident.level), account_id: null }]);
  });

  app.get('/v2/requests.json', {
    schema: {
      tags,
      summary: 'GeoReport v2: service requests in the api_key\'s scope, newest first (public fields only)',
      description: 'Filters: service_request_id (overrides the rest), service_code, start_date/end_date (default and maximum span 90 days), '
        + 'status open/closed; lists may repeat or be comma delimited. At most 1000 results.',
      querystring: Open311RequestsQuery,
      response: { 200: Open311RequestList, ...errors },
    },
  }, async (request) => {
    const q = request.query;
    checkJurisdiction(q.jurisdiction_id);
    const machine = await keyHolder(request, q.api_key);
    const ids = splitList(q.service_request_id);
    if (ids.length) return asRequests(await byIds(machine.scope, ids));

    const codes = splitList(q.service_code);
    const unknown = codes.find((c) => !catalogueItem(c));
    if (unknown) throw new HttpError(404, `service_code ${unknown} was not found (see services.json)`);
    const statuses = splitList(q.status);
    const bad = statuses.find((s) => s !== 'open' && s !== 'closed');
    if (bad) throw new HttpError(400, `status must be open or closed, got ${bad}`);
    const window = requestWindow(q.start_date, q.end_date, app.securityOptions.clock());
    if ('error' in window) throw new HttpError(400, window.error);
    const wanted = new Set<string>(statusesFor(statuses as Open311Status[]));
    return asRequests(await search(machine.scope, codes, wanted, window.from, window.to));
  });

  app.get('/v2/requests/:service_request_id', {
    schema: {
      tags,
      summary: 'GeoReport v2: one service request (an array of one), in the api_key\'s scope',
      params: Open311RequestParams, querystring: Open311KeyQuery,
      response: { 200: Open311RequestList, ...errors },
    },
  }, async (request) => {
    checkJurisdiction(request.query.jurisdiction_id);
    const raw = request.params.service_request_id;
    if (!raw.endsWith('.json')) throw new HttpError(404, 'this endpoint answers JSON only: use requests/{service_request_id}.json');
    const id = raw.slice(0, -'.json'.length);
    const machine = await keyHolder(request, request.query.api_key);
    const found = await byIds(machine.scope, [id]);
    if (!found.length) throw new HttpError(404, `service_request_id ${id} was not found`);
    return asRequests(found);
  });
};
export default requests;
