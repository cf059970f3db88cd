// Who the feed acts as. Field reports are filed by the grid's own demo worker
// (worker.<grid code>), the hotline / QR code / chat robot by their machine
// client's integration key when it has one, else by the district duty seat.
// Sessions are kept and reused; new sign-ins are paced, because sign-in is
// rate-limited per source address and a person on the same machine must
// still be able to sign in.
import { ApiError, type ApiClient, type Credential } from './api-client.ts';

export interface CredentialPoolOptions {
  password: string;
  /** New sign-ins per minute the feed allows itself (the server allows 20 per address). */
  signInsPerMinute: number;
  now?: () => number;
}

/** Thrown when a sign-in must wait for the budget: try again at `at`. */
export class WaitError extends Error {
  override name = 'WaitError';
  constructor(readonly at: number) {
    super('waiting for the sign-in budget');
  }
}

export class CredentialPool {
  private readonly sessions = new Map<string, Credential & { kind: 'session' }>();
  private readonly pending = new Map<string, Promise<Credential & { kind: 'session' }>>();
  private tokens: number;
  private refilledAt: number;
  private blockedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly api: ApiClient, private readonly options: CredentialPoolOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = Math.max(1, options.signInsPerMinute);
    this.refilledAt = this.now();
  }

  /** The account's session, signing in if the budget allows (else WaitError). */
  async session(username: string): Promise<Credential> {
    const known = this.sessions.get(username);
    if (known) return known;
    const inFlight = this.pending.get(username);
    if (inFlight) return inFlight;
    this.takeToken();
    const signIn = this.api.signIn(username, this.options.password).then(
      (credential) => {
        this.sessions.set(username, credential);
        return credential;
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 429) this.blockedUntil = this.now() + (err.retryAfterMs ?? 60_000);
        throw err;
      },
    ).finally(() => this.pending.delete(username));
    this.pending.set(username, signIn);
    return signIn;
  }

  /** After a 401: the session ended (idle, signed out elsewhere); the next use signs in again. */
  forget(username: string): void {
    this.sessions.delete(username);
  }

  get size(): number {
    return this.sessions.size;
  }

  private takeToken(): void {
    const now = this.now();
    if (now < this.blockedUntil) throw new WaitError(this.blockedUntil);
    const perMs = this.options.signInsPerMinute / 60_000;
    const capacity = Math.max(1, this.options.signInsPerMinute);
    this.tokens = Math.min(capacity, this.tokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
    if (this.tokens < 1) throw new WaitError(now + Math.ceil((1 - this.tokens) / perMs));
    this.tokens -= 1;
  }
}
