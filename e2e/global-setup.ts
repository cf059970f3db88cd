// Starts the real product once for all browser tests: the client build,
// the Fastify server and an embedded PostgreSQL in a throw-away directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startProduct } from '../server/src/start.ts';
import { ensureClientBuilt } from './build-client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureClientBuilt();
  const pgDataDir = await mkdtemp(join(tmpdir(), 'gcc-e2e-pg-'));
  const product = await startProduct({ port: 0, pgDataDir });
  project.provide('baseUrl', product.url);
  return async () => {
    await product.close();
    await rm(pgDataDir, { recursive: true, force: true });
  };
}
