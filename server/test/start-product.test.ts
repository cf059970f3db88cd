// The product as `npm start` runs it: embedded PostgreSQL in its own data
// dir (as root here, so through the `postgres` system user), the app on a real
// port, the front-end build, and a clean stop. Also main.ts as a real process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startProduct } from '../src/start.ts';
import { ensureNativeSymlinks, freePort } from '../src/db/embedded.ts';
import { ROOT_DIR } from '../src/config.ts';
import { signInOverHttp } from './helpers/sign-in.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcc-product-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startProduct', () => {
  it('starts PostgreSQL, the API and the front end on one free port, and stops them cleanly', async () => {
    const pgDataDir = join(dir, 'pgdata');
    const clientDir = join(dir, 'client');
    await mkdir(join(clientDir, 'assets'), { recursive: true });
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>大屏</title><div id="app"></div>');
    await writeFile(join(clientDir, 'assets', 'app-1234.js'), 'console.log(1)');

    const product = await startProduct({ port: 0, host: '127.0.0.1', pgDataDir, clientDir });
    const pid = postmasterPid(pgDataDir)!;
    let closed = false;
    try {
      expect(product.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(alive(pid)).toBe(true);

      const health = await fetch(`${product.url}api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'up' });

      const page = await fetch(product.url);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('大屏');
      // A client-side route falls back to the app; a missing asset or API route does not.
      const route = await fetch(`${product.url}console/dispatch`);
      expect(route.status).toBe(200);
      expect(await route.text()).toContain('id="app"');
      const asset = await fetch(`${product.url}assets/app-1234.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${product.url}assets/missing-1.js`)).status).toBe(404);
      const api404 = await fetch(`${product.url}api/v1/missing`);
      expect(api404.status).toBe(404);
      expect(await api404.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });

      await product.close();
      closed = true;
      expect(alive(pid)).toBe(false);
      expect(postmasterPid(pgDataDir)).toBeUndefined();
      await expect(fetch(`${product.url}api/v1/health`)).rejects.toThrow();
      await product.close(); // idempotent
    } finally {
      if (!closed) await product.close();
    }
  });

  it('starts again on the same data dir despite a stale postmaster.pid, keeping the data', async () => {
    const pgDataDir = join(dir, 'pgdata');
    // As after a crash whose PID now belongs to another program (this test process).
    await writeFile(join(pgDataDir, 'postmaster.pid'), `${process.pid}\n${pgDataDir}\n0\n5432\n\n127.0.0.1\n`);
    const product = await startProduct({ port: 0, host: '127.0.0.1', pgDataDir, clientDir: false });
    try {
      const { app } = product;
      const cookie = await signInOverHttp(app, product.url);
      const towns = await fetch(`${product.url}api/v1/towns`, { headers: { cookie } });
      expect(((await towns.json()) as { features: unknown[] }).features).toHaveLength(5);
      expect(app.dataset.version).toMatch(/\S/);
    } finally {
      await product.close();
    }
  });

  it('main.ts starts, prints the URL, and exits 0 on SIGTERM with PostgreSQL stopped', async () => {
    const pgDataDir = join(dir, 'main-pgdata');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PG_DATA_DIR: pgDataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        const timer = setInterval(() => {
          const match = /Console:\s+(http:\/\/\S+)/.exec(output);
          if (match) {
            clearInterval(timer);
            done(match[1]);
          }
        }, 100);
        exited.then(() => {
          clearInterval(timer);
          fail(new Error(`main.ts exited early:\n${output}`));
        });
      });
      expect((await fetch(`${url}api/v1/health`)).status).toBe(200);
      const pid = postmasterPid(pgDataDir)!;
      expect(alive(pid)).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('stopped cleanly');
      expect(alive(pid)).toBe(false);
      expect(postmasterPid(pgDataDir)).toBeUndefined();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('main.ts stops cleanly on a SIGTERM sent the moment the URL is printed (the demo banner still being made)', async () => {
    const pgDataDir = join(dir, 'main-early-pgdata');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PG_DATA_DIR: pgDataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', DEMO_FEED: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let signalled = false;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const watch = (chunk: Buffer) => {
      output += chunk;
      if (!signalled && /Console:\s+http/.test(output)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      expect(await exited, output).toBe(0);
      expect(signalled).toBe(true);
      expect(output).toContain('stopped cleanly');
      expect(postmasterPid(pgDataDir)).toBeUndefined();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('recovers after the server was killed (kill -9): stops the orphaned PostgreSQL and starts afresh', async () => {
    const pgDataDir = join(dir, 'crash-pgdata');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PG_DATA_DIR: pgDataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const until = Date.now() + 30_000;
    while (!output.includes('Big screen') && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('Big screen');
    const orphan = postmasterPid(pgDataDir)!;
    child.kill('SIGKILL');
    await exited;
    expect(alive(orphan)).toBe(true); // nobody stopped it

    const product = await startProduct({ port: 0, host: '127.0.0.1', pgDataDir, clientDir: false });
    try {
      expect(alive(orphan)).toBe(false);
      expect(postmasterPid(pgDataDir)).not.toBe(orphan);
      expect((await fetch(`${product.url}api/v1/health`)).status).toBe(200);
    } finally {
      await product.close();
    }
  });

  it('fails with a clear message on a bad PORT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(output).toContain('Configuration error: PORT must be a port number 0-65535, got "eighty"');
  });
});

describe('embedded PostgreSQL helpers', () => {
  it('re-creates the binaries package symlinks that a skipped postinstall left out', async () => {
    const pkg = join(dir, 'fake-binaries');
    await mkdir(join(pkg, 'native', 'lib'), { recursive: true });
    await writeFile(join(pkg, 'native', 'lib', 'libpq.so.5.18'), 'binary');
    await writeFile(join(pkg, 'native', 'pg-symlinks.json'), JSON.stringify([
      { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' },
      { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so' },
    ]));
    expect(await ensureNativeSymlinks(pkg)).toBe(2);
    expect(await readlink(join(pkg, 'native', 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect(readFileSync(join(pkg, 'native', 'lib', 'libpq.so'), 'utf8')).toBe('binary');
    expect(await ensureNativeSymlinks(pkg)).toBe(0);
    // The real package is complete (npm ran its postinstall, or we fixed it).
    expect(await ensureNativeSymlinks()).toBe(0);
  });

  it('takes the preferred port when free, another when it is taken', async () => {
    const port = await freePort(0);
    expect(await freePort(port)).toBe(port);
    const server = createServer();
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    try {
      const other = await freePort(port);
      expect(other).not.toBe(port);
      expect(other).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
