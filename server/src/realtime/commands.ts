// Workflow actions over Socket.IO: the `incident:act` command (contract in
// shared/realtime.ts). It is the socket twin of POST /incidents/{id}/<action>
// and goes the same way: the same body schema (ACTION_ROUTES, compiled once
// here), the same permission table, the same app.dispatch.act() (state
// machine, one transaction with timeline, change log, audit with the
// socket's source address, push). What differs is only the door:
// - the session is checked again at every command (a socket outliving its
//   session must not act; the guard also drops it when the end is announced);
// - commands are rate-limited per socket (a token bucket);
// - refusals are acks from the allow-list in ACK_ERROR_CODES, a 409 carrying
//   the item as it is now, exactly as REST's 409 body does.
import fp from 'fastify-plugin';
import type { Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { ActRequest, type Ack, type AckError, type ActName, type ClientToServerEvents, type ServerToClientEvents } from '../../../shared/realtime.ts';
import { ACTION_ROUTES, type ActionResult } from '../../../shared/schemas/dispatch.ts';
import { can } from '../domain/roles.ts';
import type { ActionInput } from '../domain/workflow.ts';
import { TokenBucket, type BucketLimits } from '../domain/token-bucket.ts';
import { ACTION_PERMISSION, ActionRefused } from '../services/dispatch-service.ts';
import { socketPrincipal } from '../services/socket-auth.ts';
import type { Principal } from '../services/principal.ts';
import type { LiveSocketData } from '../plugins/realtime.ts';

type CommandSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

/**
 * Per socket: 20 commands at once, then 2 a second. A duty officer works an
 * item in a handful of clicks; the simulated officers use REST. Our choice.
 */
export const COMMAND_LIMITS: BucketLimits = { burst: 20, perSecond: 2 };

const checkRequest = Compile(ActRequest);
const BODY_CHECKS = new Map<string, ReturnType<typeof Compile<TSchema>>>(
  Object.values(ACTION_ROUTES).map((r) => [r.action, Compile(r.body as TSchema)]),
);

function refusal(code: AckError['code'], message: string, extra: Partial<AckError> = {}): { error: AckError } {
  return { error: { code, message, ...extra } };
}

/** What is wrong with a payload, in words: the first few problems with where they are. */
export function describeProblems(errors: Iterable<{ keyword: string; instancePath: string; message?: string; params: object }>, what: string): string {
  const parts: string[] = [];
  for (const e of errors) {
    // An unknown property shows up twice (as "schema is false" at it, and at its object): say it once.
    if (e.keyword === 'boolean') continue;
    const where = e.instancePath || '/';
    const params = e.params as { additionalProperties?: string[]; allowedValues?: unknown[] };
    const extra = e.keyword === 'additionalProperties' ? ` (${params.additionalProperties?.join(', ')})`
      : e.keyword === 'enum' ? `: ${params.allowedValues?.join(', ')}` : '';
    parts.push(`${where} ${e.message ?? e.keyword}${extra}`);
    if (parts.length === 3) break;
  }
  return `invalid ${what}: ${parts.join('; ') || 'does not match its schema'}`;
}

/** A refused action as an ack error (the same decision REST answers with its status code). */
function ackOfRefusal(err: ActionRefused): { error: AckError } {
  const fresh = err.fresh ?? {};
  switch (err.statusCode) {
    case 400:
      return refusal('invalid', err.message, { reason: err.code });
    case 403:
      return refusal('forbidden', err.message, { reason: err.code });
    case 404:
      return refusal('not_found', err.message, { reason: err.code });
    case 409:
      return refusal(err.code === 'version_conflict' ? 'conflict' : 'illegal_transition', err.message, { reason: err.code, ...fresh });
  }
}

export const socketCommandsPlugin = fp(
  async (app) => {
    const clock = app.securityOptions.clock;

    const denied = (principal: Principal, socket: CommandSocket, detail: string) =>
      app.repos.audit.append({
        actorId: principal.userId, actor: principal.username, role: principal.role, scope: principal.scope,
        sourceIp: socket.handshake.address ?? null, action: 'access.denied', result: 'denied', detail: `socket incident:act ${detail}`,
      });

    async function act(socket: CommandSocket, bucket: TokenBucket, request: unknown): Promise<Ack<ActionResult>> {
      if (!bucket.take(clock().getTime())) return refusal('rate_limited', 'too many commands on this connection; wait a moment and try again');
      // The session may have ended (signed out elsewhere, idle, disabled) since the handshake.
      const principal = await app.auth.authenticateHandshake({ headers: socket.handshake.headers, auth: socket.handshake.auth });
      if (!principal || principal.sessionId !== socketPrincipal(socket as unknown as Socket).sessionId) {
        setImmediate(() => socket.disconnect(true));
        return refusal('unauthorized', 'your session has ended; sign in again');
      }
      // Who may, before what exactly (as REST's hook runs before its body validation).
      if (principal.pending.length) return refusal('forbidden', `finish signing in first: ${principal.pending.join(', ')}`);
      if (principal.role === 'kiosk') {
        await denied(principal, socket, 'a kiosk is read-only');
        return refusal('forbidden', 'a kiosk is read-only');
      }
      if (!checkRequest.Check(request)) return refusal('invalid', describeProblems(checkRequest.Errors(request), 'incident:act request'));
      const { incidentId, action, body } = request as { incidentId: string; action: ActName; body: Record<string, unknown> };
      if (!can(principal.role, ACTION_PERMISSION[action])) {
        const message = `your role (${principal.role}) may not do this`;
        await denied(principal, socket, `${action} ${incidentId}: ${message}`);
        return refusal('forbidden', message);
      }
      const bodyCheck = BODY_CHECKS.get(action)!;
      if (!bodyCheck.Check(body)) return refusal('invalid', describeProblems(bodyCheck.Errors(body), `${action} body`));
      try {
        const input = { ...body, type: action } as ActionInput;
        return { data: await app.dispatch.act(principal, incidentId, input, socket.handshake.address ?? null) };
      } catch (err) {
        if (!(err instanceof ActionRefused)) throw err;
        if (err.statusCode === 403) await denied(principal, socket, `${action} ${incidentId}: ${err.message}`);
        return ackOfRefusal(err);
      }
    }

    app.io.on('connection', (socket: CommandSocket) => {
      const bucket = new TokenBucket(COMMAND_LIMITS, clock().getTime());
      socket.on('incident:act', async (request, ack) => {
        if (typeof ack !== 'function') return;
        ack(await act(socket, bucket, request).catch((err: unknown) => {
          app.log.error({ err }, 'socket incident:act failed');
          return refusal('internal', 'the server could not do that; it has been logged');
        }));
      });
    });
  },
  { name: 'socket-commands', dependencies: ['realtime', 'dispatch', 'auth'] },
);
