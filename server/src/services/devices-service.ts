// Heartbeats in, transitions out (domain/device-status.ts), and fire alarms
// (domain/fire-episodes.ts). One heartbeat batch is one transaction: device
// state, transitions and their change-log rows commit together, and the
// realtime layer pushes camera changes merged per room (≤ every 250 ms).
// A fire episode's incident is filed after that commit, through the reports
// service, under an id chosen when the episode opened: filing it again (a
// retry after a crash) stores one incident.
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { CATALOGUE_ITEMS } from '../../../shared/catalogue.ts';
import type { Heartbeat as HeartbeatBody, HeartbeatRejected, HeartbeatResult, NearestCamera } from '../../../shared/schemas/device.ts';
import type { CameraStatusChange } from '../../../shared/schemas/device.ts';
import { applyHeartbeats, silenceCutoff, silentDevices, type DeviceState, type Heartbeat, type Transition } from '../domain/device-status.ts';
import { FIRE_ITEM_NAME, FIRE_QUIET_MINUTES, stepEpisode, type Episode } from '../domain/fire-episodes.ts';
import { fireAlarmRule } from '../domain/alert-rules.ts';
import { nearestCameras } from '../domain/nearest-cameras.ts';
import { canAccess, type Scope } from '../domain/scope.ts';
import * as devices from '../db/repositories/devices-repository.ts';
import { appendChange } from '../db/repositories/changes-repository.ts';
import { inTransaction } from '../db/repositories/db.ts';
import { ConfigError } from '../config.ts';
import { systemActor } from '../realtime/actor.ts';
import type { ReportsService } from './reports-service.ts';
import type { AlertsService } from './alerts-service.ts';

export interface DevicesOptions {
  /** A camera not heard for this long goes offline (3 missed 30-second heartbeats). */
  cameraSilentMs: number;
  /** Sensors report less often (plausible default, not from the articles: every 5 minutes, so 3 missed = 15 min). */
  sensorSilentMs: number;
  /** How often the silence sweep runs; 0 = never (tests call sweep()). */
  sweepIntervalMs: number;
  /** A fire episode ends after the sensor reported normal this long. */
  fireQuietMs: number;
  /** A heartbeat stamped further ahead of the server's clock than this is refused (a gateway's clock gone wrong). */
  maxFutureMs: number;
}

export const DEVICES_DEFAULTS: DevicesOptions = {
  cameraSilentMs: 90_000,
  sensorSilentMs: 15 * 60_000,
  sweepIntervalMs: 10_000,
  fireQuietMs: FIRE_QUIET_MINUTES * 60_000,
  maxFutureMs: 5 * 60_000,
};

const FIRE_ITEM = CATALOGUE_ITEMS.find((i) => i.name === FIRE_ITEM_NAME);
if (!FIRE_ITEM) throw new Error(`the catalogue has no item named ${FIRE_ITEM_NAME}`);
const FIRE_ACTOR = systemActor('fire-sensor');
/** Devices turned offline per sweep transaction (the rest wait for the next round). */
const SWEEP_BATCH = 5000;

export interface DevicesServiceDeps {
  pool: pg.Pool;
  log: FastifyBaseLogger;
  clock: () => Date;
  options: DevicesOptions;
  reports: ReportsService;
  alerts: AlertsService;
  /** Called after device statuses changed (the cached GET /cameras must be rebuilt). */
  onStatusChanged?: () => void;
}

/** The change-log payload of a camera transition (without seq). */
function cameraChange(t: Transition, d: devices.DeviceRow): Omit<CameraStatusChange, 'seq'> {
  return {
    code: t.code, status: t.to, previousStatus: t.from, faultCode: t.faultCode, at: t.at.toISOString(),
    townCode: d.townCode, communityCode: d.communityCode, gridCode: d.gridCode,
  };
}

