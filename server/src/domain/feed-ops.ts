// The demo's duty officers: who works an item next, and when. A real center
// has people at the seats, at the handling units and on the alert desk; the
// demo feed files items all day, so without them every item would go
// overdue and the big screen would sit under a level-1 takeover. These are
// pure rules: the same item at the same version and seed always gets the
// same decision (the runner in simulator/duty-officers.ts carries it out).
import { catalogueItem, timeLimitOf } from '../../../shared/catalogue.ts';
import type { Domain, Level } from '../../../shared/schemas/catalogue.ts';
import type { IncidentStatus, Tier } from '../../../shared/workflow.ts';
import { between, seededRng, type Rng } from './feed-random.ts';
import { DEMO_SPEED } from './feed-rate.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The handling unit that leads an item of each domain (HANDLING_UNITS codes). */
export const UNIT_BY_DOMAIN: Record<Domain, string> = {
  law_enforcement: 'urban-mgmt',
  work_safety: 'work-safety',
  public_order: 'police',
  livelihood: 'civil-affairs',
  ecology: 'ecology',
};

/** Words in an item's name that make a utility or the property company the better lead. */
const UNIT_BY_WORD: [RegExp, string][] = [
  [/燃气|天然气|煤气/, 'gas'],
  [/供水|水管|停水|管网|积水|排水|下水/, 'water'],
  [/供电|停电|电线|电缆|变压器|线路/, 'power'],
  [/物业|电梯|楼道|小区/, 'property'],
];

/** The lead unit for an item: a utility when its name says so, else its domain's unit. */
export function leadUnitFor(itemCode: string, domain: Domain): string {
  const name = catalogueItem(itemCode)?.name ?? '';
  for (const [words, unit] of UNIT_BY_WORD) if (words.test(name)) return unit;
  return UNIT_BY_DOMAIN[domain];
}

/** The demo account at the seat that owns an item at `tier` (demo-seed.ts names them). */
export function seatAccount(tier: Tier, townCode: string, communityCode: string): string {
  if (tier === 'district') return 'duty.district';
  if (tier === 'town') return `duty.${townCode}`;
  return `liaison.${communityCode}`;
}

export interface OpsShares {
  /** Items accepted after their response limit (so overdue alerts still happen). */
  late: number;
  /** Items a community or town seat escalates instead of dispatching. */
  escalate: number;
  /** Dispatched items the unit returns as not theirs. */
  returnByUnit: number;
  /** Closed items rated on a follow-up call. */
  rate: number;
}

export const DEMO_OPS_SHARES: OpsShares = { late: 0.08, escalate: 0.03, returnByUnit: 0.04, rate: 0.3 };

/** What the officers see of an item (the incident list's fields). */
export interface OpsItem {
  id: string;
  itemCode: string;
  domain: Domain;
  level: Level;
  status: IncidentStatus;
  tier: Tier;
  townCode: string;
  communityCode: string;
  unitCode?: string | null;
  version: number;
  updatedAt: string;
}

export type OpsAction =
  | { route: 'accept'; body: { note: string } }
  | { route: 'dispatch'; body: { leadUnit: string; deadline: string; note: string } }
  | { route: 'take'; body: { note: string } }
  | { route: 'return'; body: { reason: string } }
  | { route: 'resolve'; body: { note: string } }
  | { route: 'verify'; body: { note: string } }
  | { route: 'close'; body: { note: string } }
  | { route: 'rate'; body: { score: number; comment: string } }
  | { route: 'escalate'; body: { reason: string } };

export interface OpsDecision {
  /** Who acts: a demo account. */
  username: string;
  action: OpsAction;
  /** When (ms since the epoch): the item's last change plus a human delay, scaled by the demo speed. */
  at: number;
}

export interface OpsOptions {
  /** Demo speed-up (DEMO_FEED_SPEED): every delay below is real-life minutes divided by it. */
  speed: number;
  seed: string;
  shares?: OpsShares;
}

/** Real-life minutes of work a unit needs, by level (graver items get people sooner, and are bigger). */
const WORK_MINUTES: Record<Level, [number, number]> = { 1: [30, 180], 2: [60, 480], 3: [120, 1440] };

