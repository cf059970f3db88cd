// Integration keys: issued, listed and revoked by the system administrator
// (audited with before/after, never the secret), and checked on every
// machine request. A key is `gik_` + 32 random bytes (base64url); only its
// sha256 is stored, like a kiosk token's.
import type { Scope, ScopeInput } from '../../../shared/schemas/auth.ts';
import { INTEGRATION_KEY_PREFIX, type IntegrationKeyInfo } from '../../../shared/schemas/integration-keys.ts';
import type { Channel } from '../../../shared/workflow.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Repositories } from '../db/repositories/index.ts';
import type { IntegrationKeyRecord } from '../db/repositories/integration-keys-repository.ts';
import { newSecretToken, sha256 } from './auth-service.ts';
import { HttpError } from './http-error.ts';
import type { Principal, RequestContext } from './principal.ts';

declare module 'fastify' {
  interface FastifyInstance {
    integrationKeys: IntegrationKeysService;
  }
  interface FastifyRequest {
    /** The machine client of a route that accepts integration keys (config.integration), else null. */
    integration: IntegrationPrincipal | null;
  }
  interface FastifyContextConfig {
    /**
     * The channels whose integration keys may call this route
     * (`Authorization: Bearer gik_...`). Without it, a key is refused.
     */
    integration?: readonly Channel[];
  }
}

/** A machine client authenticated by its key: what an intake route acts as. */
export interface IntegrationPrincipal {
  keyId: number;
  name: string;
  channel: Channel;
  scope: Scope;
}

export type KeyCheck =
  | { ok: true; principal: IntegrationPrincipal }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'expired' };

/** Characters of the key shown in lists: the prefix and 4 more, far too few to guess the rest. */
const HINT_LENGTH = INTEGRATION_KEY_PREFIX.length + 4;
/** last_used_at is written at most this often per key, not on every request of a busy gateway. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_KEY_LENGTH = 200;

export function isIntegrationKey(value: string | undefined): value is string {
  return typeof value === 'string' && value.startsWith(INTEGRATION_KEY_PREFIX);
}

export function toIntegrationKeyInfo(k: IntegrationKeyRecord): IntegrationKeyInfo {
  return {
    id: k.id, name: k.name, channel: k.channel, scope: k.scope, hint: k.hint, createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(), expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}

/** The audit log's actor name for a key: a person reading the log sees which system acted. */
export const integrationActorName = (p: IntegrationPrincipal) => `integration:${p.keyId}:${p.name}`.slice(0, 64);

export type IntegrationKeysService = ReturnType<typeof createIntegrationKeysService>;

