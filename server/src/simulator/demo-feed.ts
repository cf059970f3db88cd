// The demo feed: keeps the product alive from its first second with reports
// at the rates, mix and places of domain/feed-*.ts and the cameras' and fire
// sensors' heartbeats, all sent over HTTP to the product's own public API as
// real clients send them. It never throws into its host: every failure is
// logged (throttled) and retried with backoff.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { NewAreaData } from '../../../data/types.ts';
import { DEMO_LEVEL1_SHARE, level1ShareFor } from '../domain/feed-mix.ts';
import { DEMO_FLEET, DeviceFleet, type DeviceBeat, type FleetOptions } from '../domain/feed-devices.ts';
import { ReportModel, type ReportDraft } from '../domain/feed-reports.ts';
import { seededRng } from '../domain/feed-random.ts';
import { DEMO_SPEED } from '../domain/feed-rate.ts';
import { parseOfficers } from '../config.ts';
import { ApiClient } from './api-client.ts';
import { CredentialPool } from './credentials.ts';
import { startDutyOfficers, type OfficersOptions, type OfficersStats, type RunningOfficers } from './duty-officers.ts';
import { Outbox, type Job, type OutboxStats, type Sender } from './outbox.ts';
import { chatMessageBody, heartbeatBody, reportBody, HEARTBEATS_PATH, INTAKE_MESSAGES_PATH, REPORTS_PATH } from './wire.ts';

