// Who is signed in (GET /api/v1/auth/me), what they must still do (pending
// steps), the kiosk exchange, sign-out, and the router guard. The rules the
// guard follows are plain functions below, tested on their own.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Router, RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import type { Me } from '@shared/schemas/auth.ts';
import { authApi } from '../api/auth-api.ts';
import { ApiRequestError, setCsrfToken, setUnauthorizedHandler } from '../api/http.ts';

export const LOGIN_ROUTE = 'login';
export const KIOSK_BLOCKED_ROUTE = 'kiosk-blocked';
/** Where a kiosk lands when its URL names no view: the big screen (if this build has it). */
export const SCREEN_PATH = '/screen';
/** Remembers, per tab, that this is a wall screen: it must never show a login form. */
const KIOSK_MARK_KEY = 'gcc.kiosk';

/** Why the login page is shown to someone who was signed in. */
export type EndedNotice = 'session-ended' | 'signed-out';
/** Why a kiosk screen shows its full-screen message. */
export type KioskProblem = 'invalid' | 'ended' | 'unreachable';

// ---- pure rules ----

/** Only same-app paths are followed after sign-in: never another site (open redirect), never the login page itself. */
export function safeRedirect(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/kiosk-blocked')) return '/';
  return raw;
}

/** Splits `?kiosk=TOKEN` off a location search string; the rest of the query is kept. */
export function takeKioskToken(search: string): { token: string | null; search: string } {
  const params = new URLSearchParams(search);
  const token = params.get('kiosk');
  if (token === null) return { token: null, search };
  params.delete('kiosk');
  const rest = params.toString();
  return { token, search: rest ? `?${rest}` : '' };
}

export interface GuardState {
  /** Signed in (a user or a kiosk). */
  signedIn: boolean;
  /** Steps the server still asks for (change-password, enrol-totp). */
  pending: readonly string[];
  /** This tab is a wall screen (kiosk URL used here). */
  kioskScreen: boolean;
  /** A kiosk problem to show full-screen, if any. */
  kioskProblem: KioskProblem | null;
}

export interface GuardTarget {
  name?: string | symbol | null;
  fullPath: string;
  query?: Record<string, unknown>;
  public?: boolean;
}

