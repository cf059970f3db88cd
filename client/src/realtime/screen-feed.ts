// Binds one screen to the server: the socket's events and the change log go
// through ChangeSync into the stores, and the connection indicator follows
// the real state. Nothing else in the client touches the socket.
import { readonly, shallowRef } from 'vue';
import type { Scope } from '@shared/schemas/auth.ts';
import type { Change } from '@shared/schemas/changes.ts';
import type { CameraCollection } from '@shared/schemas/geo.ts';
import type { SubscribeRequest } from '@shared/realtime.ts';
import { geoApi } from '../api/geo-api.ts';
import { useIncidentsStore } from '../stores/incidents.ts';
import { useCamerasStore } from '../stores/cameras.ts';
import { useAlertsStore } from '../stores/alerts.ts';
import { useFiguresStore } from '../stores/figures.ts';
import { ChangeSync } from './change-sync.ts';
import { INITIAL_CONNECTION, nextConnection, type ConnectionEvent, type ConnectionState } from './connection-state.ts';
import { fetchChanges, fetchIncidentSnapshot, fetchRaisedAlerts } from './screen-api.ts';
import { createScreenSocket, type ScreenSocket } from './screen-socket.ts';
import { inScope } from './screen-scope.ts';

/** While live, a light catch-up this often finds anything a push lost (it applies nothing twice). */
export const SAFETY_SYNC_MS = 60_000;
/** After a failed catch-up (server busy, restarting) try again after this long. */
const RETRY_MS = 3_000;
/** How long a screen waits before dialling again after the server closed or refused it. */
const REDIAL_MS = 3_000;
/** A level-1 report or an alert younger than this that a catch-up brings still flies the map and sounds. */
const NEWS_MS = 5 * 60_000;

export interface ScreenFeed {
  connection: Readonly<{ value: ConnectionState }>;
  /** Gaps found and filled by catch-ups since start (should stay 0 on a healthy network). */
  recovered: () => number;
  stop(): void;
}

declare global {
  interface Window {
    __screenFeed?: { lastSeq(): number; recovered(): number; phase(): string };
  }
}

function subscribeRequest(scope: Scope): SubscribeRequest {
  if (scope.level === 'district') return { scope: { level: 'district' } };
  if (scope.level === 'town') return { scope: { level: 'town', townCode: scope.townCode } };
  return { scope: { level: 'community', communityCode: scope.communityCode } };
}

