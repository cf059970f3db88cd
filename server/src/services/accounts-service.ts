// What the administrators do to accounts and kiosk tokens. Each change is
// audited with before/after (never a hash or a secret) and ends the target's
// sessions when it changes what they may do. The three administrator roles
// are never created or granted here: only the create-admin command makes
// them, so no administrator can mint another administrator.
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

  function checkPassword(password: string, username: string) {
    const problems = passwordProblems(password, username);
    if (problems.length) throw new HttpError(400, `password ${problems.join('; ')}`);
  }

  return {
    async list(): Promise<Account[]> {
      const at = now();
      return (await repos.users.list()).map((u) => toAccount(u, at));
    },

    async create(by: Principal, body: CreateAccountBody, ctx: RequestContext): Promise<Account> {
      const scope = await checkGrant(body.role, body.scope, body.unitCode, body.gridCode);
      checkPassword(body.password, body.username);
      const created = await repos.users.create({
        username: body.username, displayName: body.displayName, role: body.role, scope,
        unitCode: body.unitCode ?? null, gridCode: body.gridCode ?? null,
        passwordHash: await hashPassword(body.password), mustChangePassword: true,
      }, now());
      if (!created) throw new HttpError(409, `username ${body.username} is taken`);
      const account = toAccount(created, now());
      await repos.audit.append({ ...actor(by, ctx), action: 'account.create', targetType: 'account', targetId: String(created.id), after: auditView(account), result: 'success' });
      return account;
    },

    /** A permission change: role, scope, unit, grid. The security administrator's job. */
    async grant(by: Principal, id: number, body: GrantBody, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot change your own role or scope');
      if (isAdminRole(user.role)) throw new HttpError(403, 'administrator accounts are managed only with the create-admin command');
      const scope = await checkGrant(body.role, body.scope, body.unitCode, body.gridCode);
      const before = toAccount(user, now());
      await repos.users.setGrant(id, { role: body.role, scope, unitCode: body.unitCode ?? null, gridCode: body.gridCode ?? null }, now());
      const after = toAccount((await repos.users.byId(id))!, now());
      // Open sessions and sockets carry the old scope: end them.
      await auth.endUserSessions(id, 'permissions changed');
      await repos.audit.append({ ...actor(by, ctx), action: 'account.grant', targetType: 'account', targetId: String(id),
        before: auditView(before), after: auditView(after), result: 'success' });
      return after;
    },

    async setDisabled(by: Principal, id: number, disabled: boolean, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot disable or enable your own account');
      const before = toAccount(user, now());
      await repos.users.setDisabled(id, disabled, now());
      if (disabled) await auth.endUserSessions(id, 'account disabled');
      const after = toAccount((await repos.users.byId(id))!, now());
      await repos.audit.append({ ...actor(by, ctx), action: disabled ? 'account.disable' : 'account.enable', targetType: 'account', targetId: String(id),
        before: auditView(before), after: auditView(after), result: 'success' });
      return after;
    },

    async resetPassword(by: Principal, id: number, password: string, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'change your own password with POST /api/v1/auth/password');
      checkPassword(password, user.username);
      await repos.users.setPassword(id, await hashPassword(password), true, now());
      await auth.endUserSessions(id, 'password reset');
      await repos.audit.append({ ...actor(by, ctx), action: 'account.password-reset', targetType: 'account', targetId: String(id), result: 'success' });
      return toAccount((await repos.users.byId(id))!, now());
    },

    async unlock(by: Principal, id: number, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      await repos.users.unlock(id, now());
      await repos.audit.append({ ...actor(by, ctx), action: 'account.unlock', targetType: 'account', targetId: String(id),
        before: { locked: isLocked(user.lockedUntil, now()), failedAttempts: user.failedAttempts }, after: { locked: false, failedAttempts: 0 }, result: 'success' });
      return toAccount((await repos.users.byId(id))!, now());
    },

    async resetTotp(by: Principal, id: number, ctx: RequestContext): Promise<Account> {
      const user = await target(id);
      if (user.id === by.userId) throw new HttpError(403, 'you cannot reset your own second factor');
      await repos.users.setTotp(id, null, false, null, now());
      await auth.endUserSessions(id, 'second factor reset');
      await repos.audit.append({ ...actor(by, ctx), action: 'account.totp-reset', targetType: 'account', targetId: String(id),
        before: { totpEnabled: user.totpEnabled }, after: { totpEnabled: false }, result: 'success' });
      return toAccount((await repos.users.byId(id))!, now());
    },

    async listKioskTokens(): Promise<KioskTokenInfo[]> {
      return (await repos.kioskTokens.list()).map(toKioskTokenInfo);
    },

    async issueKioskToken(by: Principal, name: string, scopeInput: ScopeInput, ctx: RequestContext): Promise<{ token: KioskTokenInfo; secret: string }> {
      const scope = await repos.areas.resolveScope(scopeInput);
      if (!scope) throw new HttpError(400, 'the scope names a town or community that does not exist');
      const secret = newSecretToken();
      const record = await repos.kioskTokens.insert({ name, tokenHash: sha256(secret), scope, createdBy: by.userId! }, now());
      const token = toKioskTokenInfo(record);
      await repos.audit.append({ ...actor(by, ctx), action: 'kiosk-token.issue', targetType: 'kiosk-token', targetId: String(record.id),
        after: { name, scope }, result: 'success' });
      return { token, secret };
    },

    async revokeKioskToken(by: Principal, id: number, ctx: RequestContext): Promise<KioskTokenInfo> {
      const record = await repos.kioskTokens.byId(id);
      if (!record) throw new HttpError(404, `kiosk token ${id} does not exist`);
      const revoked = await repos.kioskTokens.revoke(id, by.userId!, now());
      await auth.endKioskSessions(id, 'kiosk token revoked');
      await repos.audit.append({ ...actor(by, ctx), action: 'kiosk-token.revoke', targetType: 'kiosk-token', targetId: String(id),
        result: revoked ? 'success' : 'failure', detail: revoked ? null : 'already revoked' });
      return toKioskTokenInfo((await repos.kioskTokens.byId(id))!);
    },
  };
}
