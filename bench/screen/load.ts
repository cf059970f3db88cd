// What the screen benchmark feeds the product, all through its public API so
// every change reaches the screens as a real push (change log + Socket.IO):
// - seed: open incidents filed as reports (POST /reports), many at a time;
// - live: a steady mix per second of new reports, acceptances (POST
//   /incidents/{id}/accept by the owning seat), closures (.../close) and
//   camera status flips (POST /devices/heartbeats). Creations and closures
//   balance, so the open count (what the map holds) stays where the seed put it.
// Levels 2 and 3 only: a level-1 report flies the map, which at this rate
// would fly it all the time; real level-1 events come every few minutes.
import type { NewAreaData } from '../../data/types.ts';
import type { Incident, ReportBody } from '../../shared/schemas/incident.ts';
import type { ActionError, ActionResult } from '../../shared/schemas/dispatch.ts';
import type { CameraCollection } from '../../shared/schemas/geo.ts';
import type { DeviceStatus } from '../../shared/schemas/device.ts';
import { ReportMix } from '../../server/src/domain/feed-mix.ts';
import { PlacePicker } from '../../server/src/domain/feed-place.ts';
import { seededRng, type Rng } from '../../server/src/domain/feed-random.ts';
import type { Api, Session } from './api.ts';

/** Updates a second, by kind (50 in all, as the issue asks). */
export const MIX_PER_SECOND = { create: 10, accept: 10, close: 10, camera: 20 } as const;
type Kind = keyof typeof MIX_PER_SECOND;
const TICK_MS = 100;
/** Requests allowed in flight before a tick's share is skipped (counted): a slow server must not pile up work. */
export const MAX_IN_FLIGHT = 300;
const SEED_CONCURRENCY = 32;
const POSTERS = 8;

interface Tracked {
  id: string;
  version: number;
  tier: Incident['tier'];
  townCode: string;
  communityCode: string;
}

export interface KindCount { ok: number; failed: number; skipped: number }

/** The demo account that sits at the seat owning an item now. */
function seatAccount(i: Tracked): string {
  if (i.tier === 'district') return 'duty.district';
  if (i.tier === 'town') return `duty.${i.townCode}`;
  return `liaison.${i.communityCode}`;
}

const track = (i: Incident): Tracked => ({ id: i.id, version: i.version, tier: i.tier, townCode: i.townCode, communityCode: i.communityCode });

export class ScreenLoad {
  private readonly rng: Rng = seededRng('bench-screen');
  private readonly mix = new ReportMix({ level1Share: 0 });
  private readonly places: PlacePicker;
  /** Open and not yet accepted, oldest first. */
  private readonly reported: Tracked[] = [];
  /** Accepted, waiting to be closed, oldest first. */
  private readonly accepted: Tracked[] = [];
  private readonly cameras = new Map<string, DeviceStatus>();
  private cameraCodes: string[] = [];
  private posters: Session[] = [];
  private turn = 0;
  private inFlight = 0;
  private readonly pending = new Set<Promise<unknown>>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly owed: Record<Kind, number> = { create: 0, accept: 0, close: 0, camera: 0 };
  readonly counts: Record<Kind, KindCount> = {
    create: { ok: 0, failed: 0, skipped: 0 }, accept: { ok: 0, failed: 0, skipped: 0 },
    close: { ok: 0, failed: 0, skipped: 0 }, camera: { ok: 0, failed: 0, skipped: 0 },
  };
  /** Why requests failed: "kind status code" -> count (a 409 is someone's newer version, not a fault). */
  readonly failures = new Map<string, number>();
  /** Camera status transitions the server reported for our heartbeats. */
  cameraTransitions = 0;

  constructor(private readonly api: Api, data: NewAreaData) {
    this.places = new PlacePicker(data.grids);
  }

  get cameraCount(): number {
    return this.cameraCodes.length;
  }

  /** Open incidents the benchmark holds (what each screen's map must show). */
  get open(): number {
    return this.reported.length + this.accepted.length;
  }

  async prepare(): Promise<void> {
    this.posters = await Promise.all(Array.from({ length: POSTERS }, () => this.api.session('duty.district')));
    const cams = await this.api.request<CameraCollection>('GET', 'api/v1/cameras', this.posters[0]);
    if (cams.status !== 200) throw new Error(`GET /cameras: ${cams.status}`);
    for (const f of cams.body.features) this.cameras.set(f.id, f.properties.status);
    this.cameraCodes = [...this.cameras.keys()];
  }

