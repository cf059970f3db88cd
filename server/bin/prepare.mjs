#!/usr/bin/env node
// Makes a fresh clone runnable before `npm start` / `npm test`: installs the
// locked dependencies when node_modules is missing or older than the lock
// file, and (with --build) rebuilds the front end when its sources changed.
// Plain Node with no dependencies, because it runs before they exist.
import { execSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function newestIn(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : mtime(p));
  }
  return newest;
}

const installed = join(root, 'node_modules/.package-lock.json');
if (mtime(installed) < mtime(join(root, 'package-lock.json'))) {
  console.log('[prepare] installing dependencies (npm ci) ...');
  run('npm ci --no-audit --no-fund');
}

if (process.argv.includes('--build')) {
  const built = mtime(join(root, 'dist/client/index.html'));
  const sources = Math.max(newestIn(join(root, 'client')), newestIn(join(root, 'shared')), mtime(join(root, 'vite.config.ts')));
  if (built < sources) {
    console.log('[prepare] building the front end (vite build) ...');
    run('npx vite build --logLevel warn');
  }
}
