// Typed calls to the sign-in endpoints (server/src/routes/auth); payload
// types come from the shared contract. Sign-in, who-am-I and the kiosk
// exchange handle their own 401s, so they never bounce the page to /login.
import type { Me, TotpSetup } from '@shared/schemas/auth.ts';
import { getJson, postJson, requestJson } from './http.ts';

const BASE = '/api/v1/auth';
type Ok = { ok: true };

export const authApi = {
  me: () => requestJson<Me>('GET', `${BASE}/me`, { expectUnauthorized: true }),
  login: (username: string, password: string, totp?: string) =>
    postJson<Me>(`${BASE}/login`, { username, password, ...(totp ? { totp } : {}) }, { expectUnauthorized: true }),
  logout: () => postJson<Ok>(`${BASE}/logout`, undefined, { expectUnauthorized: true }),
  kiosk: (token: string) => postJson<Me>(`${BASE}/kiosk`, { token }, { expectUnauthorized: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    // A wrong current password is a 401 here, not a lost session.
    postJson<Ok>(`${BASE}/password`, { currentPassword, newPassword }, { expectUnauthorized: true }),
  totpSetup: () => postJson<TotpSetup>(`${BASE}/totp/setup`),
  totpConfirm: (code: string) => postJson<Ok>(`${BASE}/totp/confirm`, { code }),
  totpDisable: (password: string, code: string) => postJson<Ok>(`${BASE}/totp/disable`, { password, code }, { expectUnauthorized: true }),
  /** Cheap check that the session still stands (used when the tab comes back into view). */
  ping: () => getJson<Me>(`${BASE}/me`),
};
