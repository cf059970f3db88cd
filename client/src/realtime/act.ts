// Workflow actions over the screen's socket (`incident:act`, the socket twin
// of POST /api/v1/incidents/{id}/<action>; contract in shared/realtime.ts).
// One promise per action: the REST-shaped result, or the ack's error (with
// the fresh item on `conflict` / `illegal_transition`). A socket that is not
// connected or a server that does not answer in time is an error too, so a
// console can fall back to REST.
import type { AckError, ActRequest } from '@shared/realtime.ts';
import type { ActionResult } from '@shared/schemas/dispatch.ts';
import type { ScreenSocket } from './screen-socket.ts';

export type ActOutcome = { ok: true; result: ActionResult } | { ok: false; error: AckError | { code: 'offline' | 'timeout'; message: string } };

/** How long an action may take before the console stops waiting (the server may still have done it: re-read). */
export const ACT_TIMEOUT_MS = 15_000;

export async function actOverSocket(socket: ScreenSocket, request: ActRequest, timeoutMs = ACT_TIMEOUT_MS): Promise<ActOutcome> {
  if (!socket.connected) return { ok: false, error: { code: 'offline', message: 'not connected' } };
  try {
    const answer = await socket.timeout(timeoutMs).emitWithAck('incident:act', request);
    return 'data' in answer ? { ok: true, result: answer.data } : { ok: false, error: answer.error };
  } catch {
    return { ok: false, error: { code: 'timeout', message: `no answer within ${timeoutMs / 1000} s` } };
  }
}
