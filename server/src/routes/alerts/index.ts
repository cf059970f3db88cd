// Alerts: the list (scoped in SQL, newest first, keyset pages) and the two
// things a person does with one: acknowledge it (I have seen it, I am on it)
// and clear it. Who and when are recorded on the alert, pushed to every
// screen of its scope and written to the audit log. An alert outside the
// caller's scope answers 404, as an incident does.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Alert, AlertList, AlertParams, AlertQuery } from '../../../../shared/schemas/alert.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { narrowFilter } from '../../domain/scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import { HttpError } from '../../services/http-error.ts';

const DEFAULT_LIMIT = 100;

function encodeCursor(raisedAt: string, id: string): string {
  return Buffer.from(`${raisedAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { raisedAt: string; id: string } | null {
  const [raisedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!raisedAt || !id || Number.isNaN(Date.parse(raisedAt)) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { raisedAt, id };
}

const alerts: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/alerts', {
    config: { permission: 'alert:read' },
    schema: {
      tags: ['alerts'],
      summary: 'Alerts in your scope, newest first (keyset pages); lastSeq continues with /changes',
      querystring: AlertQuery,
      response: { 200: AlertList, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const q = request.query;
    const allowed = narrowFilter(principal.scope, q);
    if (!allowed.ok) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /alerts: ${allowed.reason}` });
      return reply.apiError(403, allowed.reason);
    }
    const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (before === null) return reply.apiError(400, 'cursor is not one this API handed out');
    const limit = q.limit ?? DEFAULT_LIMIT;
    // One more than asked tells whether an older page exists.
    const { alerts: rows, lastSeq } = await app.alerts.list(principal.scope, { ...q, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    reply.header('cache-control', 'no-store');
    return {
      alerts: page.map(({ ruleKey: _ruleKey, ...alert }) => alert),
      lastSeq,
      nextCursor: rows.length > limit && last ? encodeCursor(last.raisedAt, last.id) : null,
    };
  });

  const act = (verb: 'acknowledge' | 'clear') => async (request: FastifyRequest<{ Params: AlertParams }>) => {
    const principal = principalOf(request);
    const { id } = request.params;
    const actor = { username: principal.username, userId: principal.userId };
    try {
      const alert = verb === 'acknowledge'
        ? await app.alerts.acknowledge(id, principal.scope, actor)
        : await app.alerts.clear(id, principal.scope, actor);
      await app.audit.record(request, {
        action: `alert.${verb}`, result: 'success', targetType: 'alert', targetId: id,
        after: { status: alert.status, kind: alert.kind, level: alert.level },
        townCode: alert.townCode, communityCode: alert.communityCode,
      });
      return alert;
    } catch (err) {
      if (err instanceof HttpError) {
        await app.audit.record(request, {
          action: `alert.${verb}`, result: err.statusCode === 404 ? 'denied' : 'failure', targetType: 'alert', targetId: id, detail: err.message,
        });
      }
      throw err;
    }
  };

  const actionSchema = (summary: string) => ({
    config: { permission: 'alert:acknowledge' as const },
    schema: {
      tags: ['alerts'],
      summary,
      params: AlertParams,
      response: { 200: Alert, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError },
    },
  });

  app.post('/alerts/:id/acknowledge',
    actionSchema('Acknowledge an alert of your scope (409 when it is already acknowledged or cleared)'), act('acknowledge'));
  app.post('/alerts/:id/clear',
    actionSchema('Clear an alert of your scope (409 when it is already cleared)'), act('clear'));
};
export default alerts;
