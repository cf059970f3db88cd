import { describe, expect, it } from 'vitest';
import { CAMERA_FAULT_CODES, DEMO_FLEET, DeviceFleet, type DeviceBeat, type FleetDevice, type FleetOptions } from './feed-devices.ts';
import { seededRng } from './feed-random.ts';

const cameras: FleetDevice[] = Array.from({ length: 2000 }, (_, i) => ({ code: `C${i}`, gridCode: `G${i % 100}` }));
const sensors: FleetDevice[] = Array.from({ length: 300 }, (_, i) => ({ code: `S${i}`, gridCode: `G${i % 100}` }));
const QUIET: FleetOptions = { ...DEMO_FLEET, cameraOutagesPerHour: 0, siteOutagesPerHour: 0, faultsPerHour: 0, fireAlarmsPerHour: 0 };
const T0 = Date.UTC(2026, 10, 30, 2);

function run(fleet: DeviceFleet, seed: string, fromMs: number, toMs: number, stepMs = 1000, keepBeats = true) {
  const rng = seededRng(seed);
  const beats: DeviceBeat[] = [];
  const events = [];
  for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
    const step = fleet.step(rng, t);
    if (keepBeats) for (const b of step.beats) beats.push(b);
    events.push(...step.events);
  }
  return { beats, events };
}

// Thousands of simulated beats per test: generous time on a busy 2-core machine (not a speed check).
describe('feed device fleet', { timeout: 30_000 }, () => {
  it('beats every camera once per 30 s, spread evenly, and every sensor once per minute', () => {
    const fleet = new DeviceFleet(cameras, sensors, QUIET, T0);
    const { beats } = run(fleet, 'even', T0, T0 + 60_000);
    const cameraBeats = beats.filter((b) => b.kind === 'camera');
    expect(cameraBeats).toHaveLength(4000);
    expect(new Set(cameraBeats.map((b) => b.code)).size).toBe(2000);
    expect(beats.filter((b) => b.kind === 'sensor')).toHaveLength(300);
    expect(beats.every((b) => b.status === 'online')).toBe(true);
    // Even: each second of the cycle carries about 1/30 of the cameras, never a burst.
    const perSecond = new Map<number, number>();
    for (const b of cameraBeats) perSecond.set(Math.floor((b.at - T0) / 1000), (perSecond.get(Math.floor((b.at - T0) / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(Math.ceil(2000 / 30) + 1);
  });

  it('after a long pause sends one beat per device, not the backlog', () => {
    const fleet = new DeviceFleet(cameras, sensors, QUIET, T0);
    const step = fleet.step(seededRng('pause'), T0 + 3600_000);
    expect(step.beats).toHaveLength(2300);
  });

  it('silences a camera or a whole site for minutes, then it beats again', () => {
    const options: FleetOptions = { ...QUIET, siteOutagesPerHour: 6, cameraOutagesPerHour: 30 };
    const fleet = new DeviceFleet(cameras.slice(0, 400), sensors.slice(0, 30), options, T0);
    const { beats, events } = run(fleet, 'outages', T0, T0 + 2 * 3600_000, 5000);
    const sites = events.filter((e) => e.type === 'site-outage');
    const singles = events.filter((e) => e.type === 'camera-outage');
    expect(sites.length).toBeGreaterThan(3);
    expect(singles.length).toBeGreaterThan(20);
    for (const e of sites) expect(e.codes.length).toBe(4); // all of that grid's cameras (400 over 100 grids)
    const byCode = new Map<string, number[]>();
    for (const b of beats) {
      const list = byCode.get(b.code) ?? [];
      list.push(b.at);
      byCode.set(b.code, list);
    }
    // A silenced camera: a gap of at least the outage's minimum, and beats again after it ended.
    const event = singles.find((e) => e.until < T0 + 3600_000)!;
    const times = byCode.get(event.codes[0])!;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(options.outageMs[0]);
    expect(times.some((t) => t >= event.until)).toBe(true);
  });

  it('reports fault codes and fire-sensor alarm episodes', () => {
    const options: FleetOptions = { ...QUIET, faultsPerHour: 20, fireAlarmsPerHour: 10 };
    const fleet = new DeviceFleet(cameras.slice(0, 400), sensors.slice(0, 60), options, T0);
    const { beats, events } = run(fleet, 'faults', T0, T0 + 3600_000, 5000);
    const faults = beats.filter((b) => b.status === 'fault');
    expect(faults.length).toBeGreaterThan(0);
    for (const f of faults) {
      expect(f.kind).toBe('camera');
      expect(CAMERA_FAULT_CODES).toContain(f.faultCode);
    }
    const alarms = beats.filter((b) => b.status === 'alarm');
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((a) => a.kind === 'sensor')).toBe(true);
    expect(events.filter((e) => e.type === 'fire-alarm').length).toBeGreaterThan(3);
    // A fault ends: the camera is back to online beats afterwards.
    const fault = events.find((e) => e.type === 'fault' && e.until < T0 + 3000_000)!;
    expect(beats.some((b) => b.code === fault.codes[0] && b.at >= fault.until && b.status === 'online')).toBe(true);
  });

  it('draws events at the configured rates (demo defaults: the odd outage, not a storm)', () => {
    // Rates are fleet-wide: a small fleet draws the same events, faster.
    const fleet = new DeviceFleet(cameras.slice(0, 200), sensors.slice(0, 30), DEMO_FLEET, T0);
    const hours = 50;
    const { events } = run(fleet, 'rates', T0, T0 + hours * 3600_000, 60_000, false);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    const within = (n: number, mean: number) => expect(Math.abs(n - mean)).toBeLessThan(4 * Math.sqrt(mean) + 1);
    within(count('camera-outage'), DEMO_FLEET.cameraOutagesPerHour * hours);
    within(count('site-outage'), DEMO_FLEET.siteOutagesPerHour * hours);
    within(count('fault'), DEMO_FLEET.faultsPerHour * hours);
    within(count('fire-alarm'), DEMO_FLEET.fireAlarmsPerHour * hours);
  });

  it('is deterministic for a seed', () => {
    const once = () => run(new DeviceFleet(cameras.slice(0, 400), sensors.slice(0, 60), DEMO_FLEET, T0), 'same', T0, T0 + 3600_000, 10_000, false).events;
    expect(once()).toEqual(once());
  });
});
