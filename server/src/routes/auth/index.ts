// Sign-in, sign-out, who am I, password change, TOTP enrolment and the
// kiosk-token exchange. Login failures all look alike (401, same message),
// whatever the reason: unknown user, wrong password, locked, disabled.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  ChangePasswordBody, KioskExchangeBody, LoginBody, Me, Ok, TotpConfirmBody, TotpDisableBody, TotpSetup,
} from '../../../../shared/schemas/auth.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { permissionsOf } from '../../domain/roles.ts';
import { principalOf, requestContext, sessionCookieOptions } from '../../plugins/auth.ts';
import { SESSION_COOKIE } from '../../services/auth-service.ts';
import type { Principal } from '../../services/principal.ts';

export const INVALID_CREDENTIALS = 'invalid username or password';

/** A 401 from sign-in; `totpRequired` tells the login page to ask for the one-time code. */
const LoginFailure = Type.Object({ ...ApiError.properties, totpRequired: Type.Optional(Type.Boolean()) });

function me(principal: Principal, reply: FastifyReply): Me {
  // Carries the CSRF token: never cached by anyone.
  reply.header('cache-control', 'no-store');
  return {
    username: principal.username,
    displayName: principal.displayName,
    role: principal.role,
    scope: principal.scope,
    unitCode: principal.unitCode,
    gridCode: principal.gridCode,
    permissions: [...permissionsOf(principal.role)],
    pending: principal.pending,
    totpEnabled: principal.totpEnabled,
    kiosk: principal.role === 'kiosk',
    csrfToken: reply.generateCsrf({ userInfo: principal.sessionId }),
  };
}

const auth: FastifyPluginAsyncTypebox = async (app) => {
  const options = app.securityOptions;
  const rateLimit = { max: options.loginRateLimitPerMinute, timeWindow: 60_000 };
  const tags = ['auth'];

  app.post('/auth/login', {
    // The password hash is slow on purpose (scrypt), and a burst of sign-ins queues for it.
    config: { public: true, rateLimit, slowRequestMs: 10_000 },
    schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginBody, response: { 200: Me, 400: ApiError, 401: LoginFailure, 429: ApiError } },
  }, async (request, reply) => {
    const result = await app.auth.signIn(request.body, requestContext(request));
    if (!result.ok) {
      const message = result.reason === 'totp-required' ? 'enter the one-time code from your authenticator app'
        : result.reason === 'totp-invalid' ? 'the one-time code is wrong or was already used' : INVALID_CREDENTIALS;
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message, ...(result.reason === 'invalid' ? {} : { totpRequired: true }) });
    }
    // A fresh random session every time (no fixation); the one this browser held before is ended, not left open.
    if (request.principal?.viaCookie) await app.auth.signOut(request.principal, requestContext(request));
    reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(options));
    return me(result.principal, reply);
  });

  app.post('/auth/kiosk', {
    config: { public: true, rateLimit },
    schema: { tags, summary: 'Trade a kiosk token (from the /?kiosk=TOKEN URL) for a read-only session cookie', body: KioskExchangeBody,
      response: { 200: Me, 400: ApiError, 401: ApiError, 429: ApiError } },
  }, async (request, reply) => {
    const result = await app.auth.exchangeKioskToken(request.body.token, requestContext(request));
    if (!result) return reply.apiError(401, 'this kiosk token is not valid (revoked or mistyped)');
    reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(options));
    return me(result.principal, reply);
  });

  app.get('/auth/me', {
    config: { allowPending: true },
    schema: { tags, summary: 'The signed-in account, its scope, permissions, pending steps and CSRF token', response: { 200: Me, 401: ApiError } },
  }, async (request, reply) => {
    return me(principalOf(request), reply);
  });

  app.post('/auth/logout', {
    config: { allowPending: true, allowKiosk: true },
    schema: { tags, summary: 'Sign out: ends the session on the server', response: { 200: Ok, 401: ApiError, 403: ApiError } },
  }, async (request, reply) => {
    await app.auth.signOut(principalOf(request), requestContext(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true } as const;
  });

  app.post('/auth/password', {
    config: { allowPending: true, rateLimit },
    schema: { tags, summary: 'Change your own password (policy: 10+ characters, 3 classes, not the username, not one of the last 5)',
      body: ChangePasswordBody, response: { 200: Ok, 400: ApiError, 401: ApiError, 403: ApiError } },
  }, async (request, reply) => {
    const result = await app.auth.changePassword(principalOf(request), request.body.currentPassword, request.body.newPassword, requestContext(request));
    if (!result.ok) return reply.apiError(result.status, result.message);
    return { ok: true } as const;
  });

  app.post('/auth/totp/setup', {
    config: { allowPending: true },
    schema: { tags, summary: 'Start TOTP enrolment: a new secret and otpauth:// URI', response: { 200: TotpSetup, 401: ApiError, 403: ApiError, 409: ApiError } },
  }, async (request, reply) => {
    const setup = await app.auth.totpSetup(principalOf(request), requestContext(request));
    if (!setup) return reply.apiError(409, 'a second factor is already enabled; the security administrator can reset it');
    return setup;
  });

  app.post('/auth/totp/confirm', {
    config: { allowPending: true, rateLimit },
    schema: { tags, summary: 'Finish TOTP enrolment with a code from the app', body: TotpConfirmBody, response: { 200: Ok, 400: ApiError, 401: ApiError, 403: ApiError } },
  }, async (request, reply) => {
    if (!(await app.auth.totpConfirm(principalOf(request), request.body.code, requestContext(request)))) {
      return reply.apiError(400, 'the code is wrong, or no enrolment was started');
    }
    return { ok: true } as const;
  });

  app.post('/auth/totp/disable', {
    config: { rateLimit },
    schema: { tags, summary: 'Remove your own second factor (not for the three administrators, who must keep one)', body: TotpDisableBody,
      response: { 200: Ok, 400: ApiError, 401: ApiError, 403: ApiError } },
  }, async (request, reply) => {
    const result = await app.auth.totpDisable(principalOf(request), request.body.password, request.body.code, requestContext(request));
    if (!result.ok) return reply.apiError(result.status, result.message);
    return { ok: true } as const;
  });
};
export default auth;
