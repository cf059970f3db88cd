// The three tiers of seats (三级): the liaison seat of each village/community,
// the liaison seat of each town's integration center, and the acceptance seats
// of the New Area integration center. Which tier an item starts at depends on
// its level, through a table that can be configured (START_TIERS).
import { TIERS, type Tier } from '../../../shared/workflow.ts';
import type { Level } from '../../../shared/schemas/catalogue.ts';
import type { Role } from '../../../shared/schemas/auth.ts';
import type { AreaRef, Scope } from './scope.ts';

export type StartTierTable = Record<Level, Tier>;

/** Level 1 (gravest) at the New Area, level 2 at the town, level 3 at the community. */
export const DEFAULT_START_TIERS: StartTierTable = { 1: 'district', 2: 'town', 3: 'community' };

/** 0 for the community, 2 for the New Area: higher is "up". */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The tier above, or null at the New Area (nowhere higher to go). */
export function nextTier(tier: Tier): Tier | null {
  return TIERS[tierRank(tier) + 1] ?? null;
}

/** The tier below, or null at the community. */
export function lowerTier(tier: Tier): Tier | null {
  const rank = tierRank(tier);
  return rank > 0 ? TIERS[rank - 1]! : null;
}

/**
 * Where an item of this level enters. An item with no community (a spot the
 * grids do not place in one) cannot sit at a community seat, so it starts at
 * its town instead.
 */
export function startingTier(level: Level, area: AreaRef, table: StartTierTable = DEFAULT_START_TIERS): Tier {
  const tier = table[level];
  return tier === 'community' && !area.communityCode ? 'town' : tier;
}

/** Can an item at `area` be held by a seat of `tier`? (A community seat needs a community.) */
export function tierFits(tier: Tier, area: AreaRef): boolean {
  return tier !== 'community' || Boolean(area.communityCode);
}

/** One seat: a tier and the area it serves. `key` is stable, for the roster and the database. */
export interface Seat {
  tier: Tier;
  townCode: string | null;
  communityCode: string | null;
  key: string;
}

export function seatKey(tier: Tier, townCode: string | null, communityCode: string | null): string {
  if (tier === 'district') return 'district';
  if (tier === 'town') return `town:${townCode}`;
  return `community:${communityCode}`;
}

/** The seat that owns an item at `area` while it is at `tier`. */
export function owningSeat(tier: Tier, area: AreaRef): Seat {
  if (!tierFits(tier, area)) throw new Error(`no ${tier} seat for an item without a community`);
  const townCode = tier === 'district' ? null : area.townCode;
  const communityCode = tier === 'community' ? (area.communityCode ?? null) : null;
  return { tier, townCode, communityCode, key: seatKey(tier, townCode, communityCode) };
}

/** Parses a seat key back ("district", "town:321171001", "community:321171001001"). */
export function parseSeatKey(key: string, townOfCommunity: (code: string) => string | undefined): Seat | null {
  if (key === 'district') return { tier: 'district', townCode: null, communityCode: null, key };
  const match = /^(town|community):(\d{6,15})$/.exec(key);
  if (!match) return null;
  if (match[1] === 'town') return { tier: 'town', townCode: match[2]!, communityCode: null, key };
  const town = townOfCommunity(match[2]!);
  return town ? { tier: 'community', townCode: town, communityCode: match[2]!, key } : null;
}

/** Which tier's seat a duty role sits at; null for roles that are no seat. */
export function seatTierOfRole(role: Role): Tier | null {
  switch (role) {
    case 'liaison':
      return 'community';
    case 'town_duty':
      return 'town';
    case 'district_duty':
      return 'district';
    default:
      return null;
  }
}

/** The seat an officer with this role and scope sits at, or null if the role is no seat. */
export function seatOfOfficer(role: Role, scope: Scope): Seat | null {
  const tier = seatTierOfRole(role);
  if (!tier) return null;
  if (tier === 'district' && scope.level === 'district') return owningSeat('district', { townCode: '' });
  if (tier === 'town' && scope.level === 'town') return owningSeat('town', { townCode: scope.townCode });
  if (tier === 'community' && scope.level === 'community') {
    return owningSeat('community', { townCode: scope.townCode, communityCode: scope.communityCode });
  }
  return null;
}

/** Does an officer with this role and scope sit at the seat owning an item at `area` and `tier`? */
export function sitsAtOwningSeat(role: Role, scope: Scope, tier: Tier, area: AreaRef): boolean {
  const seat = seatOfOfficer(role, scope);
  if (!seat || seat.tier !== tier) return false;
  if (tier === 'district') return true;
  if (tier === 'town') return seat.townCode === area.townCode;
  return seat.communityCode === (area.communityCode ?? null) && seat.townCode === area.townCode;
}

/**
 * Parses a start-tier table from configuration: "1:district,2:town,3:community"
 * (or "1=district,..."). Missing levels keep their defaults; anything else is
 * an error naming the part.
 */
export function parseStartTiers(raw: string | undefined): StartTierTable {
  const table: StartTierTable = { ...DEFAULT_START_TIERS };
  if (raw === undefined || raw.trim() === '') return table;
  for (const part of raw.split(',')) {
    const match = /^\s*([123])\s*[:=]\s*(community|town|district)\s*$/.exec(part);
    if (!match) throw new Error(`start tier "${part.trim()}" is not LEVEL:TIER (levels 1-3, tiers ${TIERS.join('|')})`);
    table[Number(match[1]) as Level] = match[2] as Tier;
  }
  return table;
}
