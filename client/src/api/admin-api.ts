// The administrators' and the auditor's calls (server/src/routes/admin,
// integration-keys, audit). Shapes come from the shared contract only; the
// server decides who may call what, these calls just carry the CSRF token.
import type { Static } from 'typebox';
import type {
  Account, AccountList, AuditPage, AuditQuery, CreateAccountBody, GrantBody, KioskTokenInfo, KioskTokenList, ScopeInput,
} from '@shared/schemas/auth.ts';
import type { IntegrationKeyInfo, IntegrationKeyList, IssueIntegrationKeyBody, IssuedIntegrationKey } from '@shared/schemas/integration-keys.ts';
import type { UnitList } from '@shared/schemas/dispatch.ts';
import { buildUrl, requestJson, type Query } from './http.ts';

const BASE = '/api/v1';

/** The kiosk issue reply (IssuedKioskToken): the secret and its URL appear here only. */
export interface IssuedKiosk { token: KioskTokenInfo; secret: string; url: string }

export const adminApi = {
  accounts: (signal?: AbortSignal) => requestJson<Static<typeof AccountList>>('GET', `${BASE}/admin/accounts`, { signal }),
  /** Handling units for a unit member's account (account:read holders cannot read the dispatch list). */
  units: () => requestJson<UnitList>('GET', `${BASE}/admin/units`),
  create: (body: CreateAccountBody) => requestJson<Account>('POST', `${BASE}/admin/accounts`, { body }),
  grant: (id: number, body: GrantBody) => requestJson<Account>('PUT', `${BASE}/admin/accounts/${id}/grant`, { body }),
  disable: (id: number) => requestJson<Account>('POST', `${BASE}/admin/accounts/${id}/disable`),
  enable: (id: number) => requestJson<Account>('POST', `${BASE}/admin/accounts/${id}/enable`),
  resetPassword: (id: number, password: string) => requestJson<Account>('POST', `${BASE}/admin/accounts/${id}/password`, { body: { password } }),
  unlock: (id: number) => requestJson<Account>('POST', `${BASE}/admin/accounts/${id}/unlock`),
  resetTotp: (id: number) => requestJson<Account>('POST', `${BASE}/admin/accounts/${id}/totp-reset`),

  kioskTokens: (signal?: AbortSignal) => requestJson<Static<typeof KioskTokenList>>('GET', `${BASE}/admin/kiosk-tokens`, { signal }),
  issueKiosk: (name: string, scope: ScopeInput) => requestJson<IssuedKiosk>('POST', `${BASE}/admin/kiosk-tokens`, { body: { name, scope } }),
  revokeKiosk: (id: number) => requestJson<KioskTokenInfo>('DELETE', `${BASE}/admin/kiosk-tokens/${id}`),

  integrationKeys: (signal?: AbortSignal) => requestJson<Static<typeof IntegrationKeyList>>('GET', `${BASE}/admin/integration-keys`, { signal }),
  issueIntegrationKey: (body: IssueIntegrationKeyBody) => requestJson<IssuedIntegrationKey>('POST', `${BASE}/admin/integration-keys`, { body }),
  revokeIntegrationKey: (id: number) => requestJson<IntegrationKeyInfo>('DELETE', `${BASE}/admin/integration-keys/${id}`),

  audit: (query: AuditQuery, signal?: AbortSignal) => requestJson<Static<typeof AuditPage>>('GET', `${BASE}/audit`, { query: query as Query, signal }),
  /** A plain GET the browser downloads itself (the session cookie goes with it; reads need no CSRF token). */
  auditExportUrl: (query: AuditQuery) => buildUrl(`${BASE}/audit/export`, query as Query),
};