  /** Files `count` open incidents, SEED_CONCURRENCY at a time; signs in the seats meanwhile. */
  async seed(count: number, progress: (done: number) => void): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        const incident = await this.fileReport();
        if (!incident) throw new Error('a seed report was refused');
        this.reported.push(track(incident));
        if (this.reported.length % 1000 === 0) progress(this.reported.length);
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    // Every seat that owns a seeded item, signed in before the clock starts.
    const seats = [...new Set(this.reported.map(seatAccount))];
    for (let i = 0; i < seats.length; i += 4) await Promise.all(seats.slice(i, i + 4).map((s) => this.api.session(s)));
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.pending]);
  }

  private tick(): void {
    for (const kind of Object.keys(MIX_PER_SECOND) as Kind[]) {
      this.owed[kind] += (MIX_PER_SECOND[kind] * TICK_MS) / 1000;
      const n = Math.floor(this.owed[kind]);
      this.owed[kind] -= n;
      if (n === 0) continue;
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.counts[kind].skipped += n;
        continue;
      }
      if (kind === 'camera') this.run(kind, this.flipCameras(n));
      else for (let i = 0; i < n; i++) this.run(kind, this.step(kind));
    }
  }

  /** `work` resolves true (done), false (refused or failed) or null (nothing to do yet: counted as skipped). */
  private run(kind: Kind, work: Promise<boolean | null>): void {
    this.inFlight++;
    const p = work.then(
      (ok) => { if (ok === null) this.counts[kind].skipped++; else if (ok) this.counts[kind].ok++; else this.counts[kind].failed++; },
      () => { this.counts[kind].failed++; },
    ).finally(() => {
      this.inFlight--;
      this.pending.delete(p);
    });
    this.pending.add(p);
  }

  private async step(kind: 'create' | 'accept' | 'close'): Promise<boolean | null> {
    if (kind === 'create') {
      const incident = await this.fileReport();
      if (incident) this.reported.push(track(incident));
      return incident !== null;
    }
    const queue = kind === 'accept' ? this.reported : this.accepted;
    const item = queue.shift();
    if (!item) return null;
    const session = await this.api.session(seatAccount(item));
    const body = kind === 'accept' ? { expectedVersion: item.version } : { expectedVersion: item.version, reason: '压测结案：已现场核实' };
    const res = await this.api.request<ActionResult & ActionError>('POST', `api/v1/incidents/${item.id}/${kind}`, session, body);
    if (res.status !== 200) {
      this.failed(kind, res.status, res.body);
      // Still waiting for this step: back in its queue with the version the server has now.
      const now = res.body?.incident;
      const waitsFor = kind === 'accept' ? 'reported' : 'accepted';
      if (!now) queue.push(item);
      else if (now.status === waitsFor) queue.push(track(now));
      return false;
    }
    if (kind === 'accept') this.accepted.push(track(res.body.incident));
    return true;
  }

  private failed(kind: string, status: number, body: unknown): void {
    const code = (body as { code?: string; error?: string } | null)?.code ?? (body as { error?: string } | null)?.error ?? '';
    const key = `${kind} ${status} ${code}`.trim();
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }

  private async fileReport(): Promise<Incident | null> {
    const item = this.mix.item(this.rng);
    const { lon, lat } = this.places.place(this.rng, item.domain);
    const body: ReportBody = {
      id: crypto.randomUUID(), itemCode: item.code, lon, lat,
      description: `${item.name}（大屏压测）`, channel: 'hotline_12345', reporter: { name: '压测', phone: '19900000000' },
    };
    const session = this.posters[this.turn++ % this.posters.length];
    const res = await this.api.request<Incident>('POST', 'api/v1/reports', session, body);
    if (res.status === 201) return res.body;
    this.failed('create', res.status, res.body);
    return null;
  }

  private async flipCameras(n: number): Promise<boolean> {
    const at = new Date().toISOString();
    const codes = new Set<string>();
    while (codes.size < n) codes.add(this.cameraCodes[Math.floor(this.rng() * this.cameraCodes.length)]);
    const heartbeats = [...codes].map((code) => {
      const now = this.cameras.get(code);
      const status: DeviceStatus = now === 'online' ? (this.rng() < 0.5 ? 'offline' : 'fault') : 'online';
      this.cameras.set(code, status);
      return { code, status, at };
    });
    const res = await this.api.request<{ transitions?: number }>('POST', 'api/v1/devices/heartbeats', this.posters[this.turn++ % this.posters.length], { heartbeats });
    if (res.status !== 200) {
      this.failed('camera', res.status, res.body);
      return false;
    }
    this.cameraTransitions += res.body.transitions ?? 0;
    return true;
  }
}
