// Requests waiting to be delivered, like a phone's outbox on a bad network:
// each keeps its body (and so its client-chosen id) across retries, waits
// with exponential backoff and jitter after a failure, and is given up only
// when the server says the request itself is wrong (a 4xx other than 401,
// 408, 429) or when it has gone stale (heartbeats).
import { ApiError, type ApiClient, type Credential } from './api-client.ts';
import { WaitError, type CredentialPool } from './credentials.ts';

export type Sender = { username: string } | { key: string };

export interface Job {
  kind: 'report' | 'chat' | 'heartbeats' | 'action' | 'acknowledge';
  /** For logs: what this is (never a secret). */
  label: string;
  as: Sender;
  path: string;
  body: unknown;
  attempts: number;
  notBefore: number;
  /** Not worth delivering after this (a heartbeat batch goes stale). */
  expiresAt?: number;
  /** Reports: the grid the feed placed it in (to compare with where the server located it). */
  gridCode?: string;
  /** Officers' actions: a 409 means someone else acted first (re-read, move on), not a failure. */
  conflictMeansDone?: boolean;
}

export interface OutboxStats {
  delivered: Record<Job['kind'], number>;
  retries: number;
  gaveUp: number;
  /** Jobs answered 409 where that means someone else got there first. */
  superseded: number;
  expired: number;
  dropped: number;
  lastError: string | null;
}

export interface OutboxOptions {
  concurrency: number;
  /** Most jobs kept; beyond it the oldest waiting job is dropped (memory is finite). */
  capacity: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random: () => number;
  now?: () => number;
  /** Problems, already throttled by the caller's logger if it likes. */
  onProblem(message: string, err: unknown): void;
  onDelivered?(job: Job, body: unknown): void;
  /** Told when a job ends without delivery (given up, superseded, expired or dropped). */
  onFinished?(job: Job, why: 'gave-up' | 'superseded' | 'expired' | 'dropped'): void;
}

export class Outbox {
  private queue: Job[] = [];
  private inFlight = 0;
  private closed = false;
  private readonly idle = new Set<() => void>();
  private readonly now: () => number;
  readonly stats: OutboxStats = { delivered: { report: 0, chat: 0, heartbeats: 0, action: 0, acknowledge: 0 }, retries: 0, gaveUp: 0, superseded: 0, expired: 0, dropped: 0, lastError: null };

  constructor(private readonly api: ApiClient, readonly credentials: CredentialPool, private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
  }

  get waiting(): number {
    return this.queue.length;
  }

  add(job: Job): void {
    this.queue.push(job);
    if (this.queue.length > this.options.capacity) {
      const [dropped] = this.queue.splice(0, 1);
      this.stats.dropped += 1;
      this.options.onFinished?.(dropped, 'dropped');
    }
    this.pump();
  }

  /** Starts nothing more; what is in flight finishes (see settled()). */
  close(): void {
    this.closed = true;
  }

  /** Starts what is due, up to the concurrency. Called on every tick and after each answer. */
  pump(): void {
    if (this.closed) return;
    const now = this.now();
    this.queue = this.queue.filter((job) => {
      if (job.expiresAt !== undefined && job.expiresAt < now) {
        this.stats.expired += 1;
        this.options.onFinished?.(job, 'expired');
        return false;
      }
      return true;
    });
    while (this.inFlight < this.options.concurrency) {
      const index = this.queue.findIndex((job) => job.notBefore <= now);
      if (index === -1) break;
      const [job] = this.queue.splice(index, 1);
      this.inFlight += 1;
      void this.send(job).finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const resolve of this.idle) resolve();
        this.pump();
      });
    }
  }

  /** Resolves when nothing is in flight (jobs still waiting stay waiting). */
  async settled(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.idle.delete(done);
        resolve();
      };
      this.idle.add(done);
    });
  }

  private async credentialFor(sender: Sender): Promise<Credential> {
    return 'key' in sender ? { kind: 'key', key: sender.key } : this.credentials.session(sender.username);
  }

  private async send(job: Job): Promise<void> {
    try {
      const credential = await this.credentialFor(job.as);
      const answer = await this.api.request(credential, 'POST', job.path, job.body);
      this.stats.delivered[job.kind] += 1;
      this.options.onDelivered?.(job, answer.body);
    } catch (err) {
      this.failed(job, err);
    }
  }

  private failed(job: Job, err: unknown): void {
    if (err instanceof WaitError) {
      // Not a failure: the sign-in budget is spent for now.
      job.notBefore = err.at;
      this.queue.push(job);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.stats.lastError = `${job.label}: ${message}`;
    const status = err instanceof ApiError ? err.status : 0;
    if (status === 401 && 'username' in job.as) this.credentials.forget(job.as.username);
    if (status === 409 && job.conflictMeansDone) {
      this.stats.superseded += 1;
      this.options.onFinished?.(job, 'superseded');
      return;
    }
    const retryable = !(err instanceof ApiError) || err.retryable || status === 401;
    if (!retryable) {
      this.stats.gaveUp += 1;
      this.options.onProblem(`giving up on ${job.label} (the server refused it)`, err);
      this.options.onFinished?.(job, 'gave-up');
      return;
    }
    job.attempts += 1;
    this.stats.retries += 1;
    const backoff = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** Math.min(job.attempts - 1, 16));
    const wait = Math.max(err instanceof ApiError ? err.retryAfterMs ?? 0 : 0, backoff * (0.5 + this.options.random()));
    job.notBefore = this.now() + wait;
    this.queue.push(job);
    this.options.onProblem(`${job.label} failed (attempt ${job.attempts}), retrying in ${Math.round(wait)} ms`, err);
  }
}
