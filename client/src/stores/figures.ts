// Figures for the panels, heatmap and choropleth. They are counted by the
// server (GET /api/v1/stats/*); pushed changes only mark them stale, and a
// refresh runs at most once per REFRESH_INTERVAL_MS however many changes
// arrive, so the panels never redraw per event.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Scope } from '@shared/schemas/auth.ts';
import type { Heat, HeatPeriod, ScreenStats } from '@shared/schemas/stats.ts';
import { fetchHeat, fetchScreenStats } from '../realtime/screen-api.ts';
import { Batcher, throttled } from '../realtime/frame-batcher.ts';

export const REFRESH_INTERVAL_MS = 1_000;
/** The heatmap moves slowly: its cells are refreshed less often. */
export const HEAT_REFRESH_INTERVAL_MS = 15_000;
/** Figures move with time too (the hour, overdue clocks): refresh at least this often. */
export const IDLE_REFRESH_MS = 60_000;

export const useFiguresStore = defineStore('figures', () => {
  const stats = shallowRef<ScreenStats | null>(null);
  const heat = shallowRef<Heat | null>(null);
  const heatDays = ref<HeatPeriod>(1);
  const heatWanted = ref(false);
  const error = ref<string | null>(null);
  let scope: Scope | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refreshStats(): Promise<void> {
    if (!scope) return;
    try {
      stats.value = await fetchScreenStats(scope);
      error.value = null;
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }

  async function refreshHeat(): Promise<void> {
    if (!scope || !heatWanted.value) return;
    try {
      heat.value = await fetchHeat(scope, heatDays.value);
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }

  const statsBatch = new Batcher<'stats'>(throttled(REFRESH_INTERVAL_MS), () => void refreshStats());
  const heatBatch = new Batcher<'heat'>(throttled(HEAT_REFRESH_INTERVAL_MS), () => void refreshHeat());

  function start(next: Scope): void {
    scope = next;
    stop();
    void refreshStats();
    void refreshHeat();
    timer = setInterval(() => { statsBatch.add('stats'); heatBatch.add('heat'); }, IDLE_REFRESH_MS);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  /** Something changed: refresh soon, at the bounded rate. */
  function markStale(): void {
    statsBatch.add('stats');
    if (heatWanted.value) heatBatch.add('heat');
  }

  function showHeat(on: boolean, days: HeatPeriod = heatDays.value): void {
    const changed = days !== heatDays.value || (on && !heatWanted.value);
    heatWanted.value = on;
    heatDays.value = days;
    if (on && changed) void refreshHeat();
  }

  return { stats, heat, heatDays, heatWanted, error, start, stop, markStale, showHeat, refreshStats };
});
