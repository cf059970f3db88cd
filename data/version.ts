import { createHash } from 'node:crypto';
import type { NewAreaData } from './types.ts';

export type NewAreaBody = Omit<NewAreaData, 'version'>;

/** First 16 hex of sha256 over everything but the version: the loader reloads only when this changes. */
export function computeVersion(body: NewAreaBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
}

export function withVersion(body: NewAreaBody): NewAreaData {
  return { version: computeVersion(body), ...body };
}

export function versionOf(data: NewAreaData): string {
  const { version: _ignored, ...body } = data;
  return computeVersion(body);
}
