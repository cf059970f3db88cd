// Live incidents of the screen. The collection is a plain keyed book (not
// deep-reactive: thousands of objects, changing many times a second); what
// the UI renders is derived from it at a bounded rate:
// - the map gets the changed ids once per animation frame (IncidentLayer
//   turns them into one updateData diff);
// - the ticker of latest reports is rebuilt at most once a second;
// - a new level-1 incident becomes `focus` (the map flies to it).
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { Incident } from '@shared/schemas/incident.ts';
import { IncidentBook } from '../realtime/incident-book.ts';
import { Batcher, nextFrame, throttled } from '../realtime/frame-batcher.ts';
import { SETDATA_BASELINE, immediately } from '../realtime/bench-mode.ts';

/** Reports the ticker shows (newest first). */
export const TICKER_MAX = 20;
const TICKER_INTERVAL_MS = 1_000;

export type MapUpdate = { kind: 'reset' } | { kind: 'changed'; ids: Set<string> };

export const useIncidentsStore = defineStore('incidents', () => {
  // Raw: the store must not wrap thousands of incidents in reactive proxies.
  const book = markRaw(new IncidentBook());
  // The newest reports, kept apart from the book so the ticker survives eviction.
  let latest: Incident[] = [];
  const ticker = shallowRef<Incident[]>([]);
  const focus = shallowRef<Incident | null>(null);
  const selectedId = ref<string | null>(null);
  const count = ref(0);
  /** Bumped on a snapshot, so late subscribers know to redraw everything. */
  const generation = ref(0);

  const mapListeners = new Set<(update: MapUpdate) => void>();
  const mapBatch = new Batcher<string>(SETDATA_BASELINE ? immediately : nextFrame, (ids) => {
    for (const l of mapListeners) l({ kind: 'changed', ids });
  });
  const tickerBatch = new Batcher<'ticker'>(throttled(TICKER_INTERVAL_MS), () => {
    ticker.value = latest.slice();
    count.value = book.size;
  });

  function rememberLatest(incident: Incident): void {
    const rest = latest.filter((i) => i.id !== incident.id);
    if (rest.length === latest.length && latest.length >= TICKER_MAX && incident.reportedAt < latest[latest.length - 1].reportedAt) return;
    latest = [...rest, incident].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt)).slice(0, TICKER_MAX);
  }

  /** A snapshot: replaces everything, the map redraws once. */
  function replaceAll(incidents: readonly Incident[]): void {
    book.replaceAll(incidents);
    latest = [...incidents].sort((a, b) => b.reportedAt.localeCompare(a.reportedAt)).slice(0, TICKER_MAX);
    ticker.value = latest.slice();
    count.value = book.size;
    generation.value++;
    for (const l of mapListeners) l({ kind: 'reset' });
  }

  /** A pushed or caught-up change. `live` is false for changes replayed by a catch-up long after the fact. */
  function apply(incident: Incident, created: boolean, live = true): void {
    const { result, evicted } = book.upsert(incident);
    if (result === 'stale') return;
    mapBatch.add(incident.id);
    for (const id of evicted) mapBatch.add(id);
    if (result === 'added' || created) rememberLatest(incident);
    else if (latest.some((i) => i.id === incident.id)) latest = latest.map((i) => (i.id === incident.id ? incident : i));
    tickerBatch.add('ticker');
    if (live && created && result === 'added' && incident.level === 1) focus.value = incident;
  }

  function onMapUpdate(listener: (update: MapUpdate) => void): () => void {
    mapListeners.add(listener);
    return () => mapListeners.delete(listener);
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  function clearFocus(): void {
    focus.value = null;
  }

  return { book, ticker, focus, selectedId, count, generation, replaceAll, apply, onMapUpdate, select, clearFocus };
});
