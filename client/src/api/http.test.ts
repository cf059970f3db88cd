import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, buildUrl, getJson, postJson, setCsrfToken, setUnauthorizedHandler } from './http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthorizedHandler(null);
});

describe('buildUrl', () => {
  it('adds defined query values only', () => {
    expect(buildUrl('/api/v1/locate', { lon: 119.6, lat: 32.1, x: undefined })).toBe('/api/v1/locate?lon=119.6&lat=32.1');
    expect(buildUrl('/api/v1/grids')).toBe('/api/v1/grids');
  });
});

describe('getJson', () => {
  it('returns the parsed body', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ ok: 1 }), { status: 200 }));
    await expect(getJson('/x')).resolves.toEqual({ ok: 1 });
  });

  it('keeps the server message of an error reply', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no such grid' }), { status: 404 }));
    const err = await getJson('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 404, serverMessage: 'no such grid' });
  });

  it('reports an unreachable server as status 0 and ignores non-contract bodies', async () => {
    vi.stubGlobal('fetch', async () => { throw new TypeError('fetch failed'); });
    await expect(getJson('/x')).rejects.toMatchObject({ status: 0, serverMessage: null });
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(getJson('/x')).rejects.toMatchObject({ status: 502, serverMessage: null });
  });
});

describe('writes and lost sessions', () => {
  it('sends the CSRF token on writes only, with a JSON body', async () => {
    const seen: RequestInit[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(init);
      return new Response('{"ok":true}', { status: 200 });
    });
    setCsrfToken('tok');
    await postJson('/api/v1/x', { a: 1 });
    await getJson('/api/v1/y');
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-csrf-token': 'tok', 'content-type': 'application/json' } });
    expect(seen[1].headers).not.toHaveProperty('x-csrf-token');
  });

  it('reports a 401 to the session, unless the caller expects it; keeps extra error fields', async () => {
    const lost: string[] = [];
    setUnauthorizedHandler((path) => lost.push(path));
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'code', totpRequired: true }), { status: 401 }));
    await expect(getJson('/api/v1/grids')).rejects.toMatchObject({ status: 401 });
    const err = await postJson('/api/v1/auth/login', {}, { expectUnauthorized: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, details: { totpRequired: true } });
    expect(lost).toEqual(['/api/v1/grids']);
  });
});
