// The grid index every point lookup uses (the locate route today, incoming
// reports later), built from the grids in the database at start and again
// whenever the data set changes.
import fp from 'fastify-plugin';
import { GridIndex } from '../domain/locate.ts';
import type { IndexedGrid } from '../db/repositories/index.ts';
import type { LocateResult } from '../../../shared/schemas/geo.ts';

export interface Spatial {
  /** Town, community and grid containing the point; undefined outside every grid. */
  locate(lon: number, lat: number): LocateResult | undefined;
  /** The grid itself, for callers that need more than the names. */
  gridAt(lon: number, lat: number): IndexedGrid | undefined;
  readonly size: number;
  rebuild(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    spatial: Spatial;
  }
}

export default fp(
  async (app) => {
    let index = new GridIndex<IndexedGrid>([]);
    const rebuild = async () => {
      index = new GridIndex(await app.repos.geo.gridsForIndex());
      app.log.info({ grids: index.size }, 'grid index built');
    };
    await rebuild();
    app.dataset.onChange(rebuild);

    app.decorate('spatial', {
      gridAt: (lon, lat) => index.locate(lon, lat),
      locate(lon, lat) {
        const grid = index.locate(lon, lat);
        if (!grid) return undefined;
        return {
          town: { code: grid.townCode, name: grid.townName },
          community: { code: grid.communityCode, name: grid.communityName },
          grid: { code: grid.code, name: grid.name, kind: grid.kind },
        };
      },
      get size() {
        return index.size;
      },
      rebuild,
    } satisfies Spatial);
  },
  { name: 'spatial', dependencies: ['repositories', 'dataset'] },
);
