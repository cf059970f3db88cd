// Rewrites one bench's section of docs/BENCHMARKS.md in place, between HTML
// comment markers, so each bench owns its section and keeps the others.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const HEADER = `# Benchmarks

Written by \`npm run bench\` (all) or \`npm run bench -- <name>\` (one). Each
section is rewritten by its own benchmark between its markers; edit outside
the markers only.
`;

const markers = (name: string) => [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`] as const;

export function replaceSection(doc: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const section = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from !== -1 && to > from) return doc.slice(0, from) + section + doc.slice(to + end.length);
  return `${doc.trimEnd()}\n\n${section}\n`;
}

export function writeSection(file: string, name: string, body: string): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, replaceSection(doc, name, body));
}
