// Alerts of the screen: a capped book (newer seq wins), the banner queue
// (raised ones, gravest first), the sound switch, and acknowledging. An
// acknowledgement made anywhere arrives as `alert:acknowledged` and removes
// the alert from every screen's queue; the one made here too (not optimistically:
// the banner stays until the server has said so).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Alert } from '@shared/schemas/alert.ts';
import { AlertBook } from '../realtime/alert-book.ts';

const SOUND_KEY = 'gcc.screen.sound';

function savedSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export type Acknowledger = (id: string) => Promise<Alert>;

export const useAlertsStore = defineStore('alerts', () => {
  const book = new AlertBook();
  const queue = shallowRef<Alert[]>([]);
  const soundOn = ref(savedSound());
  /** The newest alert raised live, to sound and flash for (not for ones a snapshot brings back). */
  const lastRaised = shallowRef<Alert | null>(null);
  const acknowledging = ref<string | null>(null);
  const ackError = ref<string | null>(null);

  const current = computed(() => queue.value[0] ?? null);
  /** A level-1 alert takes the whole screen until someone acknowledges it. */
  const takeover = computed(() => (current.value?.level === 1 ? current.value : null));

  function refresh(): void {
    queue.value = book.queue();
  }

  function replaceAll(alerts: readonly Alert[]): void {
    book.replaceAll(alerts);
    refresh();
  }

  function apply(alert: Alert, live = true): void {
    if (!book.upsert(alert)) return;
    refresh();
    if (live && alert.status === 'raised') lastRaised.value = alert;
  }

  function setSound(on: boolean): void {
    soundOn.value = on;
    try {
      localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      /* kept for this session only */
    }
  }

  /** Acknowledges through the API; the answer (and the pushed event) updates the book. */
  async function acknowledge(id: string, send: Acknowledger): Promise<boolean> {
    acknowledging.value = id;
    ackError.value = null;
    try {
      apply(await send(id), false);
      return true;
    } catch (err) {
      ackError.value = err instanceof Error ? err.message : String(err);
      return false;
    } finally {
      acknowledging.value = null;
    }
  }

  return { queue, current, takeover, soundOn, lastRaised, acknowledging, ackError, replaceAll, apply, setSound, acknowledge };
});
