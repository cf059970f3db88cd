// Starts the real product once for all browser tests: the client build,
// the Fastify server and an embedded PostgreSQL in a throw-away directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startProduct } from '../server/src/start.ts';
import { ensureClientBuilt } from './build-client.ts';
import { signInOverHttp } from '../server/test/helpers/sign-in.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** Cookie header of a signed-in district reader: the API needs a session (issue 3), and the login page comes later. */
    sessionCookie: string;
  }
}

/** A port nobody listens on right now, so PostgreSQL never fights for a fixed one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureClientBuilt();
  const pgDataDir = await mkdtemp(join(tmpdir(), 'gcc-e2e-pg-'));
  const product = await startProduct({ port: 0, host: '127.0.0.1', pgDataDir, pgPort: await freePort() });
  project.provide('baseUrl', product.url);
  project.provide('sessionCookie', await signInOverHttp(product.app, product.url, 'e2e.reader'));
  return async () => {
    await product.close();
    await rm(pgDataDir, { recursive: true, force: true });
  };
}