export function startScreenFeed(scope: Scope): ScreenFeed {
  const incidents = useIncidentsStore();
  const cameras = useCamerasStore();
  const alerts = useAlertsStore();
  const figures = useFiguresStore();
  const connection = shallowRef<ConnectionState>(INITIAL_CONNECTION);
  const move = (event: ConnectionEvent) => { connection.value = nextConnection(connection.value, event, Date.now()); };
  let fromSocket = false;
  let stopped = false;

  /** Pushed now, or caught up after a short drop: worth a flight and a sound. Old news is not. */
  function isNews(at: string): boolean {
    return fromSocket || Date.now() - Date.parse(at) < NEWS_MS;
  }

  function apply(change: Change): void {
    // A district principal may watch one town: the REST change log is the principal's scope.
    if (!inScope(scope, change.payload)) return;
    switch (change.kind) {
      case 'incident:created':
      case 'incident:updated':
        incidents.apply(change.payload, change.kind === 'incident:created', isNews(change.payload.reportedAt));
        figures.markStale();
        break;
      case 'camera:status-changed':
        cameras.apply(change.payload);
        figures.markStale();
        break;
      case 'alert:raised':
      case 'alert:acknowledged':
      case 'alert:cleared':
        alerts.apply(change.payload, isNews(change.payload.raisedAt));
        break;
    }
  }

  async function loadSnapshot(): Promise<number> {
    const [snap, raised] = await Promise.all([fetchIncidentSnapshot(scope), fetchRaisedAlerts(scope)]);
    const seq = Math.min(snap.lastSeq, raised.lastSeq);
    // Read after the others: every camera change up to `seq` is in it (later ones come again from the log).
    const cams: CameraCollection = await geoApi.cameras();
    incidents.replaceAll(snap.incidents.filter((i) => inScope(scope, i)));
    alerts.replaceAll(raised.alerts.filter((a) => inScope(scope, a)));
    cameras.replaceAll(cams.features.map((f) => [f.id, f.properties.status]), seq);
    figures.markStale();
    return seq;
  }

  const sync = new ChangeSync({
    fetchPage: fetchChanges,
    loadSnapshot,
    apply: (change) => apply(change),
    now: () => Date.now(),
  });

  const socket: ScreenSocket = createScreenSocket();
  // Every event carries a list (one per kind of what one read of the log brought), in seq order.
  const receive = <K extends Exclude<Change['kind'], 'camera:status-changed'>>(kind: K) => (payloads: { seq: number }[]) => {
    fromSocket = true;
    try {
      for (const payload of payloads) sync.receive({ seq: payload.seq, at: new Date().toISOString(), kind, payload } as Change);
    } finally {
      fromSocket = false;
    }
    move({ type: 'event' });
  };
  socket.on('incident:created', receive('incident:created'));
  socket.on('incident:updated', receive('incident:updated'));
  socket.on('alert:raised', receive('alert:raised'));
  socket.on('alert:acknowledged', receive('alert:acknowledged'));
  socket.on('alert:cleared', receive('alert:cleared'));
  socket.on('camera:status-changed', (batch) => {
    fromSocket = true;
    try {
      for (const change of batch) sync.receive({ seq: change.seq, at: change.at, kind: 'camera:status-changed', payload: change });
    } finally {
      fromSocket = false;
    }
    move({ type: 'event' });
  });

  let retry: ReturnType<typeof setTimeout> | null = null;
  async function catchUp(): Promise<void> {
    if (retry) clearTimeout(retry);
    retry = null;
    try {
      await sync.resync();
      if (!stopped && socket.connected) move({ type: 'synced' });
    } catch (err) {
      console.warn('[screen] catch-up failed, retrying:', err);
      if (!stopped && socket.connected) retry = setTimeout(() => void catchUp(), RETRY_MS);
    }
  }

  socket.on('connect', () => {
    move({ type: 'connected' });
    socket.emit('subscribe', subscribeRequest(scope), (answer) => {
      if ('error' in answer) {
        // Refused (outside the principal's scope): stay down, visibly.
        console.error('[screen] subscribe refused:', answer.error.code, answer.error.message);
        move({ type: 'disconnected' });
        return;
      }
      void catchUp();
    });
  });
  // socket.io reconnects by itself after a network loss, but not after the
  // server closed the socket (a restart: "io server disconnect") or refused
  // the handshake (socket.active is false then). A wall screen must come back
  // by itself, so those cases retry here, unhurried.
  let redial: ReturnType<typeof setTimeout> | undefined;
  const redialLater = () => {
    if (stopped || socket.active || redial) return;
    redial = setTimeout(() => {
      redial = undefined;
      if (!stopped && !socket.connected) socket.connect();
    }, REDIAL_MS);
  };
  socket.on('disconnect', () => {
    sync.disconnected();
    move({ type: 'disconnected' });
    redialLater();
  });
  socket.on('connect_error', () => {
    move({ type: 'disconnected' });
    redialLater();
  });

  const ticker = setInterval(() => move({ type: 'tick' }), 1_000);
  const safety = setInterval(() => {
    if (socket.connected && connection.value.phase === 'live') void catchUp();
  }, SAFETY_SYNC_MS);

  figures.start(scope);
  socket.connect();
  // Test hook (e2e/): how far the screen is, and how many missed changes catch-ups found.
  window.__screenFeed = { lastSeq: () => sync.lastSeq, recovered: () => sync.recoveredTotal, phase: () => connection.value.phase };

  return {
    connection: readonly(connection) as Readonly<{ value: ConnectionState }>,
    recovered: () => sync.recoveredTotal,
    stop() {
      stopped = true;
      delete window.__screenFeed;
      clearInterval(ticker);
      clearInterval(safety);
      if (retry) clearTimeout(retry);
      if (redial) clearTimeout(redial);
      figures.stop();
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
