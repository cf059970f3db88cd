// Union of polygons that share exact vertex coordinates (a clean tiling):
// walls two members share cancel out, what is left is chained into rings.
// Exact by construction, so unions built this way leave no slivers. Returns
// `clean: false` when the input is not such a tiling (a wall used twice in
// the same direction = overlap, or an open chain), so callers can fall back.
import type { Polygon, MultiPolygon, Position } from 'geojson';

export interface TopoUnion {
  geometry: Polygon | MultiPolygon;
  clean: boolean;
}

const key = (p: Position) => `${p[0]},${p[1]}`;

export function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

function ringContains(ring: Position[], [px, py]: Position): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** `rings`: the outer rings of the members (closed; any orientation). */
export function topoUnion(rings: Position[][]): TopoUnion {
  let clean = true;
  const edges = new Map<string, [Position, Position]>();
  for (const raw of rings) {
    const ring = signedArea(raw) < 0 ? [...raw].reverse() : raw;
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i], b = ring[i + 1];
      const ka = key(a), kb = key(b);
      if (ka === kb) continue;
      const back = `${kb}|${ka}`;
      if (edges.has(back)) edges.delete(back);
      else if (edges.has(`${ka}|${kb}`)) clean = false;
      else edges.set(`${ka}|${kb}`, [a, b]);
    }
  }
  const outgoing = new Map<string, [Position, Position][]>();
  for (const e of edges.values()) {
    const k = key(e[0]);
    const list = outgoing.get(k);
    if (list) list.push(e);
    else outgoing.set(k, [e]);
  }
  const used = new Set<[Position, Position]>();
  const closed: Position[][] = [];
  for (const start of edges.values()) {
    if (used.has(start)) continue;
    const ring: Position[] = [start[0]];
    let e = start;
    for (;;) {
      used.add(e);
      ring.push(e[1]);
      if (key(e[1]) === key(start[0])) break;
      const options = (outgoing.get(key(e[1])) ?? []).filter((o) => !used.has(o));
      if (options.length === 0) { clean = false; break; }
      // At a pinch vertex keep to the same lobe: the first wall clockwise from the way back.
      const [bx, by] = [e[0][0] - e[1][0], e[0][1] - e[1][1]];
      const back = Math.atan2(by, bx);
      let best = options[0], bestTurn = Infinity;
      for (const o of options) {
        const turn = (back - Math.atan2(o[1][1] - o[0][1], o[1][0] - o[0][0]) + 4 * Math.PI) % (2 * Math.PI) || 2 * Math.PI;
        if (turn < bestTurn) { bestTurn = turn; best = o; }
      }
      e = best;
    }
    if (ring.length >= 4 && key(ring[0]) === key(ring[ring.length - 1])) closed.push(ring);
    else clean = false;
  }
  const outers = closed.filter((r) => signedArea(r) > 0);
  const holes = closed.filter((r) => signedArea(r) <= 0);
  const polygons: Position[][][] = outers.map((o) => [o]);
  for (const h of holes) {
    const probe = [(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2];
    let owner = -1, ownerArea = Infinity;
    outers.forEach((o, i) => {
      const a = signedArea(o);
      if (a < ownerArea && ringContains(o, probe)) { owner = i; ownerArea = a; }
    });
    if (owner >= 0) polygons[owner].push(h);
    else clean = false;
  }
  if (polygons.length === 0) return { geometry: { type: 'Polygon', coordinates: [] }, clean: false };
  const geometry: Polygon | MultiPolygon =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  return { geometry, clean };
}
