// Where the product's database connections spend their time under load:
// pg_stat_activity sampled every 50 ms, counted by wait event.
// "Lock: transactionid" is a writer queued behind another's row lock (the
// change-log counter row), "IO: WALSync" a commit waiting for its fsync,
// "Client: ClientRead" the server waiting for the Node process, "CPU" a
// backend running. Diagnostic only: connects as the embedded cluster's owner
// with the password the product keeps inside its throwaway data directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface PgProfile {
  samples: number;
  /** Mean connections in each state per sample, largest first. */
  states: [string, number][];
}

export async function connectToCluster(pgDataDir: string, database = 'postgres'): Promise<pg.Client> {
  const password = readFileSync(join(pgDataDir, 'app-password.secret'), 'utf8').trim();
  const port = Number(readFileSync(join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
  await client.connect();
  return client;
}

/** Samples until stop() is called. */
export function profile(client: pg.Client, everyMs = 50): { stop(): Promise<PgProfile> } {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND datname <> 'postgres' AND state IS DISTINCT FROM 'idle'`);
      samples += 1;
      for (const r of rows) {
        const key = r.wait_event_type ? `${r.wait_event_type}: ${r.wait_event}${r.state === 'idle in transaction' ? ' (in transaction)' : ''}` : `CPU (${r.state})`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { samples, states: [...counts].map(([k, n]): [string, number] => [k, n / Math.max(1, samples)]).sort((a, b) => b[1] - a[1]) };
    },
  };
}
