// The duty console's HTTP calls (queues, a unit's items, an item's detail,
// the workflow actions). Shapes come from the shared contract only.
import type { ActionResult, DispatchDetail, QueueList, QueueName, UnitList } from '@shared/schemas/dispatch.ts';
import type { IncidentWithTimeline } from '@shared/schemas/incident.ts';
import type { NearestCameras } from '@shared/schemas/device.ts';
import { requestJson, type Query } from '../../api/http.ts';

const BASE = '/api/v1';

/** Route segment of each workflow action a person can take (hand_down is /hand-down). */
export function actionSegment(action: string): string {
  return action === 'hand_down' ? 'hand-down' : action;
}

export const dispatchApi = {
  queue: (name: QueueName, query: Query, signal?: AbortSignal) => requestJson<QueueList>('GET', `${BASE}/queues/${name}`, { query, signal }),
  unitItems: (code: string, signal?: AbortSignal) => requestJson<QueueList>('GET', `${BASE}/units/${code}/items`, { signal }),
  units: () => requestJson<UnitList>('GET', `${BASE}/units`),
  detail: (id: string, signal?: AbortSignal) => requestJson<DispatchDetail>('GET', `${BASE}/incidents/${id}/dispatch`, { signal }),
  incident: (id: string, signal?: AbortSignal) => requestJson<IncidentWithTimeline>('GET', `${BASE}/incidents/${id}`, { signal }),
  cameras: (id: string, signal?: AbortSignal) => requestJson<NearestCameras>('GET', `${BASE}/incidents/${id}/cameras`, { signal }),
  act: (id: string, action: string, body: Record<string, unknown>) =>
    requestJson<ActionResult>('POST', `${BASE}/incidents/${id}/${actionSegment(action)}`, { body }),
};
