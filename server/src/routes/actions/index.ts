// The workflow actions on an item, one route and one body schema each
// (POST /incidents/{id}/accept, /dispatch, /take, ... /hand-down), and the
// item's dispatch detail for the console. Every route goes through
// app.dispatch.act(): the state machine decides, the incidents service writes.
// Refusals: 400 bad input, 403 not your role or scope, 404 not in your scope,
// 409 not from this state or a stale version, with the item as it is now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STATUS_CODES } from 'node:http';
import { ACTION_ROUTES, ActionError, ActionParams, ActionResult, DispatchDetail, type ActionRoute } from '../../../../shared/schemas/dispatch.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import type { ActionInput } from '../../domain/workflow.ts';
import { principalOf, requestContext } from '../../plugins/auth.ts';
import { ACTION_PERMISSION, ActionRefused } from '../../services/dispatch-service.ts';

const SUMMARY: Record<ActionRoute, string> = {
  accept: '受理: a seat takes a reported item in',
  dispatch: '派遣: to a lead unit (and helpers) with a deadline',
  take: '接单: the lead unit starts work',
  return: '退回: the unit gives it back to the seat, or a seat sends a handed-down item back up (reason required)',
  progress: 'A unit records progress (note, photos)',
  resolve: '办结: the lead unit marks it resolved',
  verify: '核查: the seat confirms the result',
  reject: 'The seat sends a resolved item back to the unit (rework, reason required)',
  close: '结案 (a reason is required when closing without dispatch)',
  rate: '评价: the reporter, or the seat on a follow-up call, rates 1-5',
  escalate: '提级: to the next tier (reason required)',
  'hand-down': 'The owning seat hands the item one tier down with instructions',
  supervise: '督办: a leader marks the item supervised (a mark, not a status)',
  reopen: 'Opens a closed or rated item again (reason required)',
};

const actions: FastifyPluginAsyncTypebox = async (app) => {
  for (const [segment, { action, body }] of Object.entries(ACTION_ROUTES) as [ActionRoute, (typeof ACTION_ROUTES)[ActionRoute]][]) {
    app.post(`/incidents/:id/${segment}`, {
      config: { permission: ACTION_PERMISSION[action] },
      schema: {
        tags: ['dispatch'],
        summary: SUMMARY[segment],
        params: ActionParams,
        body,
        response: { 200: ActionResult, 400: ActionError, 401: ApiError, 403: ActionError, 404: ActionError, 409: ActionError },
      },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const input = { ...(request.body as object), type: action } as ActionInput;
      try {
        return await app.dispatch.act(principal, request.params.id, input, requestContext(request).ip);
      } catch (err) {
        if (!(err instanceof ActionRefused)) throw err;
        if (err.statusCode === 403) {
          await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `${segment} ${request.params.id}: ${err.message}` });
        }
        return reply.code(err.statusCode).send({
          statusCode: err.statusCode,
          error: STATUS_CODES[err.statusCode] ?? 'Error',
          message: err.message,
          code: err.code,
          ...(err.fresh ?? {}),
        });
      }
    });
  }

  app.get('/incidents/:id/dispatch', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'An item\'s dispatch detail: assignment, SLA clock, progress records, ratings, and what you may do next',
      params: ActionParams,
      response: { 200: DispatchDetail, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const detail = await app.dispatch.detail(principalOf(request), request.params.id);
    if (!detail) return reply.notFound(`no incident ${request.params.id} in your data scope`);
    reply.header('cache-control', 'no-store');
    return detail;
  });
};
export default actions;