export function createIntegrationKeysService(repos: Repositories, clock: () => Date) {
  const actor = (p: Principal, ctx: RequestContext) => ({ actorId: p.userId, actor: p.username, role: p.role, scope: p.scope, sourceIp: ctx.ip });

  return {
    async list(): Promise<IntegrationKeyInfo[]> {
      return (await repos.integrationKeys.list()).map(toIntegrationKeyInfo);
    },

    async issue(by: Principal, input: { name: string; channel: Channel; scope: ScopeInput; expiresAt?: string }, ctx: RequestContext) {
      const now = clock();
      const scope = await repos.areas.resolveScope(input.scope);
      if (!scope) throw new HttpError(400, 'the scope names a town or community that does not exist');
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new HttpError(400, 'expiresAt must lie in the future');
      const secret = `${INTEGRATION_KEY_PREFIX}${newSecretToken()}`;
      const record = await repos.integrationKeys.insert({
        name: input.name, keyHash: sha256(secret), hint: secret.slice(0, HINT_LENGTH), channel: input.channel, scope, createdBy: by.userId!, expiresAt,
      }, now);
      await repos.audit.append({ ...actor(by, ctx), action: 'integration-key.issue', targetType: 'integration-key', targetId: String(record.id),
        after: { name: record.name, channel: record.channel, scope, expiresAt: record.expiresAt?.toISOString() ?? null }, result: 'success' });
      return { key: toIntegrationKeyInfo(record), secret };
    },

    async revoke(by: Principal, id: number, ctx: RequestContext): Promise<IntegrationKeyInfo> {
      const record = await repos.integrationKeys.byId(id);
      if (!record) throw new HttpError(404, `integration key ${id} does not exist`);
      const revoked = await repos.integrationKeys.revoke(id, by.userId!, clock());
      await repos.audit.append({ ...actor(by, ctx), action: 'integration-key.revoke', targetType: 'integration-key', targetId: String(id),
        before: { revoked: record.revokedAt !== null }, after: { revoked: true },
        result: revoked ? 'success' : 'failure', detail: revoked ? null : 'already revoked' });
      return toIntegrationKeyInfo((await repos.integrationKeys.byId(id))!);
    },

    /**
     * Checks a presented key. Failures other than "no key at all" are audited
     * (a revoked or expired key still in use is worth an administrator's look).
     */
    async authenticate(secret: string | undefined, ctx: RequestContext): Promise<KeyCheck> {
      if (!secret) return { ok: false, reason: 'missing' };
      const record = secret.length <= MAX_KEY_LENGTH && isIntegrationKey(secret) ? await repos.integrationKeys.byHash(sha256(secret)) : undefined;
      const now = clock();
      const reason = !record ? 'unknown' : record.revokedAt ? 'revoked' : record.expiresAt && record.expiresAt <= now ? 'expired' : null;
      if (reason) {
        await repos.audit.append({ sourceIp: ctx.ip, action: 'auth.integration-key', targetType: record ? 'integration-key' : null,
          targetId: record ? String(record.id) : null, result: 'failure', detail: `${reason} integration key` });
        return { ok: false, reason };
      }
      const key = record!;
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) await repos.integrationKeys.touch(key.id, now);
      return { ok: true, principal: { keyId: key.id, name: key.name, channel: key.channel, scope: key.scope } };
    },
  };
}

/** What a client is told about a refused key (safe to show: it names no other key). */
export function keyRefusal(reason: Exclude<KeyCheck, { ok: true }>['reason']): string {
  switch (reason) {
    case 'missing':
      return 'an integration key is required (Authorization: Bearer <key>)';
    case 'unknown':
      return 'the integration key is not valid';
    case 'revoked':
      return 'the integration key has been revoked';
    case 'expired':
      return 'the integration key has expired';
  }
}

/**
 * The auth hook's branch for a bearer integration key on an /api/v1 route:
 * the route must name the key's channel in config.integration. Sets
 * request.integration, or replies 401/403 (and the hook stops there).
 */
export async function guardIntegrationKey(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, secret: string): Promise<FastifyReply | undefined> {
  const config = request.routeOptions.config;
  if (config.public) return undefined;
  const check = await app.integrationKeys.authenticate(secret, { ip: request.ip ?? null, userAgent: null });
  if (!check.ok) return reply.apiError(401, keyRefusal(check.reason));
  const allowed = config.integration;
  if (!allowed?.includes(check.principal.channel)) {
    const detail = allowed ? `only ${allowed.join(', ')} integration keys may call this route` : 'integration keys may not call this route';
    await app.repos.audit.append({ actor: integrationActorName(check.principal), scope: check.principal.scope, sourceIp: request.ip ?? null,
      action: 'access.denied', result: 'denied', detail: `${request.method} ${request.routeOptions.url}: ${detail}` });
    return reply.apiError(403, detail);
  }
  request.integration = check.principal;
  return undefined;
}

/** The integration principal of a route the hook guarded with a key; null when a signed-in person called it. */
export function integrationOf(request: FastifyRequest): IntegrationPrincipal | null {
  return request.integration;
}

/** An Open311 client may send its key as ?api_key=...: never write it to a log. */
export function redactApiKeys(url: string): string {
  return url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]');
}

/**
 * Fastify logger options whose request serializer redacts api_key in URLs
 * (the default serializer logs the URL of every incoming request).
 */
export function withRedactedApiKeys<T>(logger: T): T {
  if (!logger) return logger;
  const options = (logger === true ? {} : logger) as { serializers?: Record<string, unknown> };
  const req = (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number }; headers?: Record<string, unknown> }) => ({
    method: request.method, url: redactApiKeys(request.url), version: request.headers?.['accept-version'], host: request.host,
    remoteAddress: request.ip, remotePort: request.socket?.remotePort,
  });
  return { ...options, serializers: { req, ...options.serializers } } as T;
}
