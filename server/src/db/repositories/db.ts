// What a repository needs from node-postgres: a pool, or one client inside a transaction.
import pg from 'pg';

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Runs `work` in one transaction on its own client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    if (!committed.delete(client)) await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    committed.delete(client);
    client.release();
  }
}

/** Runs `work` in a read-only snapshot: every query sees the same committed state. */
export function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

// ---- the last statement and COMMIT in one round trip ----
// A writer of the change log holds the counter row's lock from its append to
// its COMMIT. Sent apart, the COMMIT leaves only when the event loop has read
// the append's answer, and under load that took milliseconds while every
// other writer queued on the lock. Sent together (the simple protocol runs a
// string of statements in one round trip), the lock is held for the
// database's own work only. That protocol has no parameters, so the values
// are written into the text as quoted literals (pg's escapeLiteral: quotes and
// backslashes doubled); the statement must cast each one, as a parameter's
// type is not inferred from a literal in the same way.

const committed = new WeakSet<object>();

/** A value as an SQL literal: NULL, a finite number, or a quoted string (a Date as ISO 8601). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new Error('a text value may not hold a NUL character');
    return pg.escapeLiteral(value);
  }
  throw new Error(`no SQL literal for a ${typeof value}`);
}

/** `sql` with each `$n` replaced by the literal of values[n - 1]. */
export function inlineParams(sql: string, values: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`no value for $${n}`);
    return sqlLiteral(values[i]);
  });
}

/**
 * Runs `sql` and then COMMIT in one round trip, on a client inside
 * inTransaction (which then does not commit again): the transaction's last
 * statement. If `sql` fails nothing after it runs, and inTransaction rolls
 * back as for any error. Returns `sql`'s rows.
 */
export async function queryThenCommit<R extends pg.QueryResultRow>(tx: Queryable, sql: string, values: readonly unknown[]): Promise<R[]> {
  if (!(tx instanceof pg.Client)) throw new Error('queryThenCommit needs the transaction\'s own client (inTransaction)');
  const results = (await tx.query(`${inlineParams(sql, values)};\nCOMMIT`)) as unknown as pg.QueryResult<R>[];
  committed.add(tx);
  return results[0].rows;
}
