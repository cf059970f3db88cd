// Starts the real product once for all browser tests: the client build,
// the Fastify server and an embedded PostgreSQL in a throw-away directory,
// in demo mode like `npm start` (the demo accounts, the demo password, a
// district kiosk token), plus one account that must change its password.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startProduct } from '../server/src/start.ts';
import { ensureClientBuilt } from './build-client.ts';
import { createAccount, signInOverHttp, TEST_PASSWORD } from '../server/test/helpers/sign-in.ts';

/** The demo password the browser tests sign in with (demo mode, as `npm start`). */
const DEMO_PASSWORD = 'Demo@2026!';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** Cookie header of a signed-in district reader, for the tests' own API reads from Node (browsers sign in through the form). */
    sessionCookie: string;
    demoPassword: string;
    /** The demo district kiosk token, as the start-up banner prints it. */
    kioskToken: string;
    /** An account that must change its password at first sign-in. */
    newcomer: { username: string; password: string };
    /**
     * One account per administrator role with a known TOTP secret (the demo ones enrol a secret at
     * first sign-in that only the test which enrolled them knows): for admin.e2e.test.ts.
     */
    admins: Record<'sysadmin' | 'secadmin' | 'auditor', { username: string; password: string; totpSecret: string }>;
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
  const product = await startProduct({
    port: 0, host: '127.0.0.1', pgDataDir, pgPort: await freePort(),
    // Every test signs in through the form from one address: the per-address sign-in limit would trip.
    security: { demo: true, demoPassword: DEMO_PASSWORD, loginRateLimitPerMinute: 10_000 },
  });
  project.provide('baseUrl', product.url);
  project.provide('sessionCookie', await signInOverHttp(product.app, product.url, 'e2e.reader'));
  project.provide('demoPassword', DEMO_PASSWORD);
  project.provide('kioskToken', (await product.app.accounts.issueDemoKioskToken())!);
  await createAccount(product.app, { username: 'e2e.newcomer', role: 'district_duty', mustChangePassword: true });
  project.provide('newcomer', { username: 'e2e.newcomer', password: TEST_PASSWORD });
  const admin = async (role: 'sysadmin' | 'secadmin' | 'auditor') => {
    const made = await createAccount(product.app, { username: `e2e.${role}`, role });
    return { username: made.username, password: made.password, totpSecret: made.totpSecret! };
  };
  project.provide('admins', { sysadmin: await admin('sysadmin'), secadmin: await admin('secadmin'), auditor: await admin('auditor') });
  return async () => {
    await product.close();
    await rm(pgDataDir, { recursive: true, force: true });
  };
}
