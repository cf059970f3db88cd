// The review figures (daily for communities, weekly for towns, monthly for
// the New Area) within the caller's scope: the repository reads the period's
// items and timelines, domain/figures.ts counts.
import type pg from 'pg';
import type { FiguresQuery, FiguresReply } from '../../../shared/schemas/dispatch.ts';
import type { Scope } from '../../../shared/schemas/auth.ts';
import { figureInputs } from '../db/repositories/figures-repository.ts';
import { computeFigures, periodOf } from '../domain/figures.ts';
import type { SlaTable } from '../domain/sla.ts';

export function createFiguresService({ db, clock, sla }: { db: pg.Pool; clock: () => Date; sla: SlaTable }) {
  return {
    async figures(scope: Scope, query: FiguresQuery): Promise<FiguresReply> {
      const period = periodOf(query.period, query.at ? new Date(query.at) : clock());
      const { items, entries } = await figureInputs(db, scope, period.from, period.to);
      const { total, rows } = computeFigures(items, entries, query.by, period, sla);
      return { period: { kind: query.period, from: period.from.toISOString(), to: period.to.toISOString() }, by: query.by, total, rows };
    },
  };
}

export type FiguresService = ReturnType<typeof createFiguresService>;
