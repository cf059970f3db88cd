// Merging one read of the change log into as few messages as it can be.
// A batch of reports commits together and is read back together: pushed one
// event per change, 50 reports are 50 websocket messages to each of 60
// screens, and each message costs the server a frame and every screen a
// parse, however small it is. So the changes one read brings are grouped by
// room and kind: each room gets one event per kind, carrying that kind's
// changes in seq order. Nothing waits for this: it merges only what has
// already arrived.
//
// Kinds go out in the order given (an entity's lifecycle: created before
// updated, raised before acknowledged before cleared), so each entity's
// changes still arrive in seq order; changes of different entities may
// arrive out of seq order across kinds, which the contract allows (screens
// apply a change only above the seq they hold for its entity). Pure.

export interface Push<K extends string = string, P = unknown> {
  rooms: readonly string[];
  kind: K;
  payload: P;
}

/** One message to one room: the payloads of one kind, in seq order. */
export interface RoomBatch<K extends string = string, P = unknown> {
  room: string;
  kind: K;
  payloads: P[];
}

/**
 * The messages to send for `pushes` (in seq order): per room, one per kind
 * present, in `kindOrder`. Rooms come in the order they were first named.
 * A kind missing from `kindOrder` is a programming error and throws.
 */
export function batchByRoom<K extends string, P>(pushes: Iterable<Push<K, P>>, kindOrder: readonly K[]): RoomBatch<K, P>[] {
  const rank = new Map(kindOrder.map((kind, i) => [kind, i]));
  const byRoom = new Map<string, (P[] | undefined)[]>();
  for (const push of pushes) {
    const k = rank.get(push.kind);
    if (k === undefined) throw new Error(`no push order for ${push.kind}`);
    for (const room of push.rooms) {
      let lists = byRoom.get(room);
      if (!lists) byRoom.set(room, (lists = []));
      (lists[k] ??= []).push(push.payload);
    }
  }
  const out: RoomBatch<K, P>[] = [];
  for (const [room, lists] of byRoom) {
    lists.forEach((payloads, k) => {
      if (payloads) out.push({ room, kind: kindOrder[k], payloads });
    });
  }
  return out;
}
