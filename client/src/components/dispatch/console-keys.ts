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

export type KeyCommand =
  | { kind: 'none' }
  | { kind: 'help'; open: boolean }
  | { kind: 'move'; step: 1 | -1 }
  | { kind: 'action'; action: string }
  /** Not one of the shared keys: the view may use it (search, queue tabs). */
  | { kind: 'other'; key: string };

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The pressed key went to a form field. */
  inField?: boolean;
}

/** What a key press means to a console, with the help open or not. */
export function keyCommand(press: KeyPress, helpOpen: boolean): KeyCommand {
  if (press.ctrlKey || press.metaKey || press.altKey || press.inField) return { kind: 'none' };
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (key === '?') return { kind: 'help', open: !helpOpen };
  // While the help is up, only Esc (closing it) means anything.
  if (helpOpen) return key === 'Escape' ? { kind: 'help', open: false } : { kind: 'none' };
  if (key === 'j' || key === 'ArrowDown') return { kind: 'move', step: 1 };
  if (key === 'k' || key === 'ArrowUp') return { kind: 'move', step: -1 };
  const action = ACTION_BY_KEY.get(key);
  return action ? { kind: 'action', action } : { kind: 'other', key };
}

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
    if (event.defaultPrevented) return;
    const target = event.target as HTMLElement | null;
    const inField = !!target && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable);
    const command = keyCommand({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, inField }, help.value);
    let used = true;
    if (command.kind === 'help') help.value = command.open;
    else if (command.kind === 'move') options.move(command.step);
    else if (command.kind === 'action') used = options.open(command.action);
    else if (command.kind === 'other') used = options.extra?.(command.key) ?? false;
    else used = false;
    if (used) event.preventDefault();
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
  return { help };
}
