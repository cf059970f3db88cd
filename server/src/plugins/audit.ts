// One call to write an audit row for the current request: actor, role,
// scope and source address come from the request, so a route only says what
// happened.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { AuditRecord } from '../db/repositories/security-repositories.ts';

export interface Audit {
  record(request: FastifyRequest, entry: Omit<AuditRecord, 'actorId' | 'actor' | 'role' | 'scope' | 'sourceIp'>): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: Audit;
  }
}

export default fp(
  async (app) => {
    app.decorate('audit', {
      async record(request, entry) {
        const p = request.principal;
        await app.repos.audit.append({
          actorId: p?.userId ?? null, actor: p?.username ?? null, role: p?.role ?? null, scope: p?.scope ?? null,
          sourceIp: request.ip ?? null, ...entry,
        });
      },
    } satisfies Audit);
  },
  { name: 'audit', dependencies: ['repositories', 'auth'] },
);
