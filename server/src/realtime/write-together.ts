// A batch of reports becomes many events to each screen in one tick. Engine.io
// hands a connection's waiting packets to the websocket transport together
// (its `flush` event), but ws writes each frame with its own syscall, and on
// loopback every write also runs the receiving TCP path: with 60 screens and
// 50 reports a batch that was most of the server's CPU. Corking the
// connection's TCP socket for the flush sends the frames in one write; the
// frames and their order are the same.

/** What this needs of an engine.io connection (socket.io's `io.engine` emits them on 'connection'). */
export interface EngineConnection {
  request?: { socket?: { cork(): void; uncork(): void } };
  on(event: 'flush', listener: (buffer: unknown[]) => void): unknown;
}

/** Makes every multi-packet flush of this connection one write. */
export function writeFlushesTogether(conn: EngineConnection): void {
  const raw = conn.request?.socket;
  if (!raw || typeof raw.cork !== 'function') return;
  let corked = false;
  conn.on('flush', (buffer: unknown[]) => {
    if (corked || buffer.length < 2) return;
    corked = true;
    raw.cork();
    // The transport writes the whole buffer synchronously within this flush; uncork right after it.
    process.nextTick(() => {
      corked = false;
      raw.uncork();
    });
  });
}
