// Heartbeats in, status transitions out. A gateway reports each camera and
// sensor every ~30 s; what the screens need is only the moments a device
// changes status, so everything here returns transitions and nothing else.
// Times come in as arguments: the rules are tested with a hand-moved clock.

export const DEVICE_STATUSES = ['online', 'offline', 'fault'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** What a gateway may say: a device status, or (smart-fire sensors) an alarm. */
export const REPORTED_STATUSES = ['online', 'offline', 'fault', 'alarm'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

export interface DeviceState {
  code: string;
  status: DeviceStatus;
  faultCode: string | null;
  /** Time stated by the device's last heartbeat (orders heartbeats); null until its first one. */
  lastHeartbeatAt: Date | null;
  /**
   * When the server last heard the device (its own clock): silence is judged
   * by this, so a gateway whose clock runs slow does not make devices flap.
   * Null until the first heartbeat: the device is not monitored yet.
   */
  heardAt: Date | null;
  changedAt: Date;
}

export interface Heartbeat {
  code: string;
  status: ReportedStatus;
  faultCode?: string | null;
  at: Date;
  /** When the server received it; defaults to `at`. */
  receivedAt?: Date;
}

export interface Transition {
  code: string;
  from: DeviceStatus;
  to: DeviceStatus;
  faultCode: string | null;
  at: Date;
  /** 'heartbeat': the device said so; 'silence': nothing heard for too long. */
  cause: 'heartbeat' | 'silence';
}

/**
 * The status a heartbeat puts a device in. A fault code wins over the stated
 * status (a camera that streams but reports a lens fault is faulty); an alarm
 * is a sensor working as meant, so the device itself is online.
 */
export function statusOfHeartbeat(hb: Pick<Heartbeat, 'status' | 'faultCode'>): DeviceStatus {
  if (hb.status === 'fault' || (hb.faultCode && hb.status !== 'offline')) return 'fault';
  if (hb.status === 'offline') return 'offline';
  return 'online';
}

export interface HeartbeatResult {
  state: DeviceState;
  transition: Transition | null;
  /** The heartbeat was older than the last one heard (a gateway's retry, reordered): ignored. */
  stale: boolean;
}

export function applyHeartbeat(state: DeviceState, hb: Heartbeat): HeartbeatResult {
  if (state.lastHeartbeatAt && hb.at.getTime() < state.lastHeartbeatAt.getTime()) {
    return { state, transition: null, stale: true };
  }
  const to = statusOfHeartbeat(hb);
  const faultCode = to === 'fault' ? (hb.faultCode ?? null) : null;
  // A fault code that changes is a new fault worth telling; the same one repeated is not.
  const changed = to !== state.status || (to === 'fault' && faultCode !== state.faultCode);
  const next: DeviceState = {
    code: state.code,
    status: to,
    faultCode,
    lastHeartbeatAt: hb.at,
    heardAt: hb.receivedAt ?? hb.at,
    changedAt: changed ? hb.at : state.changedAt,
  };
  const transition: Transition | null = changed
    ? { code: state.code, from: state.status, to, faultCode, at: hb.at, cause: 'heartbeat' }
    : null;
  return { state: next, transition, stale: false };
}

/**
 * Applies a gateway's batch in time order per device. Returns the new states
 * of the devices it touched and the transitions, in order; a device that
 * flips and flips back within one batch yields both transitions (both happened).
 */
export function applyHeartbeats(states: ReadonlyMap<string, DeviceState>, batch: readonly Heartbeat[]) {
  const next = new Map<string, DeviceState>();
  const transitions: Transition[] = [];
  let stale = 0;
  const ordered = [...batch].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const hb of ordered) {
    const current = next.get(hb.code) ?? states.get(hb.code);
    if (!current) continue;
    const result = applyHeartbeat(current, hb);
    if (result.stale) {
      stale++;
      continue;
    }
    next.set(hb.code, result.state);
    if (result.transition) transitions.push(result.transition);
  }
  return { states: next, transitions, stale };
}

/**
 * Devices silent for `silentAfterMs` or more go offline. A device that has
 * never sent a heartbeat is not monitored yet and is left alone: a fresh
 * install without a gateway would otherwise report every camera offline
 * (and every community below its online-rate threshold) a minute after start.
 */
export function silentDevices(states: Iterable<DeviceState>, now: Date, silentAfterMs: number): Transition[] {
  const out: Transition[] = [];
  for (const s of states) {
    if (s.status === 'offline' || !s.heardAt) continue;
    if (now.getTime() - s.heardAt.getTime() >= silentAfterMs) {
      out.push({ code: s.code, from: s.status, to: 'offline', faultCode: null, at: now, cause: 'silence' });
    }
  }
  return out;
}

/** The moment before which a heartbeat means "silent" (what the sweep's SQL compares with). */
export function silenceCutoff(now: Date, silentAfterMs: number): Date {
  return new Date(now.getTime() - silentAfterMs);
}