/**
 * The next step on an item, or null when nobody acts on it any more (rated,
 * closed and not picked for a rating, or a status the officers leave alone).
 */
export function decide(item: OpsItem, options: OpsOptions): OpsDecision | null {
  const rng = seededRng(`${options.seed}/${item.id}/${item.version}`);
  const shares = options.shares ?? DEMO_OPS_SHARES;
  const scale = 1 / options.speed;
  const since = Date.parse(item.updatedAt);
  const seat = seatAccount(item.tier, item.townCode, item.communityCode);
  const after = (minutes: number) => since + minutes * MINUTE * scale;
  const limit = timeLimitOf(item.level);
  switch (item.status) {
    case 'reported': {
      const accept: OpsAction = { route: 'accept', body: { note: '值班员受理 (演示)' } };
      // A few past the response limit. The SLA clock runs on real time, so a late
      // one waits real minutes (not divided by the speed): its overdue alert is real.
      if (rng() < shares.late) return { username: seat, action: accept, at: since + limit.responseMinutes * between(rng, 1.05, 1.6) * MINUTE };
      return { username: seat, action: accept, at: after(limit.responseMinutes * between(rng, 0.1, 0.75)) };
    }
    case 'accepted': {
      if (item.tier !== 'district' && rng() < shares.escalate) {
        return { username: seat, action: { route: 'escalate', body: { reason: '超出本级处置能力，提级处理 (演示)' } }, at: after(between(rng, 2, 10)) };
      }
      return dispatch(item, seat, rng, after(between(rng, 1, 8)), limit.resolutionHours);
    }
    case 'returned':
      return dispatch(item, seat, rng, after(between(rng, 3, 15)), limit.resolutionHours);
    case 'dispatched': {
      const unit = item.unitCode ? `unit.${item.unitCode}` : null;
      if (!unit) return null;
      if (rng() < shares.returnByUnit) {
        return { username: unit, action: { route: 'return', body: { reason: '不属于本单位职责，退回重新派遣 (演示)' } }, at: after(between(rng, 5, 30)) };
      }
      return { username: unit, action: { route: 'take', body: { note: '已接单，人员赶赴现场 (演示)' } }, at: after(between(rng, 3, limit.responseMinutes)) };
    }
    case 'in_progress': {
      if (!item.unitCode) return null;
      const [min, max] = WORK_MINUTES[item.level];
      return { username: `unit.${item.unitCode}`, action: { route: 'resolve', body: { note: '现场已处置完毕 (演示)' } }, at: after(between(rng, min, max)) };
    }
    case 'resolved':
      return { username: seat, action: { route: 'verify', body: { note: '回访核实，处置到位 (演示)' } }, at: after(between(rng, 10, 60)) };
    case 'verified':
      return { username: seat, action: { route: 'close', body: { note: '结案 (演示)' } }, at: after(between(rng, 2, 20)) };
    case 'closed': {
      if (rng() >= shares.rate) return null;
      const score = rng() < 0.7 ? 5 : rng() < 0.7 ? 4 : 3;
      return { username: seat, action: { route: 'rate', body: { score, comment: '电话回访评价 (演示)' } }, at: after(between(rng, 30, 240)) };
    }
    default:
      return null;
  }
}

function dispatch(item: OpsItem, seat: string, rng: Rng, at: number, resolutionHours: number): OpsDecision {
  // The deadline is the level's resolution limit in real time: the SLA clock runs on real time too.
  const deadline = new Date(at + resolutionHours * HOUR).toISOString();
  const leadUnit = leadUnitFor(item.itemCode, item.domain);
  return { username: seat, action: { route: 'dispatch', body: { leadUnit, deadline, note: '请尽快处置 (演示)' } }, at };
}

/** How long after an alert is raised someone at the desk acknowledges it (level-1 sooner). */
export function acknowledgeDelayMs(alertId: string, level: Level, options: OpsOptions): number {
  const rng = seededRng(`${options.seed}/alert/${alertId}`);
  // 20-90 s at the demo speed (5-25 s for level 1): someone looks up, reads it, clicks.
  const seconds = level === 1 ? between(rng, 5, 25) : between(rng, 20, 90);
  return seconds * 1000 * (DEMO_SPEED / options.speed);
}
