import { describe, expect, it } from 'vitest';
import { actOverSocket } from './act.ts';
import type { ScreenSocket } from './screen-socket.ts';
import type { ActRequest } from '@shared/realtime.ts';

const request: ActRequest = { incidentId: '6f1e6c1c-1111-4111-8111-111111111111', action: 'accept', body: { expectedVersion: 1 } };

/** A socket double: records what was sent and answers with `answer` (or throws, as socket.io does on a timeout). */
function fakeSocket(connected: boolean, answer: () => Promise<unknown>) {
  const sent: { event: string; payload: unknown; timeout: number }[] = [];
  const socket = {
    connected,
    timeout: (ms: number) => ({
      emitWithAck: (event: string, payload: unknown) => {
        sent.push({ event, payload, timeout: ms });
        return answer();
      },
    }),
  };
  return { socket: socket as unknown as ScreenSocket, sent };
}

describe('actOverSocket', () => {
  it('sends incident:act and hands back the result', async () => {
    const result = { incident: { id: request.incidentId }, dispatch: {}, actions: [] };
    const { socket, sent } = fakeSocket(true, async () => ({ data: result }));
    expect(await actOverSocket(socket, request, 5000)).toEqual({ ok: true, result });
    expect(sent).toEqual([{ event: 'incident:act', payload: request, timeout: 5000 }]);
  });

  it('passes a refusal through, the fresh item included', async () => {
    const error = { code: 'conflict', message: 'changed meanwhile', reason: 'version_conflict', incident: { id: request.incidentId, version: 2 } };
    const { socket } = fakeSocket(true, async () => ({ error }));
    expect(await actOverSocket(socket, request)).toEqual({ ok: false, error });
  });

  it('says offline without sending, and timeout when no answer comes', async () => {
    const offline = fakeSocket(false, async () => ({ data: {} }));
    expect(await actOverSocket(offline.socket, request)).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(offline.sent).toEqual([]);
    const silent = fakeSocket(true, () => Promise.reject(new Error('operation has timed out')));
    expect(await actOverSocket(silent.socket, request, 2000)).toEqual({ ok: false, error: { code: 'timeout', message: 'no answer within 2 s' } });
  });
});