export interface FeedLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Integration keys of the feed's machine clients, for the routes that take
 * them (the chat robot's intake). Without one, the district duty seat relays,
 * as the routes allow.
 */
export interface FeedKeys {
  chatRobot?: string;
}

export interface FeedOptions {
  /** The product's own URL (http://127.0.0.1:PORT/). */
  baseUrl: string;
  /** The dataset the product serves (grids, cameras, sensors). */
  dataFile: string;
  /** The demo accounts' password. */
  password: string;
  /** Demo speed-up of the report rate (DEMO_SPEED by default). */
  speed?: number;
  /** Replays the same feed for the same seed (tests); a new one each start by default. */
  seed?: string;
  /** A flat report rate per minute instead of the day's curve × speed (tests, load runs). */
  reportsPerMinute?: number;
  /** Level-1 share; by default one level-1 report every ~5 minutes at this speed. */
  level1Share?: number;
  /** Heartbeats and outages; false sends none. */
  fleet?: FleetOptions | false;
  /** false files no reports (heartbeats only). */
  reports?: boolean;
  keys?: FeedKeys;
  tickMs?: number;
  concurrency?: number;
  signInsPerMinute?: number;
  /** The district duty account that files hotline and QR-code reports (typed in at its seat) and relays heartbeats. */
  dutyUsername?: string;
  logger?: FeedLogger;
  /**
   * The simulated duty officers who accept, dispatch, handle and close items and
   * acknowledge alerts (duty-officers.ts); false leaves the queue to people.
   * By default on unless DEMO_OFFICERS=off.
   */
  officers?: OfficersOptions | false;
  /** Told of every delivered request (tests). */
  onDelivered?(job: Job, body: unknown): void;
}

export interface FeedStats extends OutboxStats {
  drafted: number;
  beats: number;
  waiting: number;
  sessions: number;
  /** The officers' outbox and work, when they run. */
  officers: (OutboxStats & OfficersStats & { sessions: number }) | null;
}

export interface RunningFeed {
  stats(): FeedStats;
  /** Stops drawing and waits for requests in flight (bounded by the client timeout). */
  stop(): Promise<void>;
}

const DEFAULT_TICK_MS = 1000;
/** A heartbeat batch not delivered within this is stale: the next beats say more. */
const HEARTBEAT_STALE_MS = 60_000;
/** Same problem logged at most this often. */
const LOG_EVERY_MS = 30_000;

const silentLogger: FeedLogger = { info: () => undefined, warn: () => undefined };

export async function startDemoFeed(options: FeedOptions): Promise<RunningFeed> {
  const logger = options.logger ?? silentLogger;
  const data = JSON.parse(await readFile(options.dataFile, 'utf8')) as NewAreaData;
  const speed = options.speed ?? DEMO_SPEED;
  const seed = options.seed ?? `demo-feed/${Date.now()}`;
  const rng = seededRng(seed);
  const jitter = seededRng(`${seed}/jitter`);
  const level1Share = options.level1Share ?? (speed === DEMO_SPEED ? DEMO_LEVEL1_SHARE : level1ShareFor(speed));
  const model = new ReportModel(data.grids, { speed, level1Share, flatPerMinute: options.reportsPerMinute });
  const startedAt = Date.now();
  const fleet = options.fleet === false ? null : new DeviceFleet(data.cameras, data.sensors, options.fleet ?? DEMO_FLEET, startedAt);
  const dutyUsername = options.dutyUsername ?? 'duty.district';
  const keys = options.keys ?? {};

  const api = new ApiClient({ baseUrl: options.baseUrl });
  const credentials = new CredentialPool(api, { password: options.password, signInsPerMinute: options.signInsPerMinute ?? 8 });
  const lastLogged = new Map<string, number>();
  const problem = (message: string, err: unknown) => {
    // One line per kind of problem per LOG_EVERY_MS: a server that is down must not flood the log.
    const key = message.replace(/[0-9a-f-]{36}|\d+/g, '#');
    const now = Date.now();
    if (now - (lastLogged.get(key) ?? 0) < LOG_EVERY_MS) return;
    lastLogged.set(key, now);
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, `demo feed: ${message}`);
  };
  const outbox = new Outbox(api, credentials, {
    concurrency: options.concurrency ?? 4,
    capacity: 5000,
    backoffBaseMs: 500,
    backoffMaxMs: 30_000,
    random: jitter,
    onProblem: problem,
    onDelivered: options.onDelivered,
  });

  const officersOption = options.officers ?? (parseOfficers(process.env) ? {} : false);
  let officers: RunningOfficers | null = null;
  // Their own outbox and sign-in budget, so a burst of reports (or the grid workers'
  // first sign-ins) never keeps a seat from its work, and the other way round.
  const officersOutbox = officersOption === false ? null : new Outbox(api, new CredentialPool(api, {
    password: options.password, signInsPerMinute: officersOption.signInsPerMinute ?? 6,
  }), {
    concurrency: 2, capacity: 2000, backoffBaseMs: 500, backoffMaxMs: 30_000, random: jitter, onProblem: problem,
    onDelivered: (job, body) => {
      officers?.delivered(job);
      options.onDelivered?.(job, body);
    },
    onFinished: (job, why) => officers?.finished(job, why),
  });
  if (officersOutbox && officersOption !== false) {
    officers = startDutyOfficers({ api, credentials: officersOutbox.credentials, outbox: officersOutbox, speed, seed, reader: dutyUsername, problem }, officersOption);
  }

  let drafted = 0;
  let beats = 0;
  const reportJob = (draft: ReportDraft): Job => {
    const id = randomUUID();
    const base = { attempts: 0, notBefore: 0, gridCode: draft.grid.code };
    const duty: Sender = { username: dutyUsername };
    switch (draft.channel) {
      case 'field':
        return { ...base, kind: 'report', label: `field report ${id}`, as: { username: `worker.${draft.grid.code}` }, path: REPORTS_PATH, body: reportBody(id, draft, jitter) };
      case 'hotline_12345':
        return { ...base, kind: 'report', label: `hotline report ${id}`, as: duty, path: REPORTS_PATH, body: reportBody(id, draft, jitter) };
      case 'qr_code':
        return { ...base, kind: 'report', label: `QR-code report ${id}`, as: duty, path: REPORTS_PATH, body: reportBody(id, draft, jitter) };
      case 'chat_robot':
        // The robot forwards the group message itself; the server recognises the item (or queues it for a person).
        return { ...base, kind: 'chat', label: `chat message ${id}`, as: keys.chatRobot ? { key: keys.chatRobot } : duty, path: INTAKE_MESSAGES_PATH, body: chatMessageBody(id, draft, jitter) };
    }
  };
  const heartbeatJob = (batch: DeviceBeat[], now: number): Job => ({
    kind: 'heartbeats', label: `heartbeats (${batch.length})`, as: { username: dutyUsername },
    path: HEARTBEATS_PATH, body: heartbeatBody(batch), attempts: 0, notBefore: 0, expiresAt: now + HEARTBEAT_STALE_MS,
  });

  let last = startedAt;
  const tick = () => {
    try {
      const now = Date.now();
      if (options.reports !== false) {
        for (const draft of model.between(rng, last, now)) {
          drafted += 1;
          outbox.add(reportJob(draft));
        }
      }
      if (fleet) {
        const step = fleet.step(rng, now);
        beats += step.beats.length;
        if (step.beats.length) outbox.add(heartbeatJob(step.beats, now));
        for (const event of step.events) logger.info({ event: event.type, devices: event.codes.length, faultCode: event.faultCode }, 'demo feed: device event');
      }
      last = now;
      outbox.pump();
    } catch (err) {
      problem('tick failed', err);
    }
  };
  const timer = setInterval(tick, options.tickMs ?? DEFAULT_TICK_MS);
  timer.unref();
  logger.info({ speed, level1Share, seed, devices: fleet?.deviceCount ?? 0, keys: Object.keys(keys), officers: officers !== null }, 'demo feed started');

  let stopping: Promise<void> | undefined;
  return {
    stats: () => ({
      ...outbox.stats, drafted, beats, waiting: outbox.waiting, sessions: credentials.size,
      officers: officers && officersOutbox ? { ...officersOutbox.stats, ...officers.stats(), sessions: officersOutbox.credentials.size } : null,
    }),
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        officers?.stop();
        outbox.close();
        officersOutbox?.close();
        await Promise.all([outbox.settled(), officersOutbox?.settled()]);
        logger.info({ ...outbox.stats, drafted }, 'demo feed stopped');
      })()),
  };
}
