// What the administrators do to accounts and kiosk tokens. Each change is
// audited with before/after (never a hash or a secret) and ends the target's
// sessions when it changes what they may do. The three administrator roles
// are never created or granted here: only the create-admin command makes
// them, so no administrator can mint another administrator. A change, the
// sessions it ends and its audit row are written in one transaction: if the
// audit row cannot be written, the change does not happen; sockets are told
// only after the commit.
import type { Account, CreateAccountBody, GrantBody, KioskTokenInfo, Role, Scope, ScopeInput } from '../../../shared/schemas/auth.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { KioskTokenRecord, UserRecord } from '../db/repositories/security-repositories.ts';
import { hashPassword } from '../domain/password-hash.ts';
import { passwordProblems } from '../domain/password-policy.ts';
import { allowedScopeLevels, isAdminRole, roleNeeds } from '../domain/roles.ts';
import { canAccess } from '../domain/scope.ts';
import { isLocked } from '../domain/session-rules.ts';
import type { SecurityOptions } from '../security-config.ts';
import type { AuthService } from './auth-service.ts';
import { newSecretToken, sha256 } from './auth-service.ts';
import { HttpError } from './http-error.ts';
import type { Principal, RequestContext } from './principal.ts';

export function toAccount(user: UserRecord, now: Date): Account {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scope: user.scope,
    unitCode: user.unitCode,
    gridCode: user.gridCode,
    disabled: user.disabled,
    locked: isLocked(user.lockedUntil, now),
    totpEnabled: user.totpEnabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toKioskTokenInfo(t: KioskTokenRecord): KioskTokenInfo {
  return {
    id: t.id, name: t.name, scope: t.scope, createdBy: t.createdBy, createdAt: t.createdAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps of an account: who and what it may do, nothing secret. */
const auditView = (a: Account) => ({ username: a.username, role: a.role, scope: a.scope, unitCode: a.unitCode, gridCode: a.gridCode, disabled: a.disabled });

export type AccountsService = ReturnType<typeof createAccountsService>;

/** The name of the kiosk token demo mode issues at start for the district big screen. */
export const DEMO_KIOSK_NAME = 'kiosk.district';

export function createAccountsService(repos: Repositories, auth: AuthService, options: SecurityOptions) {
  const now = () => options.clock();
  const actor = (p: Principal, ctx: RequestContext) => ({ actorId: p.userId, actor: p.username, role: p.role, scope: p.scope, sourceIp: ctx.ip });

  async function target(id: number): Promise<UserRecord> {
    const user = await repos.users.byId(id);
    if (!user) throw new HttpError(404, `account ${id} does not exist`);
    return user;
  }

  /** Checks a role/scope/unit/grid combination and returns the scope it resolves to. */
  async function checkGrant(role: Role, scopeInput: ScopeInput, unitCode: string | undefined, gridCode: string | undefined): Promise<Scope> {
    if (isAdminRole(role)) throw new HttpError(403, 'administrator accounts are created only with the create-admin command');
    if (!allowedScopeLevels(role).includes(scopeInput.level)) {
      throw new HttpError(400, `role ${role} takes a scope of level ${allowedScopeLevels(role).join(' or ')}`);
    }
    const scope = await repos.areas.resolveScope(scopeInput);
    if (!scope) throw new HttpError(400, 'the scope names a town or community that does not exist');
    const needs = roleNeeds(role);
    if (needs.unit !== (unitCode !== undefined)) throw new HttpError(400, needs.unit ? 'role unit_member needs a unitCode' : 'only unit_member takes a unitCode');
    if (needs.grid !== (gridCode !== undefined)) throw new HttpError(400, needs.grid ? 'role field_worker needs a gridCode' : 'only field_worker takes a gridCode');
    if (unitCode !== undefined && !(await repos.units.exists(unitCode))) throw new HttpError(400, `handling unit ${unitCode} does not exist`);
    if (gridCode !== undefined) {
      const area = await repos.areas.gridArea(gridCode);
      if (!area) throw new HttpError(400, `grid ${gridCode} does not exist`);
      if (!canAccess(scope, area)) throw new HttpError(400, `grid ${gridCode} is not inside the account's scope`);
    }
    return scope;
  }

  type Actor = ReturnType<typeof actor>;

  async function revokeKiosk(id: number, byUserId: number, who: Actor): Promise<KioskTokenInfo> {
    const { revoked, ended } = await repos.transaction(async (tx) => {
      const done = await tx.kioskTokens.revoke(id, byUserId, now());
      const ids = await tx.sessions.endForKioskToken(id, 'kiosk token revoked', now());
      await tx.audit.append({ ...who, action: 'kiosk-token.revoke', targetType: 'kiosk-token', targetId: String(id),
        result: done ? 'success' : 'failure', detail: done ? null : 'already revoked' });
      return { revoked: done, ended: ids };
    });
    if (revoked || ended.length) auth.announceKioskEnded(ended, id, 'kiosk token revoked');
    return toKioskTokenInfo((await repos.kioskTokens.byId(id))!);
  }

  function checkPassword(password: string, username: string) {
    const problems = passwordProblems(password, username);
    if (problems.length) throw new HttpError(400, `password ${problems.join('; ')}`);
  }

  return {
    /** The list adds each account's last sign-in (the single-account replies leave it out). */
    async list(): Promise<Account[]> {
      const at = now();
      const [list, lastSignIns] = await Promise.all([repos.users.list(), repos.users.lastSignIns()]);
      return list.map((u) => ({ ...toAccount(u, at), lastSignInAt: lastSignIns.get(u.id)?.toISOString() ?? null }));
    },

    async create(by: Principal, body: CreateAccountBody, ctx: RequestContext): Promise<Account> {
      const scope = await checkGrant(body.role, body.scope, body.unitCode, body.gridCode);
      checkPassword(body.password, body.username);
      const passwordHash = await hashPassword(body.password);
      return repos.transaction(async (tx) => {
        const created = await tx.users.create({
          username: body.username, displayName: body.displayName, role: body.role, scope,
          unitCode: body.unitCode ?? null, gridCode: body.gridCode ?? null, passwordHash, mustChangePassword: true,
        }, now());
        if (!created) throw new HttpError(409, `username ${body.username} is taken`);
        const account = toAccount(created, now());
        await tx.audit.append({ ...actor(by, ctx), action: 'account.create', targetType: 'account', targetId: String(created.id), after: auditView(account), result: 'success' });
        return account;
      });
    },

    /** A permission change: role, scope, unit, grid. The security administrator's job. */
    async grant(by: Principal, id: number, body: GrantBody, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot change your own role or scope');
      if (isAdminRole(user.role)) throw new HttpError(403, 'administrator accounts are managed only with the create-admin command');
      const scope = await checkGrant(body.role, body.scope, body.unitCode, body.gridCode);
      const before = toAccount(user, now());
      const { after, ended } = await repos.transaction(async (tx) => {
        await tx.users.setGrant(id, { role: body.role, scope, unitCode: body.unitCode ?? null, gridCode: body.gridCode ?? null }, now());
        const changed = toAccount((await tx.users.byId(id))!, now());
        // Open sessions and sockets carry the old scope: end them.
        const ids = await tx.sessions.endForUser(id, 'permissions changed', now());
        await tx.audit.append({ ...actor(by, ctx), action: 'account.grant', targetType: 'account', targetId: String(id),
          before: auditView(before), after: auditView(changed), result: 'success' });
        return { after: changed, ended: ids };
      });
      auth.announceEnded(ended, id, null, 'permissions changed');
      return after;
    },

    async setDisabled(by: Principal, id: number, disabled: boolean, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot disable or enable your own account');
      const before = toAccount(user, now());
      const { after, ended } = await repos.transaction(async (tx) => {
        await tx.users.setDisabled(id, disabled, now());
        const ids = disabled ? await tx.sessions.endForUser(id, 'account disabled', now()) : [];
        const changed = toAccount((await tx.users.byId(id))!, now());
        await tx.audit.append({ ...actor(by, ctx), action: disabled ? 'account.disable' : 'account.enable', targetType: 'account', targetId: String(id),
          before: auditView(before), after: auditView(changed), result: 'success' });
        return { after: changed, ended: ids };
      });
      auth.announceEnded(ended, id, null, 'account disabled');
      return after;
    },

    async resetPassword(by: Principal, id: number, password: string, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'change your own password with POST /api/v1/auth/password');
      checkPassword(password, user.username);
      const hash = await hashPassword(password);
      const { account, ended } = await repos.transaction(async (tx) => {
        await tx.users.setPassword(id, hash, true, now());
        const ids = await tx.sessions.endForUser(id, 'password reset', now());
        await tx.audit.append({ ...actor(by, ctx), action: 'account.password-reset', targetType: 'account', targetId: String(id), result: 'success' });
        return { account: toAccount((await tx.users.byId(id))!, now()), ended: ids };
      });
      auth.announceEnded(ended, id, null, 'password reset');
      return account;
    },

    async unlock(by: Principal, id: number, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      return repos.transaction(async (tx) => {
        await tx.users.unlock(id, now());
        await tx.audit.append({ ...actor(by, ctx), action: 'account.unlock', targetType: 'account', targetId: String(id),
          before: { locked: isLocked(user.lockedUntil, now()), failedAttempts: user.failedAttempts }, after: { locked: false, failedAttempts: 0 }, result: 'success' });
        return toAccount((await tx.users.byId(id))!, now());
      });
    },

    async resetTotp(by: Principal, id: number, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot reset your own second factor');
      const { account, ended } = await repos.transaction(async (tx) => {
        await tx.users.setTotp(id, null, false, null, now());
        const ids = await tx.sessions.endForUser(id, 'second factor reset', now());
        await tx.audit.append({ ...actor(by, ctx), action: 'account.totp-reset', targetType: 'account', targetId: String(id),
          before: { totpEnabled: user.totpEnabled }, after: { totpEnabled: false }, result: 'success' });
        return { account: toAccount((await tx.users.byId(id))!, now()), ended: ids };
      });
      auth.announceEnded(ended, id, null, 'second factor reset');
      return account;
    },

    async listKioskTokens(): Promise<KioskTokenInfo[]> {
      return (await repos.kioskTokens.list()).map(toKioskTokenInfo);
    },

    async issueKioskToken(by: Principal, name: string, scopeInput: ScopeInput, ctx: RequestContext): Promise<{ token: KioskTokenInfo; secret: string }> {
      const scope = await repos.areas.resolveScope(scopeInput);
      if (!scope) throw new HttpError(400, 'the scope names a town or community that does not exist');
      const secret = newSecretToken();
      const token = await repos.transaction(async (tx) => {
        const record = await tx.kioskTokens.insert({ name, tokenHash: sha256(secret), scope, createdBy: by.userId! }, now());
        await tx.audit.append({ ...actor(by, ctx), action: 'kiosk-token.issue', targetType: 'kiosk-token', targetId: String(record.id),
          after: { name, scope }, result: 'success' });
        return toKioskTokenInfo(record);
      });
      return { token, secret };
    },

    async revokeKioskToken(by: Principal, id: number, ctx: RequestContext): Promise<KioskTokenInfo> {
      const record = await repos.kioskTokens.byId(id);
      if (!record) throw new HttpError(404, `kiosk token ${id} does not exist`);
      return revokeKiosk(id, by.userId!, actor(by, ctx));
    },

    /**
     * Demo mode only: a fresh kiosk token for the district big screen, issued
     * on behalf of the demo `sysadmin` at every start (the previous demo token
     * is revoked), so the start-up banner can print a wall-screen URL.
     * Returns the secret, or null when there is no demo sysadmin.
     */
    async issueDemoKioskToken(): Promise<string | null> {
      const sysadmin = await repos.users.byUsername('sysadmin');
      if (!sysadmin?.demo) return null;
      const system = { actorId: sysadmin.id, actor: 'sysadmin', role: sysadmin.role, scope: sysadmin.scope, sourceIp: null };
      for (const old of await repos.kioskTokens.list()) {
        if (old.name === DEMO_KIOSK_NAME && !old.revokedAt) await revokeKiosk(old.id, sysadmin.id, system);
      }
      const secret = newSecretToken();
      const scope = { level: 'district' } as const;
      await repos.transaction(async (tx) => {
        const record = await tx.kioskTokens.insert({ name: DEMO_KIOSK_NAME, tokenHash: sha256(secret), scope, createdBy: sysadmin.id }, now());
        await tx.audit.append({ ...system, action: 'kiosk-token.issue', targetType: 'kiosk-token', targetId: String(record.id),
          after: { name: DEMO_KIOSK_NAME, scope }, result: 'success', detail: 'demo start-up' });
      });
      return secret;
    },
  };
}
