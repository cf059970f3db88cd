// Sessions, CSRF and the principal. One onRequest hook decides, from the
// route's config, who may call every /api/v1 route:
//   config.public       no principal needed (health, sign-in)
//   config.permission   the principal's role must hold it
//   config.allowPending usable before a forced password change / TOTP enrolment
//   config.allowKiosk   a kiosk may call it although it is not a GET
//   config.integration  machine clients with an integration key of these
//                       channels may call it (services/integration-keys-service.ts)
// Everything else under /api/v1 needs a signed-in principal: routes opt out,
// never in. State-changing requests made with the session cookie must carry
// the CSRF token (x-csrf-token), bound to the session.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Permission } from '../domain/roles.ts';
import { createFieldCipher, type FieldCipher } from '../domain/field-crypto.ts';
import type { SecurityOptions } from '../security-config.ts';
import { createAuthService, SESSION_COOKIE, type AuthService } from '../services/auth-service.ts';
import { createAccountsService, type AccountsService } from '../services/accounts-service.ts';
import { HANDLING_UNITS } from '../services/handling-units.ts';
import { seedDemo } from '../services/demo-seed.ts';
import type { Principal, RequestContext } from '../services/principal.ts';
import { createIntegrationKeysService, guardIntegrationKey, isIntegrationKey } from '../services/integration-keys-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    accounts: AccountsService;
    fieldCipher: FieldCipher;
    securityOptions: SecurityOptions;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
    permission?: Permission;
    allowPending?: boolean;
    allowKiosk?: boolean;
  }
}

const GUARDED_PREFIX = '/api/v1/';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestContext(request: FastifyRequest): RequestContext {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
}

/** The principal of a route that the hook has already guarded. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf() on an unguarded route');
  return request.principal;
}

export function sessionCookieOptions(options: SecurityOptions) {
  // No maxAge: the cookie dies with the browser; the server ends the session on its own timers.
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.cookieSecure };
}

export default fp<SecurityOptions>(
  async (app, options) => {
    const cipher = createFieldCipher(options.fieldKey);
    const auth = createAuthService(app.repos, cipher, options);
    app.decorate('fieldCipher', cipher);
    app.decorate('securityOptions', options);
    app.decorate('auth', auth);
    app.decorate('accounts', createAccountsService(app.repos, auth, options));
    app.decorateRequest('principal', null);
    app.decorate('integrationKeys', createIntegrationKeysService(app.repos, options.clock));
    app.decorateRequest('integration', null);

    if (!app.hasPlugin('@fastify/cookie')) await app.register(cookie);
    await app.register(csrf, {
      cookieKey: 'gcc_csrf',
      cookieOpts: sessionCookieOptions(options),
      // Binds each token to its session, so a token from one session is useless in another.
      getUserInfo: (request) => request.principal?.sessionId ?? '',
      csrfOpts: { hmacKey: cipher.deriveKey('csrf'), userInfo: true },
    });

    await app.repos.units.upsert(HANDLING_UNITS);
    if (options.demo) {
      const seeded = await seedDemo(app.repos, cipher, options.demoPassword, options.clock());
      app.log.warn(seeded, 'DEMO MODE: demo accounts share one published password; never run demo mode with real data');
    }

    const deny = async (request: FastifyRequest, reply: FastifyReply, status: 401 | 403, message: string) => {
      if (request.principal) {
        await app.repos.audit.append({
          actorId: request.principal.userId, actor: request.principal.username, role: request.principal.role,
          scope: request.principal.scope, sourceIp: request.ip, action: 'access.denied', result: 'denied',
          detail: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}: ${message}`,
        });
      }
      return reply.apiError(status, message);
    };

    app.addHook('onRequest', async (request, reply) => {
      // The matched route's pattern, not the raw URL: an encoded path (/api/%761/...) cannot slip past.
      if (!request.routeOptions.url?.startsWith(GUARDED_PREFIX) || request.is404) return;
      const config = request.routeOptions.config;
      const sessionToken = request.cookies[SESSION_COOKIE];
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      // A machine client's key (gik_...): no principal, only routes naming its channel.
      if (!sessionToken && isIntegrationKey(bearer)) return guardIntegrationKey(app, request, reply, bearer);
      request.principal = sessionToken
        ? await auth.authenticateSession(sessionToken)
        : bearer ? await auth.authenticateKioskToken(bearer) : null;
      if (config.public) return;
      const principal = request.principal;
      if (!principal) return reply.apiError(401, 'sign in first (your session may have ended)');
      if (principal.pending.length && !config.allowPending) {
        return deny(request, reply, 403, `finish signing in first: ${principal.pending.join(', ')}`);
      }
      if (principal.role === 'kiosk' && !SAFE_METHODS.has(request.method) && !config.allowKiosk) {
        return deny(request, reply, 403, 'a kiosk is read-only');
      }
      if (config.permission && !can(principal.role, config.permission)) {
        return deny(request, reply, 403, `your role (${principal.role}) may not do this`);
      }
    });

    app.addHook('onRequest', (request, reply, done) => {
      const principal = request.principal;
      if (!principal?.viaCookie || SAFE_METHODS.has(request.method) || request.routeOptions.config.public) return done();
      app.csrfProtection(request, reply, done);
    });

    // Sessions left idle, expired or ended by the last run are cleared before the first request.
    app.addHook('onReady', async () => {
      await auth.sweep();
    });
    if (options.sweepIntervalMs > 0) {
      const timer = setInterval(() => {
        auth.sweep().catch((err: unknown) => app.log.error({ err }, 'session sweep failed'));
      }, options.sweepIntervalMs);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'auth', dependencies: ['repositories', 'dataset'] },
);
