import { describe, expect, it } from 'vitest';
import { applyHeartbeat, applyHeartbeats, silenceCutoff, silentDevices, statusOfHeartbeat, type DeviceState } from './device-status.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const device = (code: string, patch: Partial<DeviceState> = {}): DeviceState => ({
  code, status: 'online', faultCode: null, lastHeartbeatAt: t0, heardAt: t0, changedAt: t0, ...patch,
});

describe('statusOfHeartbeat', () => {
  it('maps stated statuses, a fault code meaning fault, an alarm meaning a working (online) device', () => {
    expect(statusOfHeartbeat({ status: 'online' })).toBe('online');
    expect(statusOfHeartbeat({ status: 'offline' })).toBe('offline');
    expect(statusOfHeartbeat({ status: 'fault', faultCode: 'E12' })).toBe('fault');
    expect(statusOfHeartbeat({ status: 'online', faultCode: 'LENS' })).toBe('fault');
    expect(statusOfHeartbeat({ status: 'alarm' })).toBe('online');
  });
});

describe('applyHeartbeat', () => {
  it('an unchanged status is no transition, but the heartbeat time moves', () => {
    const r = applyHeartbeat(device('c1'), { code: 'c1', status: 'online', at: at(30), receivedAt: at(31) });
    expect(r.transition).toBeNull();
    expect(r.state.lastHeartbeatAt).toEqual(at(30));
    expect(r.state.heardAt).toEqual(at(31));
    expect(r.state.changedAt).toEqual(t0);
  });

  it('a fault code is a transition to fault, carrying the code', () => {
    const r = applyHeartbeat(device('c1'), { code: 'c1', status: 'fault', faultCode: 'E12', at: at(30) });
    expect(r.transition).toEqual({ code: 'c1', from: 'online', to: 'fault', faultCode: 'E12', at: at(30), cause: 'heartbeat' });
    expect(r.state).toMatchObject({ status: 'fault', faultCode: 'E12', changedAt: at(30) });
  });

  it('a new fault code on a faulty device is told; the same code repeated is not', () => {
    const faulty = device('c1', { status: 'fault', faultCode: 'E12' });
    expect(applyHeartbeat(faulty, { code: 'c1', status: 'fault', faultCode: 'E12', at: at(30) }).transition).toBeNull();
    expect(applyHeartbeat(faulty, { code: 'c1', status: 'fault', faultCode: 'E13', at: at(30) }).transition?.faultCode).toBe('E13');
  });

  it('a heartbeat after offline brings the device back online', () => {
    const r = applyHeartbeat(device('c1', { status: 'offline', lastHeartbeatAt: at(-600) }), { code: 'c1', status: 'online', at: at(1) });
    expect(r.transition).toMatchObject({ from: 'offline', to: 'online' });
  });

  it('ignores a heartbeat older than the last one heard', () => {
    const r = applyHeartbeat(device('c1', { lastHeartbeatAt: at(60) }), { code: 'c1', status: 'offline', at: at(30) });
    expect(r).toMatchObject({ stale: true, transition: null });
    expect(r.state.lastHeartbeatAt).toEqual(at(60));
  });
});

describe('applyHeartbeats (a gateway batch)', () => {
  const states = new Map([['c1', device('c1')], ['c2', device('c2')], ['c3', device('c3', { status: 'offline' })]]);

  it('returns only the transitions, in time order per device, and skips unknown codes', () => {
    const { transitions, states: next } = applyHeartbeats(states, [
      { code: 'c1', status: 'online', at: at(30) },
      { code: 'c2', status: 'online', at: at(60) },
      { code: 'c2', status: 'fault', faultCode: 'E1', at: at(30) },
      { code: 'c3', status: 'online', at: at(30) },
      { code: 'nope', status: 'online', at: at(30) },
    ]);
    expect(transitions.map((t) => `${t.code}:${t.from}->${t.to}`)).toEqual(['c2:online->fault', 'c3:offline->online', 'c2:fault->online']);
    expect([...next.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
    expect(next.get('c2')).toMatchObject({ status: 'online', lastHeartbeatAt: at(60) });
  });

  it('2,000 cameras all still online: 2,000 states refreshed, zero transitions', () => {
    const many = new Map(Array.from({ length: 2000 }, (_, i) => [`c${i}`, device(`c${i}`)] as const));
    const r = applyHeartbeats(many, [...many.keys()].map((code) => ({ code, status: 'online' as const, at: at(30) })));
    expect(r.transitions).toHaveLength(0);
    expect(r.states.size).toBe(2000);
  });
});

describe('silentDevices', () => {
  const silentAfterMs = 90_000;
  it('turns a camera offline after 90 s without a heartbeat, not at 89 s', () => {
    const states = [device('c1', { heardAt: at(0) })];
    expect(silentDevices(states, at(89), silentAfterMs)).toEqual([]);
    expect(silentDevices(states, at(90), silentAfterMs)).toEqual([
      { code: 'c1', from: 'online', to: 'offline', faultCode: null, at: at(90), cause: 'silence' },
    ]);
  });
  it('a faulty device that falls silent goes offline too; an offline one is not told twice', () => {
    const states = [device('f', { status: 'fault', faultCode: 'E1' }), device('o', { status: 'offline' })];
    expect(silentDevices(states, at(600), silentAfterMs).map((t) => t.code)).toEqual(['f']);
  });
  it('leaves a device that never sent a heartbeat alone (not monitored yet)', () => {
    expect(silentDevices([device('new', { lastHeartbeatAt: null, heardAt: null })], at(3600), silentAfterMs)).toEqual([]);
  });
  it('judges silence by when the server heard the device, not by the gateway\'s clock', () => {
    const slowGateway = device('c1', { lastHeartbeatAt: at(-3600), heardAt: at(0) });
    expect(silentDevices([slowGateway], at(60), silentAfterMs)).toEqual([]);
  });
  it('the cutoff is now minus the silence', () => {
    expect(silenceCutoff(at(100), silentAfterMs)).toEqual(at(10));
  });
});
