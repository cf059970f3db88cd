import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, buildUrl, getJson } from './http.ts';

afterEach(() => vi.unstubAllGlobals());

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
