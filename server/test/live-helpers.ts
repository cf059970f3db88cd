// Shared by the live-* tests: points inside known grids, report bodies, and
// typed socket.io-client connections to a running app.
import { randomUUID } from 'node:crypto';
import { pointOnFeature } from '@turf/turf';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime.ts';
import type { ReportBody } from '../../shared/schemas/incident.ts';
import type { App } from '../src/app.ts';

export interface Place {
  lon: number;
  lat: number;
  gridCode: string;
  communityCode: string;
  townCode: string;
}

/** One point inside every grid (the spatial index confirms it), grouped by nothing: filter as needed. */
export async function places(app: App): Promise<Place[]> {
  const grids = await app.repos.geo.grids();
  const out: Place[] = [];
  for (const g of grids) {
    const [lon, lat] = pointOnFeature(g.geometry as Parameters<typeof pointOnFeature>[0]).geometry.coordinates;
    const found = app.spatial.gridAt(lon, lat);
    if (found?.code === g.properties.code) out.push({ lon, lat, gridCode: found.code, communityCode: found.communityCode, townCode: found.townCode });
  }
  return out;
}

/** A valid report at `place` (a level-3 item unless told). */
export function report(place: Pick<Place, 'lon' | 'lat'>, over: Partial<ReportBody> = {}): ReportBody {
  return { id: randomUUID(), itemCode: 'ZF-09', lon: place.lon, lat: place.lat, description: '店外经营占道', ...over };
}

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openSocket(url: string, cookie: string): ScreenSocket {
  return connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
}

export function connected(socket: ScreenSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

export function baseUrl(app: App): string {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
