// Signing in and out, sessions, TOTP and kiosk tokens. Every outcome that the
// audit log must hold is written here, so no route can forget it. A
// `sessionEnded` event fires whenever a session stops being valid (sign-out,
// idle sweep, disabled account, revoked kiosk token ...) so realtime
// connections authenticated by it can be dropped.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { PendingStep } from '../../../shared/schemas/auth.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { UserRecord, KioskTokenRecord } from '../db/repositories/security-repositories.ts';
import type { SessionRecord } from '../db/repositories/sessions-repository.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { DEFAULT_COST, hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../domain/password-hash.ts';
import { passwordProblems } from '../domain/password-policy.ts';
import { isLocked, pendingSteps, sessionState, shouldTouch } from '../domain/session-rules.ts';
import { requiresTotp } from '../domain/roles.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../domain/totp.ts';
import type { SecurityOptions } from '../security-config.ts';
import type { Principal, RequestContext, SessionEnded } from './principal.ts';

export const SESSION_COOKIE = 'gcc_session';
const KIOSK_TOKEN_PREFIX = 'kiosk-token:';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/**
 * 32 random bytes, base64url. Never starting with `gik_`: the auth hook routes
 * such bearer tokens to integration keys, so a kiosk token may not look like one.
 */
export const newSecretToken = (): string => {
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    if (!token.startsWith('gik_')) return token;
  }
};

export type SignInResult =
  | { ok: true; token: string; principal: Principal }
  | { ok: false; reason: 'invalid' | 'totp-required' | 'totp-invalid' };

export interface HandshakeInput {
  headers?: Record<string, string | string[] | undefined>;
  auth?: Record<string, unknown>;
}

function parseCookies(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (Array.isArray(header) ? header.join(';') : header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      /* malformed value: ignore the cookie */
    }
  }
  return out;
}

export type AuthService = ReturnType<typeof createAuthService>;

/** How long a session read answers the same session's next requests (see readSession). */
const SESSION_READ_REUSE_MS = 1_000;

interface SessionRead {
  session: SessionRecord;
  owner: UserRecord | undefined;
  kiosk: KioskTokenRecord | undefined;
}