export function createDevicesService(deps: DevicesServiceDeps) {
  const { pool, log, clock, options } = deps;
  const startedAt = clock();

  /** Writes one kind's heartbeats in the caller's transaction; returns transitions (with their rows) to publish. */
  async function applyKind(tx: pg.PoolClient, kind: devices.DeviceKind, locked: devices.DeviceRow[], batch: Heartbeat[]) {
    const byCode = new Map(locked.map((d) => [d.code, d]));
    const { states, transitions, stale } = applyHeartbeats(byCode as Map<string, DeviceState>, batch);
    await devices.saveStates(tx, kind, [...states.values()]);
    return { transitions: transitions.map((t) => ({ t, d: byCode.get(t.code)! })), stale };
  }

  /** Fire episodes for this batch's sensor readings (in time order); returns the episodes that started. */
  async function stepEpisodes(tx: pg.PoolClient, sensors: devices.DeviceRow[], batch: Heartbeat[]): Promise<devices.EpisodeRow[]> {
    const place = new Map(sensors.map((s) => [s.code, s]));
    const open = new Map((await devices.openEpisodes(tx, [...place.keys()])).map((e) => [e.sensorCode, e]));
    const lastHeard = new Map(sensors.map((s) => [s.code, s.lastHeartbeatAt]));
    const started: devices.EpisodeRow[] = [];
    for (const hb of [...batch].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const last = lastHeard.get(hb.code);
      if (last && hb.at.getTime() < last.getTime()) continue; // stale, as for the status
      lastHeard.set(hb.code, hb.at);
      const current = open.get(hb.code) ?? null;
      if (!current && hb.status !== 'alarm') continue;
      const step = stepEpisode(current, hb.code, { status: hb.status, at: hb.at }, options.fireQuietMs);
      if (step.ended && current) {
        await devices.updateEpisode(tx, current.id, { lastAlarmAt: current.lastAlarmAt, normalSince: step.ended.normalSince, endedAt: hb.at, alarmCount: current.alarmCount });
        open.delete(hb.code);
      }
      if (step.started && step.episode) {
        const s = place.get(hb.code)!;
        const row = await devices.insertEpisode(tx, {
          sensorCode: hb.code, startedAt: step.episode.startedAt, lastAlarmAt: step.episode.lastAlarmAt, incidentId: randomUUID(),
          townCode: s.townCode, communityCode: s.communityCode, gridCode: s.gridCode,
        });
        open.set(hb.code, row);
        started.push(row);
      } else if (step.episode && current) {
        const next: Episode = step.episode;
        const alarmCount = current.alarmCount + (hb.status === 'alarm' ? 1 : 0);
        await devices.updateEpisode(tx, current.id, { lastAlarmAt: next.lastAlarmAt, normalSince: next.normalSince, endedAt: null, alarmCount });
        open.set(hb.code, { ...current, lastAlarmAt: next.lastAlarmAt, normalSince: next.normalSince, alarmCount });
      }
    }
    return started;
  }

  /** Files the episode's incident (idempotent on its id), links it, raises the fire alert. */
  async function fileEpisode(row: devices.EpisodeRow): Promise<string | null> {
    const sensor = await devices.sensorPlace(pool, row.sensorCode);
    if (!sensor) return null;
    const { incident } = await deps.reports.file({
      id: row.incidentId, itemCode: FIRE_ITEM!.code, lon: sensor.lon, lat: sensor.lat, channel: 'sensor', sensorCode: sensor.code,
      description: `智慧消防：${sensor.name}于${row.startedAt.toISOString()}报警`,
    }, FIRE_ACTOR);
    await devices.markEpisodeFiled(pool, row.id);
    const draft = fireAlarmRule({ id: row.id, sensorCode: row.sensorCode, startedAt: row.startedAt }, incident.id, {
      townCode: incident.townCode, communityCode: incident.communityCode, gridCode: incident.gridCode,
    }, deps.alerts.rules);
    if (draft) await deps.alerts.raise({ ...draft, detail: { ...draft.detail, sensorName: sensor.name } });
    return incident.id;
  }

  async function fileEpisodes(rows: devices.EpisodeRow[]): Promise<string[]> {
    const ids: string[] = [];
    for (const row of rows) {
      try {
        const id = await fileEpisode(row);
        if (id) ids.push(id);
      } catch (err) {
        // The episode stays unfiled; the sweep files it again under the same id.
        log.error({ err, sensor: row.sensorCode }, 'could not file the fire incident');
      }
    }
    return ids;
  }

  /**
   * Publishes camera transitions: change-log rows (last, before COMMIT), then
   * the history with their seqs. The log row is stamped with the server's
   * time, not the gateway's: the log's retention goes by it, and a gateway's
   * old or wrong clock must not age other changes out with it.
   */
  async function recordTransitions(tx: pg.PoolClient, list: { t: Transition; d: devices.DeviceRow }[], now: Date): Promise<void> {
    const stored: devices.StoredTransition[] = [];
    for (const { t, d } of list) {
      const seq = d.kind === 'camera'
        ? await appendChange(tx, {
          kind: 'camera:status-changed', area: { townCode: d.townCode, communityCode: d.communityCode }, entityId: d.code,
          payload: cameraChange(t, d), at: now,
        })
        : null;
      stored.push({ ...t, kind: d.kind, gridCode: d.gridCode, communityCode: d.communityCode, townCode: d.townCode, seq });
    }
    await devices.insertTransitions(tx, stored);
  }

  function afterTransitions(count: number, cameras: number): void {
    if (count === 0) return;
    deps.onStatusChanged?.();
    if (cameras > 0) deps.alerts.nudge();
  }

  /**
   * A gateway's batch. Items naming an unknown device, a device outside the
   * caller's scope or a time in the future are reported back and nothing is
   * stored for them; the rest are applied.
   */
  async function ingest(batch: readonly HeartbeatBody[], scope: Scope): Promise<HeartbeatResult> {
    const now = clock();
    const rejected: HeartbeatRejected[] = [];
    const kinds = await devices.kindsOf(pool, [...new Set(batch.map((h) => h.code))]);
    const wanted: { index: number; hb: Heartbeat; kind: devices.DeviceKind }[] = [];
    batch.forEach((h, index) => {
      const kind = kinds.get(h.code);
      const at = new Date(h.at);
      if (!kind) rejected.push({ index, code: h.code, reason: 'unknown_device', message: `no camera or sensor has the code ${h.code}` });
      else if (at.getTime() - now.getTime() > options.maxFutureMs) {
        rejected.push({ index, code: h.code, reason: 'future_time', message: `at ${h.at} lies more than ${options.maxFutureMs / 1000} s ahead of the server's clock` });
      } else wanted.push({ index, kind, hb: { code: h.code, status: h.status, faultCode: h.faultCode ?? null, at, receivedAt: now } });
    });

    const outcome = await inTransaction(pool, async (tx) => {
      // Cameras first, then sensors, each in code order: every writer locks in the same order.
      const cams = await devices.lockDevices(tx, 'camera', [...new Set(wanted.filter((w) => w.kind === 'camera').map((w) => w.hb.code))]);
      const sens = await devices.lockDevices(tx, 'sensor', [...new Set(wanted.filter((w) => w.kind === 'sensor').map((w) => w.hb.code))]);
      const inScope = new Set([...cams, ...sens].filter((d) => canAccess(scope, d)).map((d) => d.code));
      const take = (kind: devices.DeviceKind) => wanted.filter((w) => w.kind === kind && inScope.has(w.hb.code)).map((w) => w.hb);
      for (const w of wanted) {
        if (!inScope.has(w.hb.code)) rejected.push({ index: w.index, code: w.hb.code, reason: 'outside_scope', message: `device ${w.hb.code} is outside your data scope` });
      }
      const camOut = await applyKind(tx, 'camera', cams.filter((d) => inScope.has(d.code)), take('camera'));
      const sensorsInScope = sens.filter((d) => inScope.has(d.code));
      const sensOut = await applyKind(tx, 'sensor', sensorsInScope, take('sensor'));
      const started = await stepEpisodes(tx, sensorsInScope, take('sensor'));
      await recordTransitions(tx, [...camOut.transitions, ...sensOut.transitions], now);
      return {
        accepted: wanted.filter((w) => inScope.has(w.hb.code)).length,
        stale: camOut.stale + sensOut.stale,
        transitions: camOut.transitions.length + sensOut.transitions.length,
        cameraTransitions: camOut.transitions.length,
        started,
      };
    });

    afterTransitions(outcome.transitions, outcome.cameraTransitions);
    const incidentIds = await fileEpisodes(outcome.started);
    rejected.sort((a, b) => a.index - b.index);
    return { received: batch.length, accepted: outcome.accepted, stale: outcome.stale, transitions: outcome.transitions, incidentIds, rejected };
  }

  /**
   * Turns devices silent for too long offline. Judged from when this server
   * started at the earliest: while it was down nobody could hear a heartbeat,
   * so a restart does not declare every camera offline at once.
   */
  async function sweepKind(kind: devices.DeviceKind, silentMs: number, now: Date): Promise<number> {
    if (now.getTime() - startedAt.getTime() < silentMs) return 0;
    return inTransaction(pool, async (tx) => {
      const silent = await devices.lockSilent(tx, kind, silenceCutoff(now, silentMs), SWEEP_BATCH);
      const byCode = new Map(silent.map((d) => [d.code, d]));
      const transitions = silentDevices(silent, now, silentMs);
      await devices.saveStates(tx, kind, transitions.map((t) => ({ ...byCode.get(t.code)!, status: 'offline', faultCode: null, changedAt: t.at })));
      await recordTransitions(tx, transitions.map((t) => ({ t, d: byCode.get(t.code)! })), now);
      return transitions.length;
    });
  }

  async function sweep(): Promise<{ cameras: number; sensors: number; filed: number }> {
    const now = clock();
    const cameras = await sweepKind('camera', options.cameraSilentMs, now);
    const sensors = await sweepKind('sensor', options.sensorSilentMs, now);
    afterTransitions(cameras + sensors, cameras);
    // Episodes whose incident could not be filed earlier: again, under the same id.
    const filed = (await fileEpisodes(await devices.unfiledEpisodes(pool))).length;
    return { cameras, sensors, filed };
  }

  /** The cameras nearest to a point, its own grid first. */
  async function nearest(point: { lon: number; lat: number; gridCode: string | null }, limit: number): Promise<NearestCamera[]> {
    const ranked = nearestCameras(point, await devices.cameraPoints(pool), { limit });
    return ranked.map(({ camera, distanceM, inGrid }) => ({ ...camera, distanceM: Math.round(distanceM * 10) / 10, inGrid }));
  }

  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;
  return {
    ingest,
    sweep,
    nearest,
    transitionsOf: (code: string) => devices.transitionsOf(pool, code),
    episodesOf: (code: string) => devices.episodesOf(pool, code),
    start(): void {
      if (options.sweepIntervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = sweep().catch((err: unknown) => log.error({ err }, 'device sweep failed')).finally(() => {
          sweeping = null;
        });
      }, options.sweepIntervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
    },
  };
}

