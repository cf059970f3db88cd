// Figures for the big screen's panels (GET /api/v1/stats/*), computed in SQL
// from the incidents and device tables within the caller's scope (and
// optionally narrowed to a town or community named by `scope=`).
// "Today" is the calendar day in China Standard Time (UTC+8, no DST).
import { Type, type Static } from 'typebox';
import { ScopeSchema } from './auth.ts';
import { DomainSchema, LevelSchema } from './catalogue.ts';

/** `district`, `town:<code>` or `community:<code>`: what the screen's URL names. */
export const ScreenScopeParam = Type.String({ pattern: '^(district|town:[0-9A-Za-z_-]{1,40}|community:[0-9A-Za-z_-]{1,40})$' });

export const ScreenStatsQuery = Type.Object({ scope: Type.Optional(ScreenScopeParam) }, { additionalProperties: false });
export type ScreenStatsQuery = Static<typeof ScreenStatsQuery>;

const Count = Type.Integer({ minimum: 0 });
/** A share between 0 and 1, or null when there is nothing to divide by. */
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);

export const ScreenStats = Type.Object({
  /** The scope the figures cover. */
  scope: ScopeSchema,
  generatedAt: Type.String({ format: 'date-time' }),
  /** Start of "today" (00:00 UTC+8) as an instant. */
  dayStart: Type.String({ format: 'date-time' }),
  /** Change-log head read in the same database snapshot as the figures. */
  lastSeq: Count,
  today: Type.Object({
    /** Reported today. */
    received: Count,
    /** ... of them taken in by a seat (any status after 'reported'). */
    accepted: Count,
    /** ... of them resolved or beyond (resolved, verified, closed, rated). */
    resolved: Count,
    /** Open now (any day) and past their response time. */
    overdue: Count,
    /** Open now (any day). */
    open: Count,
    /** accepted / received */
    responseRate: Rate,
    /** resolved / received */
    disposalRate: Rate,
  }),
  /** Today's reports by domain and by level (every domain / level present, zeros included). */
  byDomain: Type.Array(Type.Object({ domain: DomainSchema, count: Count })),
  byLevel: Type.Array(Type.Object({ level: LevelSchema, count: Count })),
  /** Per town in scope: today's reports and open incidents. */
  byTown: Type.Array(Type.Object({ townCode: Type.String(), received: Count, open: Count })),
  /** Reports per hour (0..23, UTC+8) today and yesterday. */
  trend: Type.Object({ today: Type.Array(Count, { minItems: 24, maxItems: 24 }), yesterday: Type.Array(Count, { minItems: 24, maxItems: 24 }) }),
  cameras: Type.Object({
    total: Count,
    online: Count,
    offline: Count,
    fault: Count,
    byTown: Type.Array(Type.Object({ townCode: Type.String(), total: Count, online: Count })),
  }),
  /** Devices not online right now (offline or fault). */
  devicesDown: Type.Object({ cameras: Count, sensors: Count }),
  /** The grids with the most open incidents ("hot spots"), most first, at most 10. */
  hotGrids: Type.Array(Type.Object({ gridCode: Type.String(), open: Count })),
});
export type ScreenStats = Static<typeof ScreenStats>;

export const HEAT_PERIODS = [1, 7, 30] as const;
export type HeatPeriod = (typeof HEAT_PERIODS)[number];

// An integer with an enum (not Type.Enum alone): query strings are coerced only for a declared type.
const HeatDays = Type.Integer({ enum: [...HEAT_PERIODS] });

export const HeatQuery = Type.Object(
  { scope: Type.Optional(ScreenScopeParam), days: HeatDays },
  { additionalProperties: false },
);
export type HeatQuery = Static<typeof HeatQuery>;

/** Reports of the last `days` days (1 = today), counted in cells of HEAT_CELL_DEGREES. */
export const HEAT_CELL_DEGREES = 0.002;
export const Heat = Type.Object({
  days: HeatDays,
  since: Type.String({ format: 'date-time' }),
  /** Cell centres with their report counts. */
  cells: Type.Array(Type.Object({ lon: Type.Number(), lat: Type.Number(), count: Type.Integer({ minimum: 1 }) })),
  /** Reports per grid in the same period, with the grid's households: the choropleth. */
  grids: Type.Array(Type.Object({
    gridCode: Type.String(),
    count: Count,
    households: Count,
    /** Reports per 1,000 households (null for a grid without households). */
    per1000: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  })),
});
export type Heat = Static<typeof Heat>;
