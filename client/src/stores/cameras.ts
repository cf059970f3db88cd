// Live camera status. The geo store loads the cameras with their status at
// that time; pushed changes (and a snapshot after a long absence) land here,
// keyed by code with the seq of the last change, and reach the map as
// feature-state once per animation frame — the camera layer is never rebuilt.
import { defineStore } from 'pinia';
import type { CameraStatusChange, DeviceStatus } from '@shared/schemas/device.ts';
import { Batcher, nextFrame } from '../realtime/frame-batcher.ts';
import { SETDATA_BASELINE, immediately } from '../realtime/bench-mode.ts';

export type CameraStatusUpdate = Map<string, DeviceStatus>;

export const useCamerasStore = defineStore('cameras', () => {
  const live = new Map<string, { status: DeviceStatus; seq: number }>();
  const listeners = new Set<(update: CameraStatusUpdate) => void>();
  const batch = new Batcher<string>(SETDATA_BASELINE ? immediately : nextFrame, (codes) => {
    const update: CameraStatusUpdate = new Map();
    for (const code of codes) {
      const s = live.get(code);
      if (s) update.set(code, s.status);
    }
    for (const l of listeners) l(update);
  });

  /** Statuses read from GET /api/v1/cameras after a snapshot at `seq`. */
  function replaceAll(statuses: Iterable<[string, DeviceStatus]>, seq: number): void {
    for (const [code, status] of statuses) {
      const held = live.get(code);
      if (held && held.seq > seq) continue; // a pushed change newer than the snapshot wins
      if (held?.status !== status) batch.add(code);
      live.set(code, { status, seq });
    }
  }

  function apply(change: CameraStatusChange): void {
    const held = live.get(change.code);
    if (held && held.seq >= change.seq) return;
    live.set(change.code, { status: change.status, seq: change.seq });
    batch.add(change.code);
  }

  function statusOf(code: string): DeviceStatus | undefined {
    return live.get(code)?.status;
  }

  /** Every status known live, for a layer that starts after changes came in. */
  function all(): CameraStatusUpdate {
    return new Map([...live].map(([code, s]) => [code, s.status]));
  }

  function onUpdate(listener: (update: CameraStatusUpdate) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { replaceAll, apply, statusOf, all, onUpdate };
});