export type DevicesService = ReturnType<typeof createDevicesService>;

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallbackMs;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number of seconds, got "${raw}"`);
  return value * 1000;
}

/** CAMERA_OFFLINE_SECONDS, SENSOR_OFFLINE_SECONDS, DEVICE_SWEEP_SECONDS, FIRE_QUIET_SECONDS over the defaults. */
export function devicesOptionsFromEnv(env: NodeJS.ProcessEnv): DevicesOptions {
  return {
    ...DEVICES_DEFAULTS,
    cameraSilentMs: seconds(env, 'CAMERA_OFFLINE_SECONDS', DEVICES_DEFAULTS.cameraSilentMs),
    sensorSilentMs: seconds(env, 'SENSOR_OFFLINE_SECONDS', DEVICES_DEFAULTS.sensorSilentMs),
    sweepIntervalMs: seconds(env, 'DEVICE_SWEEP_SECONDS', DEVICES_DEFAULTS.sweepIntervalMs),
    fireQuietMs: seconds(env, 'FIRE_QUIET_SECONDS', DEVICES_DEFAULTS.fireQuietMs),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    devices: DevicesService;
  }
}

/** Decorates app.devices and runs the silence sweep while the app is up. */
export const devicesPlugin = fp<Partial<DevicesOptions>>(
  async (app, opts) => {
    const service = createDevicesService({
      pool: app.db, log: app.log, clock: app.securityOptions.clock, options: { ...DEVICES_DEFAULTS, ...opts },
      reports: app.reports, alerts: app.alerts,
      onStatusChanged: () => {
        app.responseCache.invalidate('cameras');
        app.responseCache.invalidate('sensors');
      },
    });
    app.decorate('devices', service);
    app.addHook('onReady', async () => service.start());
    app.addHook('onClose', async () => service.stop());
  },
  { name: 'devices', dependencies: ['db', 'auth', 'live-services', 'alerts', 'response-cache'] },
);
