// Who changes an incident: a signed-in principal, or the system itself (a
// fire sensor, the Open311 gateway, the chat robot). Carried into the
// timeline and the audit log.
import type { FastifyReply } from 'fastify';
import type { Role, Scope } from '../../../shared/schemas/auth.ts';
import type { Principal } from '../services/principal.ts';

export interface Actor {
  accountId: number | null;
  /** An account's username, or a system name such as 'system:fire-sensor'. */
  username: string;
  role: Role | null;
  /** When set, the actor may only act inside it (callers on behalf of a person); unset for the system. */
  scope: Scope | null;
  sourceIp: string | null;
}

export function actorOf(principal: Principal, sourceIp: string | null = null): Actor {
  return { accountId: principal.userId, username: principal.username, role: principal.role, scope: principal.scope, sourceIp };
}

export function systemActor(name: string): Actor {
  return { accountId: null, username: `system:${name}`, role: null, scope: null, sourceIp: null };
}

/** An error a route can answer as is: status and a message safe to show. */
export class LiveError extends Error {
  constructor(readonly statusCode: 400 | 403 | 404 | 409 | 422, message: string) {
    super(message);
    this.name = 'LiveError';
  }
}

/** Answers a LiveError with its status and message; anything else goes on to the central handler (a logged 500). */
export function replyLiveError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof LiveError) return reply.apiError(err.statusCode, err.message);
  throw err;
}
