// Data lives in PostgreSQL: it survives a restart, the loader skips an
// unchanged data file, reloads a changed one (upsert + delete what vanished,
// keeping live state like camera status), and the grid index follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pointOnFeature } from '@turf/turf';
import type { NewAreaData } from '../../data/types.ts';
import { DEFAULT_DATA_FILE } from '../src/config.ts';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedInReader, type Client } from './helpers/sign-in.ts';

type App = Awaited<ReturnType<typeof buildTestApp>>;
let dir: string;
let original: NewAreaData;
const databases: TestDatabase[] = [];
const apps: App[] = [];

/** A started app and a signed-in reader of it (the account lives in the database, so it survives restarts). */
async function start(url: string, dataFile?: string): Promise<App & { reader: Client }> {
  const app = await buildTestApp(url, { dataFile });
  apps.push(app);
  await app.ready();
  return Object.assign(app, { reader: await signedInReader(app) });
}

async function fresh() {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcc-restart-'));
  original = JSON.parse(await readFile(DEFAULT_DATA_FILE, 'utf8')) as NewAreaData;
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const db of databases) await db.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A changed data set: one grid (with everything in it) gone, one grid renamed, a new version. */
function changedData(version: string) {
  const removed = original.grids.find((g) => g.kind === 'enterprise')!;
  const renamed = original.grids.find((g) => g.code !== removed.code)!;
  const keep = <T extends { gridCode: string }>(list: T[]) => list.filter((x) => x.gridCode !== removed.code);
  const data: NewAreaData = {
    ...original,
    version,
    grids: original.grids.filter((g) => g !== removed).map((g) => (g === renamed ? { ...g, name: `${g.name}（改）` } : g)),
    stations: keep(original.stations),
    cameras: keep(original.cameras),
    sensors: keep(original.sensors),
    staff: keep(original.staff),
  };
  return { data, removed, renamed };
}

describe('restart and reload', () => {
  it('keeps the data across a restart and skips the unchanged file', async () => {
    const db = await fresh();
    const first = await start(db.url);
    const gridsBefore = (await first.reader.inject('/api/v1/grids')).body;
    const [{ loaded_at: loadedAt }] = await sql<{ loaded_at: Date }>(db.url, "SELECT loaded_at FROM dataset WHERE name = 'newarea'");
    // Live state that is not in the file: a camera reported faulty.
    const camera = original.cameras.find((c) => c.gridCode !== changedData('x').removed.code)!.code;
    await sql(db.url, "UPDATE cameras SET status = 'fault' WHERE code = $1", [camera]);
    await first.close();

    const second = await start(db.url);
    expect((await second.reader.inject('/api/v1/grids')).body).toBe(gridsBefore);
    expect((await second.reader.inject('/api/v1/health')).json()).toMatchObject({ dataVersion: original.version });
    const [{ loaded_at: loadedAgain }] = await sql<{ loaded_at: Date }>(db.url, "SELECT loaded_at FROM dataset WHERE name = 'newarea'");
    expect(loadedAgain.getTime()).toBe(loadedAt.getTime()); // the loader did nothing
    const cameras = (await second.reader.inject('/api/v1/cameras')).json() as { features: { id: string; properties: { status: string } }[] };
    expect(cameras.features.find((f) => f.id === camera)?.properties.status).toBe('fault');
    const schema = await sql<{ version: number }>(db.url, 'SELECT max(version) AS version FROM schemaversion');
    expect(Number(schema[0].version)).toBeGreaterThanOrEqual(1);
    await second.close();

    // A changed version reloads: the vanished grid and its points go, the rename shows, live state stays.
    const { data, removed, renamed } = changedData('test-changed-1');
    const file = join(dir, 'changed.json');
    await writeFile(file, JSON.stringify(data));
    const third = await start(db.url, file);
    expect((await third.reader.inject('/api/v1/health')).json()).toMatchObject({ dataVersion: 'test-changed-1' });
    const grids = (await third.reader.inject('/api/v1/grids')).json() as { features: { id: string; properties: { name: string } }[] };
    expect(grids.features).toHaveLength(original.grids.length - 1);
    expect(grids.features.find((f) => f.id === removed.code)).toBeUndefined();
    expect(grids.features.find((f) => f.id === renamed.code)?.properties.name).toBe(`${renamed.name}（改）`);
    const after = (await third.reader.inject('/api/v1/cameras')).json() as typeof cameras;
    expect(after.features).toHaveLength(data.cameras.length);
    expect(after.features.find((f) => f.id === camera)?.properties.status).toBe('fault');
    // The grid index was built from the new grids: the removed grid's interior is no grid's now.
    const [lon, lat] = pointOnFeature(removed.geometry).geometry.coordinates;
    const located = await third.reader.inject(`/api/v1/locate?lon=${lon}&lat=${lat}`);
    expect(located.statusCode === 404 || located.json().grid.code !== removed.code).toBe(true);
  });

  it('reloads a changed file while running: index, caches and ETags follow', async () => {
    const db = await fresh();
    const { data, removed } = changedData('test-changed-2');
    const file = join(dir, 'live.json');
    await writeFile(file, JSON.stringify(original));
    const app = await start(db.url, file);
    const [lon, lat] = pointOnFeature(removed.geometry).geometry.coordinates;
    const before = await app.reader.inject(`/api/v1/locate?lon=${lon}&lat=${lat}`);
    expect(before.json().grid.code).toBe(removed.code);
    const etag = (await app.reader.inject('/api/v1/grids')).headers.etag as string;

    await writeFile(file, JSON.stringify(data));
    const result = await app.dataset.reload();
    expect(result).toMatchObject({ loaded: true, version: 'test-changed-2', previousVersion: original.version });
    expect(app.dataset.version).toBe('test-changed-2');
    expect(app.spatial.size).toBe(original.grids.length - 1);
    const afterLocate = await app.reader.inject(`/api/v1/locate?lon=${lon}&lat=${lat}`);
    expect(afterLocate.statusCode === 404 || afterLocate.json().grid.code !== removed.code).toBe(true);
    const grids = await app.reader.inject({ url: '/api/v1/grids', headers: { 'if-none-match': etag } });
    expect(grids.statusCode).toBe(200);
    expect(grids.json().features).toHaveLength(original.grids.length - 1);

    // Same file again: nothing to do.
    expect(await app.dataset.reload()).toMatchObject({ loaded: false, version: 'test-changed-2' });
  });

  it('lets two servers start on one empty database at once (migrations and load are locked)', async () => {
    const db = await fresh();
    const [a, b] = await Promise.all([start(db.url), start(db.url)]);
    for (const app of [a, b]) {
      const towns = (await app.reader.inject('/api/v1/towns')).json() as { features: unknown[] };
      expect(towns.features).toHaveLength(5);
    }
    const loads = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM schemaversion WHERE version = 1');
    expect(Number(loads[0].n)).toBe(1);
  });

  it('refuses to start with no data file and an empty database, saying what to do', async () => {
    const db = await fresh();
    await expect(start(db.url, join(dir, 'missing.json'))).rejects.toThrow(/does not exist \(run `npm run generate`\)/);
  });

  it('rejects a malformed data file with the reason', async () => {
    const db = await fresh();
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ...original, version: '', grids: 'none' }));
    await expect(start(db.url, file)).rejects.toThrow(/"version" must be a non-empty string/);
  });
});