/** Where the router must go instead of `to`, or null to let it through. */
export function guardRedirect(to: GuardTarget, state: GuardState): RouteLocationRaw | null {
  if (state.kioskProblem || (state.kioskScreen && !state.signedIn)) {
    return to.name === KIOSK_BLOCKED_ROUTE ? null : { name: KIOSK_BLOCKED_ROUTE };
  }
  if (to.name === KIOSK_BLOCKED_ROUTE) return state.signedIn ? '/' : { name: LOGIN_ROUTE };
  if (!state.signedIn) {
    if (to.name === LOGIN_ROUTE || to.public) return null;
    return { name: LOGIN_ROUTE, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  // Signed in but not finished (forced password change, TOTP enrolment): the login page walks through it.
  if (state.pending.length) return to.name === LOGIN_ROUTE ? null : { name: LOGIN_ROUTE, query: { redirect: to.fullPath } };
  if (to.name === LOGIN_ROUTE) return safeRedirect(to.query?.redirect);
  return null;
}

// ---- the store ----

function readKioskMark(): boolean {
  try {
    return sessionStorage.getItem(KIOSK_MARK_KEY) === '1';
  } catch {
    return false;
  }
}

function writeKioskMark(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(KIOSK_MARK_KEY, '1');
    else sessionStorage.removeItem(KIOSK_MARK_KEY);
  } catch {
    /* storage disabled: the mark lives only in memory */
  }
}

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null);
  /** 'unknown' until the first answer from the server. */
  const state = ref<'unknown' | 'signed-in' | 'signed-out'>('unknown');
  const endedNotice = ref<EndedNotice | null>(null);
  const kioskScreen = ref(readKioskMark());
  const kioskProblem = ref<KioskProblem | null>(null);
  /** A kiosk that arrived without naming a view lands on the big screen. */
  const kioskLanding = ref(false);
  let started: Promise<void> | null = null;

  const signedIn = computed(() => me.value !== null);
  const pending = computed(() => me.value?.pending ?? []);
  const isKiosk = computed(() => me.value?.kiosk === true);

  function setMe(next: Me | null): void {
    me.value = next;
    state.value = next ? 'signed-in' : 'signed-out';
    setCsrfToken(next?.csrfToken ?? null);
  }

  /** Asks the server who we are; a 401 just means signed out. */
  async function refresh(): Promise<Me | null> {
    try {
      setMe(await authApi.me());
    } catch (err) {
      if (!(err instanceof ApiRequestError) || err.status !== 401) throw err;
      setMe(null);
    }
    return me.value;
  }

  /**
   * Runs once, before the first route: trades a kiosk token from the address
   * bar for a session (removing it from the bar first), or asks who we are.
   */
  function start(location: Pick<Location, 'search' | 'pathname' | 'hash'> = window.location, history: Pick<History, 'replaceState' | 'state'> = window.history): Promise<void> {
    started ??= (async () => {
      const { token, search } = takeKioskToken(location.search);
      if (token === null) {
        await refresh().catch(() => setMe(null));
        return;
      }
      // Off the screen and out of the history before anything else happens.
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
      kioskScreen.value = true;
      writeKioskMark(true);
      kioskLanding.value = location.hash === '' || location.hash === '#/' || location.hash === '#';
      await exchangeKiosk(token);
    })();
    return started;
  }

  /** Kept in memory only while the server could not be reached, for the retry button. */
  let unsentKioskToken: string | null = null;

  async function exchangeKiosk(token: string): Promise<void> {
    try {
      setMe(await authApi.kiosk(token));
      kioskProblem.value = null;
      unsentKioskToken = null;
    } catch (err) {
      setMe(null);
      const reached = err instanceof ApiRequestError && err.status !== 0;
      kioskProblem.value = reached ? 'invalid' : 'unreachable';
      unsentKioskToken = reached ? null : token;
    }
  }

  /** The kiosk message's retry: the exchange again if it never reached the server, else who-am-I. */
  async function retryKiosk(): Promise<void> {
    if (unsentKioskToken) await exchangeKiosk(unsentKioskToken);
    else if (await refresh().catch(() => null)) kioskProblem.value = null;
  }

  async function login(username: string, password: string, totp?: string): Promise<Me> {
    const next = await authApi.login(username, password, totp);
    endedNotice.value = null;
    setMe(next);
    return next;
  }

  /** Ends the session on the server, then forgets it here. */
  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      setMe(null);
      endedNotice.value = 'signed-out';
    }
  }

  /** Any API call answered 401: the session is gone (idle timeout, signed out elsewhere, revoked). */
  function sessionLost(): void {
    if (kioskScreen.value) kioskProblem.value = 'ended';
    else if (me.value) endedNotice.value = 'session-ended';
    setMe(null);
  }

  return {
    me, state, endedNotice, kioskScreen, kioskProblem, kioskLanding, signedIn, pending, isKiosk,
    start, refresh, login, logout, sessionLost, setMe, retryKiosk,
  };
});

export type SessionStore = ReturnType<typeof useSessionStore>;

function guardTarget(to: RouteLocationNormalized): GuardTarget {
  return { name: to.name, fullPath: to.fullPath, query: to.query, public: to.meta.public === true };
}

/** The router guard and the 401 hook: call before the router is installed in the app. */
export function installSessionGuard(router: Router, session: SessionStore): void {
  router.beforeEach(async (to) => {
    await session.start();
    if (session.kioskLanding && session.signedIn) {
      session.kioskLanding = false;
      const screen = router.resolve(SCREEN_PATH);
      if (to.path === '/' && screen.matched.length && screen.matched[0].path === SCREEN_PATH) return SCREEN_PATH;
    }
    return guardRedirect(guardTarget(to), {
      signedIn: session.signedIn, pending: session.pending, kioskScreen: session.kioskScreen, kioskProblem: session.kioskProblem,
    }) ?? true;
  });

  setUnauthorizedHandler(() => {
    if (session.state === 'signed-out' && !session.kioskScreen) return;
    session.sessionLost();
    const current = router.currentRoute.value;
    const redirect = guardRedirect(guardTarget(current), {
      signedIn: false, pending: [], kioskScreen: session.kioskScreen, kioskProblem: session.kioskProblem,
    });
    if (redirect) void router.replace(redirect);
  });

  // An idle timeout is only learnt from the server: ask again when the user comes back to the tab
  // (a 401 goes through the handler above, and the login page says the session ended).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !session.signedIn) return;
    authApi.ping().then((who) => session.setMe(who), () => undefined);
  });
}
