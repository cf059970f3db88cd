// Reading the change log for a client (GET /api/v1/changes and the socket's
// `sync`): within a scope, from a seq, refusing a seq the log no longer
// reaches (reload a snapshot) or has not reached yet.
import type { ChangesPage } from '../../../shared/schemas/changes.ts';
import { CHANGES_DEFAULT_LIMIT } from '../../../shared/schemas/changes.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { toChange } from '../db/repositories/changes-repository.ts';
import type { OwnFilter } from '../db/repositories/incidents-repository.ts';
import type { Scope } from '../domain/scope.ts';

export type FeedAnswer =
  | { ok: true; page: ChangesPage }
  | { ok: false; reason: 'too_old'; oldestSeq: number; message: string }
  | { ok: false; reason: 'future'; headSeq: number; message: string };

export async function readChanges(
  repos: Repositories, scope: Scope, since: number, limit = CHANGES_DEFAULT_LIMIT, own?: OwnFilter,
): Promise<FeedAnswer> {
  const result = await repos.changes.inScope(scope, since, limit, own);
  const { headSeq, prunedThrough } = result.bounds;
  if (since > headSeq) {
    return { ok: false, reason: 'future', headSeq, message: `since=${since} is ahead of the change log (its last seq is ${headSeq})` };
  }
  if (since < prunedThrough) {
    const oldestSeq = prunedThrough + 1;
    return { ok: false, reason: 'too_old', oldestSeq, message: `changes before seq ${oldestSeq} are no longer kept; reload a snapshot` };
  }
  return { ok: true, page: { changes: result.rows.map(toChange), lastSeq: result.lastSeq, hasMore: result.hasMore } };
}
