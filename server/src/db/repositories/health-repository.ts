import type { Queryable } from './db.ts';

/** Is the database answering at all? */
export async function ping(db: Queryable): Promise<boolean> {
  try {
    await db.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
