// One PostgreSQL for the whole server suite: DATABASE_URL when set (CI also
// runs this suite against Debian's PostgreSQL), else an embedded cluster in a
// temp dir on a free port. Test files get its URL through inject('pgAdminUrl')
// and each creates its own fresh database in it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database on the suite's server that can CREATE DATABASE. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    project.provide('pgAdminUrl', external);
    return async () => {};
  }
  const dir = await mkdtemp(join(tmpdir(), 'gcc-server-test-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), database: 'postgres' });
  project.provide('pgAdminUrl', postgres.url);
  return async () => {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
