// Merging one read of the change log into as few messages as it can be.
// A batch of reports commits together and is read back together: pushed one
// event per change, 50 reports are 50 websocket messages to each of 60
// screens, and each message costs the server a frame and every screen a
// parse, however small it is. So the changes one read brings are grouped by
// room, and a room's consecutive changes of one mergeable kind go out as one
// event carrying a list. Nothing waits for this: it merges only what has
// already arrived. Each room keeps its changes' order (seq order), so a
// screen applies them exactly as it would one by one. Pure.

export interface Push<K extends string = string, P = unknown> {
  rooms: readonly string[];
  kind: K;
  payload: P;
}

/** One message to one room: a mergeable kind's consecutive payloads, or one other change. */
export interface RoomRun<K extends string = string, P = unknown> {
  room: string;
  kind: K;
  payloads: P[];
}

/**
 * The messages to send for `pushes` (in seq order): per room, runs of
 * consecutive changes of one kind for which `mergeable(kind)` holds, and
 * every other change alone. A room's runs are in the order of its changes;
 * rooms come in the order they were first named.
 */
export function mergeRuns<K extends string, P>(
  pushes: Iterable<Push<K, P>>, mergeable: (kind: K) => boolean,
): RoomRun<K, P>[] {
  const byRoom = new Map<string, RoomRun<K, P>[]>();
  for (const push of pushes) {
    const merge = mergeable(push.kind);
    for (const room of push.rooms) {
      let runs = byRoom.get(room);
      if (!runs) byRoom.set(room, (runs = []));
      const last = runs[runs.length - 1];
      if (merge && last && last.kind === push.kind && mergeable(last.kind)) last.payloads.push(push.payload);
      else runs.push({ room, kind: push.kind, payloads: [push.payload] });
    }
  }
  return [...byRoom.values()].flat();
}
