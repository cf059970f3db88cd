// How every admin page acts: ask first when the step is destructive, run
// the call, say what happened (the server's message on a refusal), and
// reload the list either way, so the page shows what the server now holds.
import { ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorText } from './admin-rules.ts';

interface Pending { message: string; danger: boolean; work: () => Promise<string> }

export function useAdminAction(reload: () => Promise<void>) {
  const { t } = useI18n();
  const error = ref<string | null>(null);
  const notice = ref<string | null>(null);
  const busy = ref(false);
  const confirming = shallowRef<Pending | null>(null);

  /** Runs `work` (which returns the success notice); true when it succeeded. */
  async function run(work: () => Promise<string>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    notice.value = null;
    try {
      notice.value = await work();
      return true;
    } catch (err) {
      error.value = errorText(t, err);
      return false;
    } finally {
      busy.value = false;
      await reload().catch(() => undefined);
    }
  }

  function ask(message: string, work: () => Promise<string>, danger = true): void {
    confirming.value = { message, danger, work };
  }

  async function confirmed(): Promise<void> {
    const pending = confirming.value;
    confirming.value = null;
    if (pending) await run(pending.work);
  }

  return { error, notice, busy, confirming, run, ask, confirmed, cancel: () => { confirming.value = null; } };
}
