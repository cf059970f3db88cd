// The demo feed's cameras and fire sensors: each device heartbeats on its own
// phase of a fixed interval (so a 30 s cycle arrives as an even stream, not
// one burst), and now and then one camera or a whole site (a grid's cameras)
// goes silent for minutes, a camera reports a fault code, or a fire sensor
// raises an alarm for a few beats (one episode). Pure: the runner turns the
// beats into HTTP batches.
import { between, poisson, type Rng } from './feed-random.ts';

export interface FleetDevice {
  code: string;
  gridCode: string;
}

export type BeatStatus = 'online' | 'fault' | 'alarm';

export interface DeviceBeat {
  kind: 'camera' | 'sensor';
  code: string;
  status: BeatStatus;
  faultCode?: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/**
 * Fault codes a video platform reports. Made up for the demo (each vendor has
 * its own); short and upper-case so they read well in a list.
 */
export const CAMERA_FAULT_CODES = ['VIDEO_LOSS', 'STORAGE_ERROR', 'TAMPERING', 'IMAGE_BLUR', 'PTZ_STUCK'] as const;

export interface FleetOptions {
  /** Cameras' heartbeat interval (30 s in the issue). */
  cameraIntervalMs: number;
  /** Fire sensors beat less often. */
  sensorIntervalMs: number;
  /** Fleet-wide events per hour of wall time, and how long they last. */
  cameraOutagesPerHour: number;
  siteOutagesPerHour: number;
  faultsPerHour: number;
  fireAlarmsPerHour: number;
  outageMs: [number, number];
  siteOutageMs: [number, number];
  faultMs: [number, number];
  alarmMs: [number, number];
}

/**
 * Demo defaults (plausible, not from the articles): a camera drops out every
 * ~5 minutes somewhere, a whole site about twice an hour, a fault code every
 * ~10 minutes, a fire alarm about once an hour: the status layer moves, the
 * online rate stays in the high 90s.
 */
export const DEMO_FLEET: FleetOptions = {
  cameraIntervalMs: 30_000,
  sensorIntervalMs: 60_000,
  cameraOutagesPerHour: 12,
  siteOutagesPerHour: 2,
  faultsPerHour: 6,
  fireAlarmsPerHour: 1,
  outageMs: [2 * 60_000, 10 * 60_000],
  siteOutageMs: [3 * 60_000, 15 * 60_000],
  faultMs: [5 * 60_000, 30 * 60_000],
  alarmMs: [60_000, 3 * 60_000],
};

interface DeviceState extends FleetDevice {
  kind: 'camera' | 'sensor';
  intervalMs: number;
  nextBeatAt: number;
  silentUntil: number;
  faultUntil: number;
  faultCode?: string;
  alarmUntil: number;
}

export interface FleetEvent {
  type: 'camera-outage' | 'site-outage' | 'fault' | 'fire-alarm';
  codes: string[];
  until: number;
  faultCode?: string;
}

export class DeviceFleet {
  private readonly cameras: DeviceState[];
  private readonly sensors: DeviceState[];
  private readonly camerasByGrid = new Map<string, DeviceState[]>();
  private readonly siteGrids: string[];
  private lastStepAt: number;

  constructor(cameras: readonly FleetDevice[], sensors: readonly FleetDevice[], private readonly options: FleetOptions, startMs: number) {
    // Phases spread evenly over the interval, in a fixed order: the same fleet beats the same way every run.
    const init = (list: readonly FleetDevice[], kind: 'camera' | 'sensor', intervalMs: number) =>
      list.map((d, i): DeviceState => ({
        ...d, kind, intervalMs, nextBeatAt: startMs + Math.floor(((i + 0.5) * intervalMs) / list.length),
        silentUntil: 0, faultUntil: 0, alarmUntil: 0,
      }));
    this.cameras = init(cameras, 'camera', options.cameraIntervalMs);
    this.sensors = init(sensors, 'sensor', options.sensorIntervalMs);
    for (const c of this.cameras) {
      const list = this.camerasByGrid.get(c.gridCode) ?? [];
      list.push(c);
      this.camerasByGrid.set(c.gridCode, list);
    }
    this.siteGrids = [...this.camerasByGrid.keys()].sort();
    this.lastStepAt = startMs;
  }

  get deviceCount(): number {
    return this.cameras.length + this.sensors.length;
  }

  /** Draws the outages, faults and alarms that start between the last step and `nowMs`. */
  private drawEvents(rng: Rng, nowMs: number): FleetEvent[] {
    const hours = Math.max(0, nowMs - this.lastStepAt) / 3600_000;
    const o = this.options;
    const events: FleetEvent[] = [];
    const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)];
    const until = (range: [number, number]) => nowMs + Math.round(between(rng, range[0], range[1]));
    if (this.cameras.length) {
      for (let n = poisson(rng, o.cameraOutagesPerHour * hours); n > 0; n--) {
        const camera = pick(this.cameras);
        camera.silentUntil = Math.max(camera.silentUntil, until(o.outageMs));
        events.push({ type: 'camera-outage', codes: [camera.code], until: camera.silentUntil });
      }
      for (let n = poisson(rng, o.siteOutagesPerHour * hours); n > 0; n--) {
        const site = this.camerasByGrid.get(pick(this.siteGrids))!;
        const end = until(o.siteOutageMs);
        for (const c of site) c.silentUntil = Math.max(c.silentUntil, end);
        events.push({ type: 'site-outage', codes: site.map((c) => c.code), until: end });
      }
      for (let n = poisson(rng, o.faultsPerHour * hours); n > 0; n--) {
        const camera = pick(this.cameras);
        camera.faultUntil = until(o.faultMs);
        camera.faultCode = pick(CAMERA_FAULT_CODES);
        events.push({ type: 'fault', codes: [camera.code], until: camera.faultUntil, faultCode: camera.faultCode });
      }
    }
    if (this.sensors.length) {
      for (let n = poisson(rng, o.fireAlarmsPerHour * hours); n > 0; n--) {
        const sensor = pick(this.sensors);
        sensor.alarmUntil = until(o.alarmMs);
        events.push({ type: 'fire-alarm', codes: [sensor.code], until: sensor.alarmUntil });
      }
    }
    return events;
  }

  /** Advances to `nowMs`: new events, and every beat due since the last step (silent devices send none). */
  step(rng: Rng, nowMs: number): { beats: DeviceBeat[]; events: FleetEvent[] } {
    const events = this.drawEvents(rng, nowMs);
    const beats: DeviceBeat[] = [];
    for (const device of this.cameras) beatIfDue(device, nowMs, beats);
    for (const device of this.sensors) beatIfDue(device, nowMs, beats);
    this.lastStepAt = Math.max(this.lastStepAt, nowMs);
    return { beats, events };
  }
}

function beatIfDue(device: DeviceState, nowMs: number, beats: DeviceBeat[]): void {
  if (device.nextBeatAt > nowMs) return;
  // After a long pause (server down, laptop asleep) only the latest missed beat is worth sending.
  const at = device.nextBeatAt + Math.floor((nowMs - device.nextBeatAt) / device.intervalMs) * device.intervalMs;
  device.nextBeatAt = at + device.intervalMs;
  if (at < device.silentUntil) return;
  if (device.kind === 'camera' && at < device.faultUntil) {
    beats.push({ kind: 'camera', code: device.code, status: 'fault', faultCode: device.faultCode, at });
  } else if (device.kind === 'sensor' && at < device.alarmUntil) {
    beats.push({ kind: 'sensor', code: device.code, status: 'alarm', at });
  } else {
    beats.push({ kind: device.kind, code: device.code, status: 'online', at });
  }
}
