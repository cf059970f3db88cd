// The accounts / sessions / audit repositories bound to one pool; spread into
// createRepositories() so they live under app.repos like the others.
// `transaction(work)` hands `work` the same repositories bound to one client
// inside one transaction: an account change and its audit row commit together
// or not at all.
import type pg from 'pg';
import type { AuditQuery, Role, Scope, ScopeInput } from '../../../../shared/schemas/auth.ts';
import * as areas from './areas-repository.ts';
import { inTransaction, type Queryable } from './db.ts';
import * as audit from './audit-repository.ts';
import * as kiosk from './kiosk-tokens-repository.ts';
import * as sessions from './sessions-repository.ts';
import * as staff from './staff-repository.ts';
import * as units from './units-repository.ts';
import * as users from './users-repository.ts';

export function createSecurityRepositories(pool: pg.Pool) {
  const epoch = new AccountsEpoch();
  return {
    ...bindSecurityRepositories(pool, epoch),
    transaction: <T>(work: (tx: BoundSecurityRepositories) => Promise<T>): Promise<T> =>
      epoch.after(inTransaction(pool, (client) => work(bindSecurityRepositories(client, epoch)))),
    /**
     * Moves on after every write that can change who a session's principal is (an account,
     * a session ended, a kiosk token revoked) in this process, once the write is done
     * (and again when its transaction commits): a principal cached at an older value is stale.
     */
    accountsEpoch: () => epoch.value,
  };
}

class AccountsEpoch {
  value = 0;
  async after<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.value += 1;
    }
  }
}

export type BoundSecurityRepositories = ReturnType<typeof bindSecurityRepositories>;

function bindSecurityRepositories(pool: Queryable, epoch: AccountsEpoch) {
  const bump = <A extends unknown[], R>(write: (...args: A) => Promise<R>) => (...args: A) => epoch.after(write(...args));
  return {
    users: {
      byUsername: (username: string) => users.findUserByUsername(pool, username),
      byId: (id: number) => users.findUserById(pool, id),
      list: () => users.listUsers(pool),
      lastSignIns: () => users.lastSignIns(pool),
      usernames: () => users.listUsernames(pool),
      count: () => users.countUsers(pool),
      create: bump((user: users.NewUser, now: Date) => users.createUser(pool, user, now)),
      insertMany: bump((list: users.NewUser[], now: Date) => users.insertUsers(pool, list, now)),
      recordFailure: bump((id: number, now: Date, maxFailures: number, lockMs: number) => users.recordFailedSignIn(pool, id, now, maxFailures, lockMs)),
      recordSuccess: bump((id: number, totpStep: number | null) => users.recordSuccessfulSignIn(pool, id, totpStep)),
      passwordHistory: (id: number) => users.passwordHistory(pool, id),
      setPassword: bump((id: number, hash: string, mustChange: boolean, now: Date) => users.setPassword(pool, id, hash, mustChange, now)),
      upgradeHash: bump((id: number, hash: string) => users.upgradePasswordHash(pool, id, hash)),
      setGrant: bump((id: number, grant: { role: Role; scope: Scope; unitCode: string | null; gridCode: string | null }, now: Date) =>
        users.setGrant(pool, id, grant, now)),
      setDisabled: bump((id: number, disabled: boolean, now: Date) => users.setDisabled(pool, id, disabled, now)),
      unlock: bump((id: number, now: Date) => users.unlock(pool, id, now)),
      setTotp: bump((id: number, secretEnc: string | null, enabled: boolean, lastStep: number | null, now: Date) =>
        users.setTotp(pool, id, secretEnc, enabled, lastStep, now)),
    },
    sessions: {
      insert: (s: sessions.NewSession, now: Date) => sessions.insertSession(pool, s, now),
      byTokenHash: (hash: string) => sessions.findSessionByTokenHash(pool, hash),
      byId: (id: string) => sessions.findSessionById(pool, id),
      touch: (id: string, now: Date) => sessions.touchSession(pool, id, now),
      end: bump((id: string, reason: string, now: Date) => sessions.endSession(pool, id, reason, now)),
      endForUser: bump((userId: number, reason: string, now: Date, exceptId?: string) => sessions.endUserSessions(pool, userId, reason, now, exceptId)),
      endForKioskToken: bump((id: number, reason: string, now: Date) => sessions.endKioskSessions(pool, id, reason, now)),
      endStale: bump((now: Date, idleMs: number, absoluteMs: number) => sessions.endStaleSessions(pool, now, idleMs, absoluteMs)),
      purgeEnded: bump((endedBefore: Date) => sessions.purgeEndedSessions(pool, endedBefore)),
    },
    kioskTokens: {
      insert: (t: { name: string; tokenHash: string; scope: Scope; createdBy: number }, now: Date) => kiosk.insertKioskToken(pool, t, now),
      byId: (id: number) => kiosk.findKioskToken(pool, id),
      activeByHash: (hash: string) => kiosk.findActiveKioskToken(pool, hash),
      list: () => kiosk.listKioskTokens(pool),
      revoke: bump((id: number, by: number, now: Date) => kiosk.revokeKioskToken(pool, id, by, now)),
      touch: (id: number, now: Date) => kiosk.touchKioskToken(pool, id, now),
    },
    audit: {
      append: (record: audit.AuditRecord) => audit.appendAudit(pool, record),
      search: (q: AuditQuery & { limit: number }) => audit.searchAudit(pool, q),
    },
    staff: {
      listInScope: (scope: Scope, filter: staff.StaffFilter) => staff.listStaffInScope(pool, scope, filter),
      withoutPhone: () => staff.staffWithoutPhone(pool),
      setPhones: (phones: { code: string; phoneEnc: string; phoneHash: string }[]) => staff.setStaffPhones(pool, phones),
      codesByPhoneHash: (hash: string) => staff.findStaffCodesByPhoneHash(pool, hash),
    },
    units: {
      upsert: (list: units.HandlingUnit[]) => units.upsertUnits(pool, list),
      list: () => units.listUnits(pool),
      exists: (code: string) => units.unitExists(pool, code),
    },
    areas: {
      resolveScope: (input: ScopeInput) => areas.resolveScope(pool, input),
      gridArea: (gridCode: string) => areas.gridArea(pool, gridCode),
      codes: () => areas.areaCodes(pool),
    },
  };
}

export type SecurityRepositories = ReturnType<typeof createSecurityRepositories>;
export type { UserRecord, NewUser } from './users-repository.ts';
export type { AuditRecord } from './audit-repository.ts';
export type { KioskTokenRecord } from './kiosk-tokens-repository.ts';
