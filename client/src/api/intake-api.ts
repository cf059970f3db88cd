// The chat-group intake queue (issue 4): messages the robot could not
// recognise wait here for a duty officer to name their item or dismiss them.
import type { ClassifyBody, DismissBody, IntakeMessage, IntakeMessageList, IntakeResult, IntakeStatus } from '@shared/schemas/intake.ts';
import { requestJson } from './http.ts';

const BASE = '/api/v1/intake/messages';

export const intakeApi = {
  list: (status: IntakeStatus, before?: number, signal?: AbortSignal) =>
    requestJson<IntakeMessageList>('GET', BASE, { query: { status, before, limit: 50 }, signal }),
  classify: (id: number, body: ClassifyBody) => requestJson<IntakeResult>('POST', `${BASE}/${id}/classify`, { body }),
  dismiss: (id: number, body: DismissBody) => requestJson<IntakeMessage>('POST', `${BASE}/${id}/dismiss`, { body }),
};
