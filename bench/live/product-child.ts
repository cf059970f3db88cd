// The product as `npm start` runs it (server/src/main.ts, embedded
// PostgreSQL), in a child process of its own so its CPU can be read from
// /proc, on a throwaway data directory, with the demo accounts to sign in as.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_PASSWORD = 'Demo@2026!';

export interface RunningProductChild {
  url: string;
  /** Where its data lives (pgdata inside). */
  dir: string;
  pid: number;
  /** The embedded PostgreSQL's throwaway data directory (for the diagnostic profile). */
  pgDataDir: string;
  /** Stops the product; its data directory is removed unless `keep` (a profiling run restarts on it). */
  stop(keep?: boolean): Promise<void>;
}

export interface ProductChildOptions {
  /** Start on this directory (a kept one) instead of a new throwaway one. */
  dir?: string;
  /** Node flags for the product's process (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export async function startProductChild(extraEnv: Record<string, string> = {}, options: ProductChildOptions = {}): Promise<RunningProductChild> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gcc-bench-live-'));
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0', HOST: '127.0.0.1', PG_DATA_DIR: join(dir, 'pgdata'), DATABASE_URL: '',
      DEMO: '1', DEMO_PASSWORD, DEMO_FEED: 'off', LOG_LEVEL: 'warn',
      // As `npm start` runs it (package.json): libuv's pool read before main.ts runs.
      UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '8',
      // The load comes from one address and a few accounts: lift the per-address and per-account limits.
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000', REPORT_RATE_LIMIT_PER_MINUTE: '100000000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Big screen:\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the product exited before listening:\n${output}`));
      }
    }, 100);
  });
  return {
    url,
    dir,
    pid: child.pid!,
    pgDataDir: join(dir, 'pgdata'),
    async stop(keep = false) {
      child.kill('SIGTERM');
      await exited;
      if (!keep) rmSync(dir, { recursive: true, force: true });
      // Anything the server logged while under load (warnings, errors) is worth a look.
      const problems = output.split('\n').filter((l) => /"level":(40|50|60)/.test(l));
      if (problems.length) console.log(`server logged ${problems.length} warnings/errors; first: ${problems[0].slice(0, 300)}`);
    },
  };
}

/** Signs in over HTTP: the Cookie header and CSRF token a browser would hold. */
export async function signIn(url: string, username: string, password = DEMO_PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(new URL('api/v1/auth/login', url), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: body.csrfToken };
}
