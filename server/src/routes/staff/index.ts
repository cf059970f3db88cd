// Grid staff with their phone numbers: personal data. Listed only inside the
// caller's scope (in SQL); a filter naming a place outside it is refused
// with 403; names and numbers are masked unless the role needs them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StaffList, StaffQuery, type StaffMember } from '../../../../shared/schemas/auth.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { maskName, maskPhone } from '../../domain/masking.ts';
import { can } from '../../domain/roles.ts';
import { narrowFilter } from '../../domain/scope.ts';
import { principalOf } from '../../plugins/auth.ts';

const DEFAULT_LIMIT = 200;

const staff: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/staff', {
    config: { permission: 'staff:read' },
    schema: {
      tags: ['people'],
      summary: 'Grid staff in your scope; names and phones masked unless your role needs them',
      querystring: StaffQuery,
      response: { 200: StaffList, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const allowed = narrowFilter(principal.scope, request.query);
    if (!allowed.ok) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /staff: ${allowed.reason}` });
      return reply.apiError(403, allowed.reason);
    }
    const rows = await app.repos.staff.listInScope(principal.scope, { ...request.query, limit: request.query.limit ?? DEFAULT_LIMIT });
    const full = can(principal.role, 'staff:read-contact');
    const list: StaffMember[] = rows.map(({ phoneEnc, ...row }) => {
      const phone = phoneEnc ? app.fieldCipher.decrypt(phoneEnc) : null;
      return { ...row, name: full ? row.name : maskName(row.name), phone: phone && !full ? maskPhone(phone) : phone };
    });
    reply.header('cache-control', 'no-store');
    return { staff: list, masked: !full };
  });
};
export default staff;
