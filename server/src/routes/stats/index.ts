// Figures for the big screen's panels, heatmap and choropleth. Thin: parse
// the screen's `scope=` (it may only narrow the caller's own scope), then the
// stats repository counts everything in SQL within that scope.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { Heat, HeatQuery, ScreenStats, ScreenStatsQuery, type HeatPeriod } from '../../../../shared/schemas/stats.ts';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import { scopeContains, scopeLabel } from '../../domain/scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import { heatFigures, screenFigures, townExists, townOfCommunity } from '../../db/repositories/stats-repository.ts';

/** China Standard Time: the screens' calendar day. No daylight saving, so a fixed offset is exact. */
const DAY_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** 00:00 UTC+8 of the day `now` falls on, as an instant. */
export function dayStartOf(now: Date): Date {
  const local = now.getTime() + DAY_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - DAY_OFFSET_MS);
}

const stats: FastifyPluginAsyncTypebox = async (app) => {
  /** The scope a `scope=` value names (the schema checked its form), or why it cannot be had. */
  async function wantedScope(param: string): Promise<{ scope: Scope } | { status: 400; reason: string }> {
    const [level, code] = param.split(':');
    if (level === 'district') return { scope: { level: 'district' } };
    if (level === 'town') {
      return (await townExists(app.db, code)) ? { scope: { level: 'town', townCode: code } } : { status: 400, reason: `unknown town ${code}` };
    }
    const townCode = await townOfCommunity(app.db, code);
    return townCode ? { scope: { level: 'community', townCode, communityCode: code } } : { status: 400, reason: `unknown community ${code}` };
  }

  /** The caller's scope, narrowed by `scope=`; null when a refusal has been sent. */
  async function screenScope(request: FastifyRequest, reply: FastifyReply, param: string | undefined): Promise<Scope | null> {
    const own = principalOf(request).scope;
    if (!param) return own;
    const wanted = await wantedScope(param);
    if ('status' in wanted) {
      reply.apiError(wanted.status, wanted.reason);
      return null;
    }
    if (!scopeContains(own, wanted.scope)) {
      const reason = `${scopeLabel(wanted.scope)} is outside your data scope`;
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET ${request.routeOptions.url}: ${reason}` });
      reply.apiError(403, reason);
      return null;
    }
    return wanted.scope;
  }

  app.get('/stats/screen', {
    config: { permission: 'stats:read' },
    schema: {
      tags: ['stats'],
      summary: "The big screen's figures: today's reports and rates, by domain/level/town, 24-hour trend, cameras, hot grids",
      querystring: ScreenStatsQuery,
      response: { 200: ScreenStats, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const scope = await screenScope(request, reply, request.query.scope);
    if (!scope) return reply;
    const now = new Date();
    const dayStart = dayStartOf(now);
    const f = await screenFigures(app.db, scope, dayStart);
    const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    reply.header('cache-control', 'no-store');
    return {
      scope,
      generatedAt: now.toISOString(),
      dayStart: dayStart.toISOString(),
      lastSeq: f.lastSeq,
      today: { ...f.today, responseRate: rate(f.today.accepted, f.today.received), disposalRate: rate(f.today.resolved, f.today.received) },
      byDomain: f.byDomain,
      byLevel: f.byLevel,
      byTown: f.byTown,
      trend: f.trend,
      cameras: f.cameras,
      devicesDown: f.devicesDown,
      hotGrids: f.hotGrids,
    };
  });

  app.get('/stats/heat', {
    config: { permission: 'stats:read' },
    schema: {
      tags: ['stats'],
      summary: 'Reports of today / the last 7 / 30 days: counted per small cell (heatmap) and per grid with households (choropleth)',
      querystring: HeatQuery,
      response: { 200: Heat, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const scope = await screenScope(request, reply, request.query.scope);
    if (!scope) return reply;
    const days = request.query.days as HeatPeriod;
    // "1 day" is today since midnight; 7 and 30 include today.
    const since = new Date(dayStartOf(new Date()).getTime() - (days - 1) * DAY_MS);
    const f = await heatFigures(app.db, scope, since);
    reply.header('cache-control', 'no-store');
    return {
      days,
      since: since.toISOString(),
      cells: f.cells,
      grids: f.grids.map((g) => ({ ...g, per1000: g.households > 0 ? (g.count * 1000) / g.households : null })),
    };
  });
};
export default stats;
