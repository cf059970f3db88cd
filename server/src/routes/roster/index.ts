// The duty roster (值班表): a seat's weekly shifts and who is on duty now;
// officers of a seat, or of a tier above whose scope covers it, change it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { NewShiftBody, Roster, RosterQuery, Shift, ShiftParams } from '../../../../shared/schemas/dispatch.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { Ok } from '../../../../shared/schemas/auth.ts';
import { canAccess } from '../../domain/scope.ts';
import { nextHandover, onDuty, shiftProblem } from '../../domain/duty-roster.ts';
import { seatOfOfficer, tierRank } from '../../domain/tiers.ts';
import { principalOf } from '../../plugins/auth.ts';
import { findSeat, seatOfficers, type SeatRow } from '../../db/repositories/seats-repository.ts';
import { deleteShift, findShift, insertShift, listShifts, toDomainShifts } from '../../db/repositories/roster-repository.ts';
import type { Principal } from '../../services/principal.ts';

/** Anyone may read the New Area seat's roster (it receives everyone's escalations); a town or community seat within one's scope. */
function mayRead(principal: Principal, seat: SeatRow): boolean {
  return seat.tier === 'district' || canAccess(principal.scope, { townCode: seat.townCode!, communityCode: seat.communityCode });
}

/** Officers of the seat itself, or of a higher tier whose scope covers it. */
function mayManage(principal: Principal, seat: SeatRow): boolean {
  const own = seatOfOfficer(principal.role, principal.scope);
  if (!own) return false;
  if (own.key === seat.key) return true;
  return tierRank(own.tier) > tierRank(seat.tier) && mayRead(principal, seat);
}

const roster: FastifyPluginAsyncTypebox = async (app) => {
  const denied = async (request: FastifyRequest, detail: string) => {
    await app.audit.record(request, { action: 'access.denied', result: 'denied', detail });
  };

  app.get('/roster', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'A seat\'s duty roster and who is on duty at `at` (now by default)',
      querystring: RosterQuery,
      response: { 200: Roster, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const seat = await findSeat(app.db, request.query.seat);
    if (!seat) return reply.notFound(`no seat ${request.query.seat}`);
    if (!mayRead(principal, seat)) {
      await denied(request, `GET /roster ${seat.key}: outside scope`);
      return reply.apiError(403, `seat ${seat.key} is outside your data scope`);
    }
    const at = request.query.at ? new Date(request.query.at) : app.securityOptions.clock();
    const shifts = await listShifts(app.db, [seat.key]);
    const domain = toDomainShifts(shifts);
    const handover = nextHandover(domain, seat.key, at);
    reply.header('cache-control', 'no-store');
    return {
      seat: { key: seat.key, tier: seat.tier, name: seat.name },
      shifts,
      onDuty: onDuty(domain, seat.key, at),
      nextHandover: handover ? handover.toISOString() : null,
    };
  });

  app.post('/roster/shifts', {
    config: { permission: 'incident:dispatch' },
    schema: {
      tags: ['dispatch'],
      summary: 'Adds a weekly shift for an officer of the seat',
      body: NewShiftBody,
      response: { 200: Shift, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const seat = await findSeat(app.db, body.seatKey);
    if (!seat) return reply.notFound(`no seat ${body.seatKey}`);
    if (!mayManage(principal, seat)) {
      await denied(request, `POST /roster/shifts ${seat.key}: not an officer of this seat or above it`);
      return reply.apiError(403, `only officers of ${seat.key}, or of a tier above it, change its roster`);
    }
    const problem = shiftProblem(body);
    if (problem) return reply.apiError(400, problem);
    if (!(await seatOfficers(app.db, seat)).includes(body.username)) {
      return reply.apiError(400, `${body.username} is no active officer of ${seat.key}`);
    }
    const user = await app.repos.users.byUsername(body.username);
    if (!user) return reply.apiError(400, `no account ${body.username}`);
    const shift = await insertShift(app.db, {
      seatKey: seat.key, userId: user.id, weekdays: body.weekdays, start: body.start, end: body.end, createdBy: principal.userId, at: app.securityOptions.clock(),
    });
    await app.audit.record(request, { action: 'roster.add', result: 'success', targetType: 'shift', targetId: String(shift.id), after: shift });
    return shift;
  });

  app.delete('/roster/shifts/:id', {
    config: { permission: 'incident:dispatch' },
    schema: {
      tags: ['dispatch'],
      summary: 'Removes a shift',
      params: ShiftParams,
      response: { 200: Ok, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const shift = await findShift(app.db, request.params.id);
    const seat = shift ? await findSeat(app.db, shift.seatKey) : null;
    if (!shift || !seat || !mayRead(principal, seat)) return reply.notFound(`no shift ${request.params.id}`);
    if (!mayManage(principal, seat)) {
      await denied(request, `DELETE /roster/shifts/${shift.id}: not an officer of this seat or above it`);
      return reply.apiError(403, `only officers of ${seat.key}, or of a tier above it, change its roster`);
    }
    await deleteShift(app.db, shift.id);
    await app.audit.record(request, { action: 'roster.remove', result: 'success', targetType: 'shift', targetId: String(shift.id), before: shift });
    return { ok: true as const };
  });
};
export default roster;
