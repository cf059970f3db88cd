// Security settings from the environment: demo mode on by default, the field
// key from FIELD_KEY or a 0600 file, and a refusal to run a production
// install (no demo, external database) without a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecurityConfig } from '../src/security-config.ts';
import { newFieldKey } from '../src/domain/field-crypto.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcc-seccfg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadSecurityConfig', () => {
  it('is demo mode unless DEMO is 0/false, with the default demo password', async () => {
    const keyFile = join(dir, 'a.key');
    expect((await loadSecurityConfig({}, { embedded: true, keyFile })).demo).toBe(true);
    expect((await loadSecurityConfig({}, { embedded: true, keyFile })).demoPassword).toBe('Demo@2026!');
    expect((await loadSecurityConfig({ DEMO: '0' }, { embedded: true, keyFile })).demo).toBe(false);
    expect((await loadSecurityConfig({ DEMO: 'false' }, { embedded: true, keyFile })).demo).toBe(false);
    expect((await loadSecurityConfig({ DEMO_PASSWORD: 'Other-Demo-1!' }, { embedded: true, keyFile })).demoPassword).toBe('Other-Demo-1!');
  });

  it('makes the key file once, mode 0600, and reads the same key back', async () => {
    const keyFile = join(dir, 'b.key');
    const first = await loadSecurityConfig({}, { embedded: true, keyFile });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const second = await loadSecurityConfig({}, { embedded: true, keyFile });
    expect(second.fieldKey.equals(first.fieldKey)).toBe(true);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').equals(first.fieldKey)).toBe(true);
  });

  it('takes FIELD_KEY when set, and refuses a malformed one by name', async () => {
    const key = newFieldKey();
    expect((await loadSecurityConfig({ FIELD_KEY: key.toString('base64'), DEMO: '0' }, { embedded: false })).fieldKey.equals(key)).toBe(true);
    await expect(loadSecurityConfig({ FIELD_KEY: 'c2hvcnQ=' }, { embedded: false })).rejects.toThrow(/FIELD_KEY must be 32 bytes/);
  });

  it('refuses production (no demo, external database) without FIELD_KEY', async () => {
    await expect(loadSecurityConfig({ DEMO: '0' }, { embedded: false, keyFile: join(dir, 'c.key') })).rejects.toThrow(/FIELD_KEY is required/);
  });

  it('reads the limits, and refuses nonsense', async () => {
    const cfg = await loadSecurityConfig({ SESSION_IDLE_MINUTES: '10', LOCKOUT_ATTEMPTS: '3', LOCKOUT_MINUTES: '5', COOKIE_SECURE: '1' }, { embedded: true, keyFile: join(dir, 'a.key') });
    expect(cfg).toMatchObject({ idleTimeoutMs: 600_000, maxFailedSignIns: 3, lockoutMs: 300_000, cookieSecure: true });
    await expect(loadSecurityConfig({ SESSION_IDLE_MINUTES: 'soon' }, { embedded: true, keyFile: join(dir, 'a.key') })).rejects.toThrow(/SESSION_IDLE_MINUTES must be a positive integer/);
  });
});
