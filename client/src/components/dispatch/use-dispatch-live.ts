// Keeps a console live: one socket (the realtime module's), subscribed to the
// signed-in officer's scope; every incident created or changed calls
// `onChange`, and every (re)connect calls `onResync` so the view reloads what
// it shows (a reload is the console's catch-up: queues are small).
import { onBeforeUnmount, ref } from 'vue';
import type { Incident } from '@shared/schemas/incident.ts';
import type { Scope } from '@shared/schemas/auth.ts';
import type { SubscribeRequest } from '@shared/realtime.ts';
import { createScreenSocket } from '../../realtime/screen-socket.ts';

function subscribeRequest(scope: Scope): SubscribeRequest {
  if (scope.level === 'district') return { scope: { level: 'district' } };
  if (scope.level === 'town') return { scope: { level: 'town', townCode: scope.townCode } };
  return { scope: { level: 'community', communityCode: scope.communityCode } };
}

export function useDispatchLive(scope: Scope, onChange: (incident: Incident) => void, onResync: () => void) {
  const live = ref(false);
  const socket = createScreenSocket();
  // Pushed as lists (a batch of reports is one event).
  const each = (incidents: Incident[]) => { for (const incident of incidents) onChange(incident); };
  socket.on('incident:created', each);
  socket.on('incident:updated', each);
  socket.on('connect', () => {
    socket.emit('subscribe', subscribeRequest(scope), (ack) => {
      live.value = 'data' in ack;
      onResync();
    });
  });
  socket.on('disconnect', () => {
    live.value = false;
  });
  socket.connect();
  onBeforeUnmount(() => socket.close());
  return { live };
}
