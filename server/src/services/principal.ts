// Who is calling: a signed-in account or a kiosk. Built once per request (and
// per socket handshake) by the auth service; everything downstream decides by it.
import type { PendingStep, Role, Scope } from '../../../shared/schemas/auth.ts';
import { can, type Permission } from '../domain/roles.ts';

export interface Principal {
  /** The session's id, or `kiosk-token:<id>` for a bare kiosk token; what sessionEnded names. */
  sessionId: string;
  userId: number | null;
  kioskTokenId: number | null;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  unitCode: string | null;
  gridCode: string | null;
  pending: PendingStep[];
  totpEnabled: boolean;
  /** Authenticated by the session cookie (so CSRF applies) rather than a bearer token. */
  viaCookie: boolean;
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return can(principal.role, permission);
}

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionEnded {
  sessionId: string;
  userId: number | null;
  kioskTokenId: number | null;
  reason: string;
}
