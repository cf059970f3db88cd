// Keyboard shortcuts of both consoles: one letter per frequent action (shown
// on its button and in the `?` help), j/k or arrows to move through the
// queue, `?` for the help. Keys typed into a form field are the field's.
import { onBeforeUnmount, onMounted, ref } from 'vue';

/** Workflow action -> its key. */
export const ACTION_KEYS: Partial<Record<string, string>> = {
  accept: 'a', dispatch: 'd', take: 't', return: 'r', progress: 'p', resolve: 'f',
  verify: 'v', close: 'c', escalate: 'e', supervise: 's', hand_down: 'h',
};
const ACTION_BY_KEY = new Map(Object.entries(ACTION_KEYS).map(([action, key]) => [key!, action]));

export interface ConsoleKeyOptions {
  move: (step: number) => void;
  /** Opens the action's form; false when the item does not offer it now. */
  open: (action: string) => boolean;
  /** The view's own keys (search, queue tabs); true when it used the key. */
  extra?: (key: string) => boolean;
}

export function useConsoleKeys(options: ConsoleKeyOptions) {
  const help = ref(false);

  function onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === '?') help.value = !help.value;
    else if (help.value) {
      if (key !== 'Escape') return;
      help.value = false;
    } else if (key === 'j' || key === 'ArrowDown') options.move(1);
    else if (key === 'k' || key === 'ArrowUp') options.move(-1);
    else if (options.extra?.(key)) { /* the view's own key */ }
    else {
      const action = ACTION_BY_KEY.get(key);
      if (!action || !options.open(action)) return;
    }
    event.preventDefault();
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
  return { help };
}
