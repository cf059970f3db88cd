// The screen's incidents: keyed by id, each replaced only by a newer version
// (its own seq), capped so weeks of reports cannot grow memory. Also decides
// which incidents are on the map (the open ones) and turns a set of changed
// ids into one GeoJSON diff for the map, so the map never rebuilds its data.
import type { Incident } from '@shared/schemas/incident.ts';
import { OPEN_STATUSES } from '../../../shared/workflow.ts';

/** Beyond this the least recently changed incidents are dropped (the benchmark drives 10,000 live ones). */
export const MAX_INCIDENTS = 20_000;
/** The property MapLibre promotes to the feature id (a UUID is not a number, but keep the map's key rule). */
export const INCIDENT_KEY = 'ikey';

export function incidentKey(id: string): string {
  return `i:${id}`;
}

const OPEN = new Set<string>(OPEN_STATUSES);

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return OPEN.has(incident.status);
}

export type UpsertResult = { result: 'added' | 'updated' | 'stale'; evicted: string[] };

export class IncidentBook {
  // Map order = least recently changed first: eviction takes from the front.
  private readonly byId = new Map<string, Incident>();

  constructor(private readonly cap = MAX_INCIDENTS) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<Incident> {
    return this.byId.values();
  }

  /** Applies a pushed or fetched version; an older or equal seq than the one held is ignored. */
  upsert(incident: Incident): UpsertResult {
    const held = this.byId.get(incident.id);
    if (held && held.seq >= incident.seq) return { result: 'stale', evicted: [] };
    this.byId.delete(incident.id);
    this.byId.set(incident.id, incident);
    return { result: held ? 'updated' : 'added', evicted: this.trim() };
  }

  /** A snapshot replaces everything. */
  replaceAll(incidents: readonly Incident[]): void {
    this.byId.clear();
    const ordered = [...incidents].sort((a, b) => a.seq - b.seq);
    for (const i of ordered) this.byId.set(i.id, i);
    this.trim();
  }

  private trim(): string[] {
    const evicted: string[] = [];
    while (this.byId.size > this.cap) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }
}

export interface IncidentFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    ikey: string;
    id: string;
    level: number;
    domain: string;
    status: string;
    overdue: boolean;
    itemCode: string;
  };
}

export function incidentFeature(i: Incident): IncidentFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
    properties: { ikey: incidentKey(i.id), id: i.id, level: i.level, domain: i.domain, status: i.status, overdue: i.overdue, itemCode: i.itemCode },
  };
}

/** The same shape as MapLibre's GeoJSONSourceDiff (kept here so this stays free of maplibre). */
export interface MapDiff {
  add: IncidentFeature[];
  update: { id: string; newGeometry: IncidentFeature['geometry']; addOrUpdateProperties: { key: string; value: unknown }[] }[];
  remove: string[];
}

/** Tracks which incidents the map source holds and diffs changed ids against it. */
export class MapMirror {
  private readonly onMap = new Set<string>();

  get size(): number {
    return this.onMap.size;
  }

  has(id: string): boolean {
    return this.onMap.has(id);
  }

  /** All open incidents, for a fresh source (snapshot or first draw). */
  reset(book: IncidentBook): IncidentFeature[] {
    this.onMap.clear();
    const features: IncidentFeature[] = [];
    for (const i of book.values()) {
      if (!isOpen(i)) continue;
      this.onMap.add(i.id);
      features.push(incidentFeature(i));
    }
    return features;
  }

  diff(changed: Iterable<string>, book: IncidentBook): MapDiff {
    const out: MapDiff = { add: [], update: [], remove: [] };
    for (const id of changed) {
      const incident = book.get(id);
      const shown = this.onMap.has(id);
      const show = incident !== undefined && isOpen(incident);
      if (show && !shown) {
        out.add.push(incidentFeature(incident));
        this.onMap.add(id);
      } else if (show && shown) {
        const f = incidentFeature(incident);
        out.update.push({
          id: incidentKey(id),
          newGeometry: f.geometry,
          addOrUpdateProperties: Object.entries(f.properties).map(([key, value]) => ({ key, value })),
        });
      } else if (!show && shown) {
        out.remove.push(incidentKey(id));
        this.onMap.delete(id);
      }
    }
    return out;
  }
}

export function isEmptyDiff(d: MapDiff): boolean {
  return d.add.length === 0 && d.update.length === 0 && d.remove.length === 0;
}
