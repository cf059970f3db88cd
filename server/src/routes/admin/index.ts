// Account and kiosk-token administration. Each route names the one
// permission it needs; the auth hook enforces it, so the three
// administrators cannot reach each other's routes.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Account, AccountList, AccountParams, CreateAccountBody, GrantBody, IssueKioskTokenBody, IssuedKioskToken,
  KioskTokenInfo, KioskTokenList, ResetPasswordBody,
} from '../../../../shared/schemas/auth.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { UnitList } from '../../../../shared/schemas/dispatch.ts';
import { principalOf, requestContext } from '../../plugins/auth.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

const admin: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['admin'];

  app.get('/admin/accounts', {
    config: { permission: 'account:read' },
    schema: { tags, summary: 'All accounts (no secrets)', response: { 200: AccountList, ...errors } },
  }, async () => ({ accounts: await app.accounts.list() }));

  // The units list of the dispatch routes needs incident:read, which no administrator holds.
  app.get('/admin/units', {
    config: { permission: 'account:read' },
    schema: { tags, summary: "Handling units, to name a unit member's unit", response: { 200: UnitList, ...errors } },
  }, async () => ({ units: await app.repos.units.list() }));

  app.post('/admin/accounts', {
    config: { permission: 'account:create' },
    schema: { tags, summary: 'Create a business account with a temporary password (changed at first sign-in)', body: CreateAccountBody,
      response: { 201: Account, ...errors } },
  }, async (request, reply) => {
    const account = await app.accounts.create(principalOf(request), request.body, requestContext(request));
    return reply.code(201).send(account);
  });

  app.put('/admin/accounts/:id/grant', {
    config: { permission: 'account:grant' },
    schema: { tags, summary: "Change an account's role and scope (ends its sessions)", params: AccountParams, body: GrantBody, response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.grant(principalOf(request), request.params.id, request.body, requestContext(request)));

  app.post('/admin/accounts/:id/disable', {
    config: { permission: 'account:disable' },
    schema: { tags, summary: 'Disable an account (ends its sessions)', params: AccountParams, response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.setDisabled(principalOf(request), request.params.id, true, requestContext(request)));

  app.post('/admin/accounts/:id/enable', {
    config: { permission: 'account:disable' },
    schema: { tags, summary: 'Enable a disabled account', params: AccountParams, response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.setDisabled(principalOf(request), request.params.id, false, requestContext(request)));

  app.post('/admin/accounts/:id/password', {
    config: { permission: 'account:reset-password' },
    schema: { tags, summary: 'Set a temporary password (changed at next sign-in; ends sessions)', params: AccountParams, body: ResetPasswordBody,
      response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.resetPassword(principalOf(request), request.params.id, request.body.password, requestContext(request)));

  app.post('/admin/accounts/:id/unlock', {
    config: { permission: 'account:unlock' },
    schema: { tags, summary: 'Lift a sign-in lockout', params: AccountParams, response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.unlock(principalOf(request), request.params.id, requestContext(request)));

  app.post('/admin/accounts/:id/totp-reset', {
    config: { permission: 'account:reset-totp' },
    schema: { tags, summary: 'Remove a lost second factor (the holder enrols again)', params: AccountParams, response: { 200: Account, ...errors } },
  }, async (request) => app.accounts.resetTotp(principalOf(request), request.params.id, requestContext(request)));

  app.get('/admin/kiosk-tokens', {
    config: { permission: 'kiosk:manage' },
    schema: { tags, summary: 'Kiosk tokens (never the tokens themselves)', response: { 200: KioskTokenList, ...errors } },
  }, async () => ({ tokens: await app.accounts.listKioskTokens() }));

  app.post('/admin/kiosk-tokens', {
    config: { permission: 'kiosk:manage' },
    schema: { tags, summary: 'Issue a read-only kiosk token for one scope; the secret is shown only in this reply', body: IssueKioskTokenBody,
      response: { 201: IssuedKioskToken, ...errors } },
  }, async (request, reply) => {
    const { token, secret } = await app.accounts.issueKioskToken(principalOf(request), request.body.name, request.body.scope, requestContext(request));
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({ token, secret, url: `/?kiosk=${secret}` });
  });

  app.delete('/admin/kiosk-tokens/:id', {
    config: { permission: 'kiosk:manage' },
    schema: { tags, summary: 'Revoke a kiosk token; its screens are signed out at once', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: KioskTokenInfo, ...errors } },
  }, async (request) => app.accounts.revokeKioskToken(principalOf(request), request.params.id, requestContext(request)));
};
export default admin;
