import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { guardRedirect, safeRedirect, takeKioskToken, useSessionStore, type GuardState } from './session.ts';

const signedOut: GuardState = { signedIn: false, pending: [], kioskScreen: false, kioskProblem: null };
const signedIn: GuardState = { ...signedOut, signedIn: true };

describe('safeRedirect', () => {
  it('follows paths inside the app only', () => {
    expect(safeRedirect('/grid/321171001001001')).toBe('/grid/321171001001001');
    expect(safeRedirect('/screen?scope=town:321171001')).toBe('/screen?scope=town:321171001');
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', undefined, 42, ['/a']]) {
      expect(safeRedirect(bad)).toBe('/');
    }
    expect(safeRedirect('/login')).toBe('/');
    expect(safeRedirect('/login?redirect=/x')).toBe('/');
  });
});

describe('takeKioskToken', () => {
  it('takes the token out of the query and keeps the rest', () => {
    expect(takeKioskToken('?kiosk=abc123')).toEqual({ token: 'abc123', search: '' });
    expect(takeKioskToken('?lang=en&kiosk=abc123&x=1')).toEqual({ token: 'abc123', search: '?lang=en&x=1' });
    expect(takeKioskToken('?lang=en')).toEqual({ token: null, search: '?lang=en' });
    expect(takeKioskToken('')).toEqual({ token: null, search: '' });
  });
});

describe('guardRedirect', () => {
  it('sends a signed-out browser to /login and remembers where it was going', () => {
    expect(guardRedirect({ name: 'map', fullPath: '/' }, signedOut)).toEqual({ name: 'login', query: {} });
    expect(guardRedirect({ name: 'screen', fullPath: '/screen?scope=town:1' }, signedOut))
      .toEqual({ name: 'login', query: { redirect: '/screen?scope=town:1' } });
    expect(guardRedirect({ name: 'login', fullPath: '/login', public: true }, signedOut)).toBeNull();
  });

  it('lets a signed-in account through, and takes it back from /login to where it was going', () => {
    expect(guardRedirect({ name: 'map', fullPath: '/' }, signedIn)).toBeNull();
    expect(guardRedirect({ name: 'login', fullPath: '/login?redirect=/screen', query: { redirect: '/screen' } }, signedIn)).toBe('/screen');
    expect(guardRedirect({ name: 'login', fullPath: '/login?redirect=//evil', query: { redirect: '//evil' } }, signedIn)).toBe('/');
  });

  it('keeps an account with pending steps on the login page until they are done', () => {
    const pending = { ...signedIn, pending: ['change-password'] };
    expect(guardRedirect({ name: 'map', fullPath: '/' }, pending)).toEqual({ name: 'login', query: { redirect: '/' } });
    expect(guardRedirect({ name: 'login', fullPath: '/login' }, pending)).toBeNull();
  });

  it('never shows a wall screen the login form: its problems go full-screen', () => {
    const kiosk = { ...signedOut, kioskScreen: true };
    expect(guardRedirect({ name: 'map', fullPath: '/' }, kiosk)).toEqual({ name: 'kiosk-blocked' });
    expect(guardRedirect({ name: 'login', fullPath: '/login', public: true }, kiosk)).toEqual({ name: 'kiosk-blocked' });
    expect(guardRedirect({ name: 'kiosk-blocked', fullPath: '/kiosk-blocked', public: true }, { ...kiosk, kioskProblem: 'invalid' })).toBeNull();
    expect(guardRedirect({ name: 'map', fullPath: '/' }, { ...signedIn, kioskScreen: true })).toBeNull();
    // An ordinary browser that lands on the kiosk message goes to sign in instead.
    expect(guardRedirect({ name: 'kiosk-blocked', fullPath: '/kiosk-blocked', public: true }, signedOut)).toEqual({ name: 'login' });
  });
});

const ME = {
  username: 'kiosk:wall', displayName: 'wall', role: 'kiosk', scope: { level: 'district' }, unitCode: null, gridCode: null,
  permissions: [], pending: [], totpEnabled: false, kiosk: true, csrfToken: 'csrf-1',
};

describe('the session store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.unstubAllGlobals());

  it('trades a kiosk token once, after removing it from the address bar', async () => {
    const calls: { url: string; body: unknown; when: string[] }[] = [];
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)), when: [...seen] });
      return new Response(JSON.stringify(ME), { status: 200 });
    });
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => seen.push(url) };
    const session = useSessionStore();
    await Promise.all([
      session.start({ search: '?kiosk=tok-123456789012345678901', pathname: '/', hash: '#/screen' }, history),
      session.start({ search: '?kiosk=tok-123456789012345678901', pathname: '/', hash: '#/screen' }, history),
    ]);
    expect(seen).toEqual(['/#/screen']);
    expect(calls).toEqual([{ url: '/api/v1/auth/kiosk', body: { token: 'tok-123456789012345678901' }, when: ['/#/screen'] }]);
    expect(session.isKiosk).toBe(true);
    expect(session.kioskLanding).toBe(false);
  });

  it('marks a refused kiosk token as invalid and an unreachable server as retryable', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'no' }), { status: 401 }));
    const session = useSessionStore();
    await session.start({ search: '?kiosk=revoked-token-0000000000', pathname: '/', hash: '' }, { state: null, replaceState: () => undefined });
    expect(session.kioskProblem).toBe('invalid');
    expect(session.signedIn).toBe(false);

    setActivePinia(createPinia());
    let up = false;
    vi.stubGlobal('fetch', async () => {
      if (!up) throw new TypeError('fetch failed');
      return new Response(JSON.stringify(ME), { status: 200 });
    });
    const again = useSessionStore();
    await again.start({ search: '?kiosk=good-token-00000000000000', pathname: '/', hash: '' }, { state: null, replaceState: () => undefined });
    expect(again.kioskProblem).toBe('unreachable');
    expect(again.kioskLanding).toBe(true);
    up = true;
    await again.retryKiosk();
    expect(again.kioskProblem).toBeNull();
    expect(again.signedIn).toBe(true);
  });

  it('says the session ended when a signed-in user gets a 401, and sends CSRF on writes', async () => {
    const headers: Record<string, string>[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      headers.push(init.headers as Record<string, string>);
      if (url.endsWith('/logout')) return new Response(JSON.stringify({ ok: true }), { status: 200 });
      return new Response(JSON.stringify({ ...ME, kiosk: false, role: 'leader', csrfToken: 'csrf-9' }), { status: 200 });
    });
    const session = useSessionStore();
    await session.login('leader', 'pw');
    expect(session.signedIn).toBe(true);
    session.sessionLost();
    expect(session.signedIn).toBe(false);
    expect(session.endedNotice).toBe('session-ended');

    await session.login('leader', 'pw');
    await session.logout();
    expect(headers.at(-1)!['x-csrf-token']).toBe('csrf-9');
    expect(session.endedNotice).toBe('signed-out');
    expect(session.signedIn).toBe(false);
  });
});