export function createAuthService(repos: Repositories, cipher: FieldCipher, options: SecurityOptions) {
  const events = new EventEmitter();
  const now = () => options.clock();

  const announce = (ended: SessionEnded) => events.emit('sessionEnded', ended);

  // When this process last wrote each session's last_seen_at. Requests of one
  // session arriving together all read the same old time; without this each
  // of them would UPDATE the same row and queue on its lock (a duty desk or a
  // gateway posting in parallel). One write per session per step is enough
  // for an idle timeout counted in minutes.
  const touched = new Map<string, Date>();
  /** The newer of the last-seen time read and the one this process last wrote. */
  function lastSeenOf(sessionId: string, seenAt: Date): Date {
    const mine = touched.get(sessionId);
    return mine && mine > seenAt ? mine : seenAt;
  }

  function touchOnce(sessionId: string, seenAt: Date, at: Date): Promise<void> | undefined {
    if (!shouldTouch(lastSeenOf(sessionId, seenAt), at)) return undefined;
    // Bounded: forget everything now and then rather than keep ended sessions (the cost is one extra write each).
    if (touched.size >= 10_000) touched.clear();
    touched.set(sessionId, at);
    return repos.sessions.touch(sessionId, at);
  }

  // Sessions read in the last SESSION_READ_REUSE_MS, by token hash: a screen, a duty desk or a
  // gateway sends many requests a second on one session, and reading the session and its
  // account (two queries, each waking a database process) was a large share of a report's
  // cost. A remembered read is used only while no account, session or kiosk-token write has
  // happened in this process since (accountsEpoch), so signing out, disabling an account or a
  // role change here take effect at once; a write by another process, within the reuse time.
  const remembered = new Map<string, SessionRead & { epoch: number; readAt: number }>();

  async function readSession(hash: string, fresh: boolean): Promise<(SessionRead & { remembered: boolean }) | undefined> {
    const hit = remembered.get(hash);
    if (!fresh && hit && hit.epoch === repos.accountsEpoch() && performance.now() - hit.readAt < SESSION_READ_REUSE_MS) {
      return { ...hit, remembered: true };
    }
    const epoch = repos.accountsEpoch();
    const session = await repos.sessions.byTokenHash(hash);
    if (!session) return undefined;
    const owner = session.userId !== null ? await repos.users.byId(session.userId) : undefined;
    const kiosk = session.kioskTokenId !== null ? await repos.kioskTokens.byId(session.kioskTokenId) : undefined;
    // Bounded, and only live sessions: unknown tokens are not kept (anyone can send those).
    if (remembered.size >= 10_000) remembered.clear();
    if (!session.endedAt) remembered.set(hash, { session, owner, kiosk, epoch, readAt: performance.now() });
    else remembered.delete(hash);
    return { session, owner, kiosk, remembered: false };
  }

  /** Why this session is over now, or null while it is live. */
  function judge({ session, owner, kiosk }: SessionRead, at: Date): string | null {
    const lastSeenAt = lastSeenOf(session.id, session.lastSeenAt);
    const idleMs = owner ? idleLimitFor(owner.role) : 0;
    const state = sessionState({ ...session, lastSeenAt }, at, { idleMs, absoluteMs: owner ? options.sessionMaxMs : 0 });
    if (state !== 'active') return state;
    if (owner?.disabled) return 'account disabled';
    if (kiosk?.revokedAt) return 'kiosk token revoked';
    if (!owner && !kiosk) return 'owner missing';
    return null;
  }

  function userPrincipal(user: UserRecord, sessionId: string, viaCookie: boolean): Principal {
    return {
      sessionId,
      userId: user.id,
      kioskTokenId: null,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      scope: user.scope,
      unitCode: user.unitCode,
      gridCode: user.gridCode,
      pending: pendingSteps(user, now(), options.passwordMaxAgeDays),
      totpEnabled: user.totpEnabled,
      viaCookie,
    };
  }

  function kioskPrincipal(token: KioskTokenRecord, sessionId: string, viaCookie: boolean): Principal {
    return {
      sessionId,
      userId: null,
      kioskTokenId: token.id,
      username: `kiosk:${token.name}`,
      displayName: token.name,
      role: 'kiosk',
      scope: token.scope,
      unitCode: null,
      gridCode: null,
      pending: [],
      totpEnabled: false,
      viaCookie,
    };
  }

  const actorOf = (p: Principal | null | undefined, ctx: RequestContext | null) => ({
    actorId: p?.userId ?? null,
    actor: p?.username ?? null,
    role: p?.role ?? null,
    scope: p?.scope ?? null,
    sourceIp: ctx?.ip ?? null,
  });

  async function openSession(userId: number | null, kioskTokenId: number | null, ctx: RequestContext) {
    const token = newSecretToken();
    const id = randomUUID();
    await repos.sessions.insert({ id, tokenHash: sha256(token), userId, kioskTokenId, sourceIp: ctx.ip, userAgent: ctx.userAgent }, now());
    return { id, token };
  }

  /** Password-signed-in kiosk accounts stay up without clicks; other sessions idle out. */
  const idleLimitFor = (role: string) => (role === 'kiosk' ? 0 : options.idleTimeoutMs);

  async function endAndAnnounce(ids: string[], userId: number | null, kioskTokenId: number | null, reason: string) {
    for (const sessionId of ids) announce({ sessionId, userId, kioskTokenId, reason });
  }

  const service = {
    events,
    /** Subscribes to sessions ending; returns the unsubscribe function. */
    onSessionEnded(listener: (ended: SessionEnded) => void): () => void {
      events.on('sessionEnded', listener);
      return () => events.off('sessionEnded', listener);
    },

    async signIn(input: { username: string; password: string; totp?: string }, ctx: RequestContext): Promise<SignInResult> {
      const at = now();
      const user = await repos.users.byUsername(input.username);
      const fail = async (detail: string, counted: boolean, reason: 'invalid' | 'totp-required' | 'totp-invalid' = 'invalid'): Promise<SignInResult> => {
        if (user && counted) await repos.users.recordFailure(user.id, at, options.maxFailedSignIns, options.lockoutMs);
        const after = user && counted ? await repos.users.byId(user.id) : undefined;
        const lockedNow = after ? isLocked(after.lockedUntil, at) && !isLocked(user!.lockedUntil, at) : false;
        await repos.audit.append({
          actorId: user?.id ?? null, actor: input.username.slice(0, 64), role: user?.role ?? null, scope: user?.scope ?? null,
          sourceIp: ctx.ip, action: 'auth.login', targetType: 'account', targetId: user ? String(user.id) : null,
          result: 'failure', detail: lockedNow ? `${detail}; account locked` : detail,
        });
        return { ok: false, reason };
      };
      // Unknown, disabled and locked accounts cost the same scrypt time and get the same answer as a wrong password.
      if (!user) return verifyAgainstDummy(input.password).then(() => fail('unknown username', false));
      if (user.disabled) return verifyAgainstDummy(input.password).then(() => fail('account disabled', false));
      if (isLocked(user.lockedUntil, at)) return verifyAgainstDummy(input.password).then(() => fail('account locked', false));
      if (!(await verifyPassword(input.password, user.passwordHash))) return fail('wrong password', true);

      let totpStep: number | null = null;
      if (user.totpEnabled && user.totpSecretEnc) {
        if (!input.totp) return fail('one-time code required', false, 'totp-required');
        totpStep = verifyTotp(cipher.decrypt(user.totpSecretEnc), input.totp, at, user.totpLastStep);
        if (totpStep === null) return fail('wrong one-time code', true, 'totp-invalid');
      }
      await repos.users.recordSuccess(user.id, totpStep);
      if (needsRehash(user.passwordHash)) await repos.users.upgradeHash(user.id, await hashPassword(input.password, DEFAULT_COST));
      const session = await openSession(user.id, null, ctx);
      const principal = userPrincipal(user, session.id, true);
      await repos.audit.append({ ...actorOf(principal, ctx), action: 'auth.login', targetType: 'account', targetId: String(user.id), result: 'success',
        detail: principal.pending.length ? `pending: ${principal.pending.join(', ')}` : null });
      return { ok: true, token: session.token, principal };
    },

    /** The principal behind a session cookie value, or null; ends (and announces) a session found stale. */
    async authenticateSession(token: string | undefined, viaCookie = true): Promise<Principal | null> {
      if (!token || token.length > 200) return null;
      const hash = sha256(token);
      const at = now();
      let read = await readSession(hash, false);
      let endReason = read && judge(read, at);
      // A session that looks over by a remembered read is read again before it is ended.
      if (endReason && read?.remembered) {
        read = await readSession(hash, true);
        endReason = read && judge(read, at);
      }
      if (!read) return null;
      const { session, owner, kiosk } = read;
      if (endReason) {
        if (await repos.sessions.end(session.id, endReason, at)) {
          announce({ sessionId: session.id, userId: session.userId, kioskTokenId: session.kioskTokenId, reason: endReason });
        }
        return null;
      }
      await touchOnce(session.id, session.lastSeenAt, at);
      return owner ? userPrincipal(owner, session.id, viaCookie) : kioskPrincipal(kiosk!, session.id, viaCookie);
    },

    /** A bare kiosk token (Authorization: Bearer, or a socket's auth.kioskToken): read-only, no session row. */
    async authenticateKioskToken(token: string | undefined): Promise<Principal | null> {
      if (!token || token.length > 200) return null;
      const record = await repos.kioskTokens.activeByHash(sha256(token));
      if (!record) return null;
      await repos.kioskTokens.touch(record.id, now());
      return kioskPrincipal(record, `${KIOSK_TOKEN_PREFIX}${record.id}`, false);
    },

    /**
     * For Socket.IO: the session cookie in the handshake headers, or
     * `auth.kioskToken`. Null means refuse the connection.
     */
    async authenticateHandshake(input: HandshakeInput): Promise<Principal | null> {
      const kioskToken = input.auth?.kioskToken;
      if (typeof kioskToken === 'string') return service.authenticateKioskToken(kioskToken);
      const cookie = parseCookies(input.headers?.cookie)[SESSION_COOKIE];
      return service.authenticateSession(cookie, true);
    },

    /** The kiosk URL's token traded for a read-only session cookie. */
    async exchangeKioskToken(token: string, ctx: RequestContext): Promise<{ token: string; principal: Principal } | null> {
      const record = await repos.kioskTokens.activeByHash(sha256(token));
      if (!record) {
        await repos.audit.append({ sourceIp: ctx.ip, action: 'auth.kiosk', result: 'failure', detail: 'unknown or revoked kiosk token' });
        return null;
      }
      await repos.kioskTokens.touch(record.id, now());
      const session = await openSession(null, record.id, ctx);
      const principal = kioskPrincipal(record, session.id, true);
      await repos.audit.append({ ...actorOf(principal, ctx), action: 'auth.kiosk', targetType: 'kiosk-token', targetId: String(record.id), result: 'success' });
      return { token: session.token, principal };
    },

    async signOut(principal: Principal, ctx: RequestContext): Promise<void> {
      if (principal.sessionId.startsWith(KIOSK_TOKEN_PREFIX)) return;
      if (await repos.sessions.end(principal.sessionId, 'signed out', now())) {
        announce({ sessionId: principal.sessionId, userId: principal.userId, kioskTokenId: principal.kioskTokenId, reason: 'signed out' });
      }
      await repos.audit.append({ ...actorOf(principal, ctx), action: 'auth.logout', targetType: 'session', targetId: principal.sessionId, result: 'success' });
    },

    /** Ends every session of an account (disabled, password reset, role changed); announces each. */
    async endUserSessions(userId: number, reason: string, exceptSessionId?: string): Promise<number> {
      const ids = await repos.sessions.endForUser(userId, reason, now(), exceptSessionId);
      await endAndAnnounce(ids, userId, null, reason);
      return ids.length;
    },

    async endKioskSessions(kioskTokenId: number, reason: string): Promise<void> {
      const ids = await repos.sessions.endForKioskToken(kioskTokenId, reason, now());
      service.announceKioskEnded(ids, kioskTokenId, reason);
    },

    /** Announces a kiosk token's ended sessions, and the sockets that presented the bare token. */
    announceKioskEnded(ids: string[], kioskTokenId: number, reason: string): void {
      for (const sessionId of ids) announce({ sessionId, userId: null, kioskTokenId, reason });
      // Sockets that presented the bare token are named after it.
      announce({ sessionId: `${KIOSK_TOKEN_PREFIX}${kioskTokenId}`, userId: null, kioskTokenId, reason });
    },

    /** Tells realtime connections that these sessions (ended inside a committed transaction) are over. */
    announceEnded(ids: string[], userId: number | null, kioskTokenId: number | null, reason: string): void {
      for (const sessionId of ids) announce({ sessionId, userId, kioskTokenId, reason });
    },

    /**
     * Ends sessions that went idle or expired, so their sockets learn it
     * without waiting for a request, then deletes every ended session row
     * (the audit log keeps who signed in and out). Runs at start and every
     * sweepIntervalMs.
     */
    async sweep(): Promise<{ ended: number; purged: number }> {
      const at = now();
      const ended = await repos.sessions.endStale(at, options.idleTimeoutMs, options.sessionMaxMs);
      for (const { id, userId, reason } of ended) announce({ sessionId: id, userId, kioskTokenId: null, reason });
      const purged = await repos.sessions.purgeEnded(at);
      return { ended: ended.length, purged };
    },

    async changePassword(principal: Principal, current: string, next: string, ctx: RequestContext): Promise<{ ok: true } | { ok: false; status: 400 | 401; message: string }> {
      const user = principal.userId !== null ? await repos.users.byId(principal.userId) : undefined;
      if (!user) return { ok: false, status: 400, message: 'this session has no password' };
      const audit = (result: 'success' | 'failure', detail: string | null) =>
        repos.audit.append({ ...actorOf(principal, ctx), action: 'account.password-change', targetType: 'account', targetId: String(user.id), result, detail });
      if (!(await verifyPassword(current, user.passwordHash))) {
        await repos.users.recordFailure(user.id, now(), options.maxFailedSignIns, options.lockoutMs);
        await audit('failure', 'wrong current password');
        return { ok: false, status: 401, message: 'the current password is wrong' };
      }
      const problems = passwordProblems(next, user.username);
      if (!problems.length) {
        for (const old of [user.passwordHash, ...(await repos.users.passwordHistory(user.id))]) {
          if (await verifyPassword(next, old)) {
            problems.push('must differ from your last 5 passwords');
            break;
          }
        }
      }
      if (problems.length) {
        await audit('failure', `policy: ${problems.join('; ')}`);
        return { ok: false, status: 400, message: `new password ${problems.join('; ')}` };
      }
      const hash = await hashPassword(next);
      // Other sessions may have been opened with the old password by someone else.
      const ended = await repos.transaction(async (tx) => {
        await tx.users.setPassword(user.id, hash, false, now());
        const ids = await tx.sessions.endForUser(user.id, 'password changed', now(), principal.sessionId);
        await tx.audit.append({ ...actorOf(principal, ctx), action: 'account.password-change', targetType: 'account', targetId: String(user.id), result: 'success' });
        return ids;
      });
      service.announceEnded(ended, user.id, null, 'password changed');
      return { ok: true };
    },

    /** Starts TOTP enrolment: a new secret, stored (encrypted) but not enabled until confirmed. */
    async totpSetup(principal: Principal, ctx: RequestContext): Promise<{ secret: string; uri: string } | null> {
      const user = principal.userId !== null ? await repos.users.byId(principal.userId) : undefined;
      if (!user || user.totpEnabled) return null;
      const secret = newTotpSecret();
      await repos.users.setTotp(user.id, cipher.encrypt(secret), false, null, now());
      await repos.audit.append({ ...actorOf(principal, ctx), action: 'account.totp-setup', targetType: 'account', targetId: String(user.id), result: 'success' });
      return { secret, uri: totpUri(secret, user.username) };
    },

    async totpConfirm(principal: Principal, code: string, ctx: RequestContext): Promise<boolean> {
      const user = principal.userId !== null ? await repos.users.byId(principal.userId) : undefined;
      if (!user || user.totpEnabled || !user.totpSecretEnc) return false;
      const step = verifyTotp(cipher.decrypt(user.totpSecretEnc), code, now(), null);
      const record = { ...actorOf(principal, ctx), action: 'account.totp-enable', targetType: 'account', targetId: String(user.id) };
      if (step === null) {
        await repos.audit.append({ ...record, result: 'failure' });
        return false;
      }
      await repos.transaction(async (tx) => {
        await tx.users.setTotp(user.id, user.totpSecretEnc, true, step, now());
        await tx.audit.append({ ...record, result: 'success', before: { totpEnabled: false }, after: { totpEnabled: true } });
      });
      return true;
    },

    /**
     * The holder removes their own second factor, proving both factors once
     * more. Administrators cannot: for them it is required (the security
     * administrator resets a lost one).
     */
    async totpDisable(principal: Principal, password: string, code: string, ctx: RequestContext): Promise<{ ok: true } | { ok: false; status: 400 | 401 | 403; message: string }> {
      const user = principal.userId !== null ? await repos.users.byId(principal.userId) : undefined;
      if (!user) return { ok: false, status: 400, message: 'this session has no account' };
      if (requiresTotp(user.role)) return { ok: false, status: 403, message: 'your role requires a second factor; the security administrator can reset a lost one' };
      if (!user.totpEnabled || !user.totpSecretEnc) return { ok: false, status: 400, message: 'no second factor is enabled' };
      const record = { ...actorOf(principal, ctx), action: 'account.totp-disable', targetType: 'account', targetId: String(user.id) };
      const at = now();
      const step = (await verifyPassword(password, user.passwordHash)) ? verifyTotp(cipher.decrypt(user.totpSecretEnc), code, at, user.totpLastStep) : null;
      if (step === null) {
        await repos.users.recordFailure(user.id, at, options.maxFailedSignIns, options.lockoutMs);
        await repos.audit.append({ ...record, result: 'failure', detail: 'wrong password or one-time code' });
        return { ok: false, status: 401, message: 'the password or the one-time code is wrong' };
      }
      await repos.transaction(async (tx) => {
        await tx.users.setTotp(user.id, null, false, null, at);
        await tx.audit.append({ ...record, result: 'success', before: { totpEnabled: true }, after: { totpEnabled: false } });
      });
      return { ok: true };
    },

    pendingOf(principal: Principal): PendingStep[] {
      return principal.pending;
    },
  };
  return service;
}
