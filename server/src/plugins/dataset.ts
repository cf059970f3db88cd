// Brings the database up to the data file and the catalogue at start: loads
// them when their version differs from the stored one, else leaves them be.
// Others subscribe to onChange to rebuild what they derive (grid index, caches).
import fp from 'fastify-plugin';
import { CATALOGUE } from '../../../shared/catalogue.ts';
import { readDataFile } from '../data-file.ts';
import type { LoadResult } from '../db/repositories/dataset-repository.ts';

export interface Dataset {
  /** Version of the data set in the database. */
  readonly version: string;
  readonly dataFile: string;
  /** Re-reads the data file and loads it if its version changed. */
  reload(): Promise<LoadResult>;
  onChange(listener: (version: string) => Promise<void> | void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    dataset: Dataset;
  }
}

export interface DatasetPluginOptions {
  dataFile: string;
}

export default fp<DatasetPluginOptions>(
  async (app, { dataFile }) => {
    const catalogue = await app.repos.catalogue.load(CATALOGUE);
    if (catalogue.loaded) app.log.info({ version: catalogue.version, items: CATALOGUE.items.length }, 'catalogue loaded');

    let version = '';
    const listeners: ((version: string) => Promise<void> | void)[] = [];

    const load = async (): Promise<LoadResult> => {
      const data = await readDataFile(dataFile);
      if (!data) {
        const stored = await app.repos.dataset.version();
        if (!stored) throw new Error(`no data to serve: ${dataFile} does not exist (run \`npm run generate\`)`);
        app.log.warn({ dataFile, version: stored }, 'data file missing; serving the data already in the database');
        return { loaded: false, version: stored, previousVersion: stored };
      }
      const result = await app.repos.dataset.load(data);
      app.log.info({ dataFile, version: result.version, previousVersion: result.previousVersion },
        result.loaded ? 'data set loaded' : 'data set unchanged; load skipped');
      return result;
    };

    const reload = async () => {
      const result = await load();
      const changed = result.version !== version;
      version = result.version;
      if (changed) for (const listener of listeners) await listener(version);
      return result;
    };

    version = (await load()).version;
    app.decorate('dataset', {
      get version() {
        return version;
      },
      dataFile,
      reload,
      onChange: (listener) => {
        listeners.push(listener);
      },
    } satisfies Dataset);
  },
  { name: 'dataset', dependencies: ['repositories'] },
);
