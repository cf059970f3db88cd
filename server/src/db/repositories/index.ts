// All repositories bound to one pool: what the `repositories` plugin decorates.
import type pg from 'pg';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Catalogue } from '../../../../shared/schemas/catalogue.ts';
import type { NewAreaData } from '../../../../data/types.ts';
import { loadCatalogue, readCatalogue } from './catalogue-repository.ts';
import { loadNewArea, NEWAREA_DATASET, storedVersion } from './dataset-repository.ts';
import * as geo from './geo-repository.ts';
import { ping } from './health-repository.ts';
import { createSecurityRepositories } from './security-repositories.ts';
import { bindIntegrationKeys } from './integration-keys-repository.ts';
import { bindIntakeMessages } from './intake-messages-repository.ts';
import * as incidents from './incidents-repository.ts';
import { listTimeline } from './timeline-repository.ts';
import type { Queryable } from './db.ts';
import { appendChange, changesAfter, changesInScope, logBounds, pruneChanges, townOfCommunity } from './changes-repository.ts';

export function createRepositories(pool: pg.Pool) {
  return {
    dataset: {
      version: () => storedVersion(pool, NEWAREA_DATASET),
      load: (data: NewAreaData) => loadNewArea(pool, data),
    },
    catalogue: {
      load: (catalogue: Catalogue) => loadCatalogue(pool, catalogue),
      read: () => readCatalogue(pool),
    },
    geo: {
      towns: () => geo.listTowns(pool),
      communities: (filter?: geo.AreaFilter) => geo.listCommunities(pool, filter),
      grids: (filter?: geo.AreaFilter) => geo.listGrids(pool, filter),
      stations: (filter?: geo.AreaFilter) => geo.listStations(pool, filter),
      cameras: (filter?: geo.AreaFilter) => geo.listCameras(pool, filter),
      sensors: (filter?: geo.AreaFilter) => geo.listSensors(pool, filter),
      basemap: () => geo.listBasemap(pool),
      gridsForIndex: () => geo.listGridsForIndex(pool),
    },
    health: { ping: () => ping(pool) },
    // Accounts, sessions, kiosk tokens, audit, staff contacts, units (issue 3).
    ...createSecurityRepositories(pool),
    // Machine clients' keys (migration 005).
    integrationKeys: bindIntegrationKeys(pool),
    // Chat-group messages and the duty officer's queue (migration 005).
    intakeMessages: bindIntakeMessages(pool),
    // The change log (issue 4): append() takes the writer's transaction client.
    changes: {
      append: appendChange,
      after: (since: number, limit: number) => changesAfter(pool, since, limit),
      inScope: (scope: Scope, since: number, limit: number, own?: { reporterAccountId: number }) => changesInScope(pool, scope, since, limit, own),
      bounds: () => logBounds(pool),
      prune: pruneChanges,
      townOfCommunity: (code: string) => townOfCommunity(pool, code),
    },
    // Incidents and their timelines (issue 4): writes take the transaction client.
    incidents: {
      insert: incidents.insertIncident,
      find: incidents.findIncident,
      update: incidents.updateIncident,
      findInScope: (id: string, scope: Scope, own?: incidents.OwnFilter) => incidents.findIncidentInScope(pool, id, scope, own),
      list: (scope: Scope, filter: incidents.IncidentFilter, own?: incidents.OwnFilter) => incidents.listIncidents(pool, scope, filter, own),
      count: (db: Queryable = pool) => incidents.countIncidents(db),
    },
    timeline: {
      list: (incidentId: string) => listTimeline(pool, incidentId),
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type { AreaFilter, IndexedGrid } from './geo-repository.ts';
