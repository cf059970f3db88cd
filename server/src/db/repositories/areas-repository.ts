// Resolves the codes a client names (a town, a community, a grid) into the
// full place they denote, so a scope is always stored whole and consistent.
import type { Scope, ScopeInput } from '../../../../shared/schemas/auth.ts';
import type { Queryable } from './db.ts';

/** The Scope a ScopeInput names, or undefined when its town / community does not exist. */
export async function resolveScope(db: Queryable, input: ScopeInput): Promise<Scope | undefined> {
  if (input.level === 'district') return { level: 'district' };
  if (input.level === 'town') {
    const { rowCount } = await db.query('SELECT 1 FROM towns WHERE code = $1', [input.townCode]);
    return rowCount ? { level: 'town', townCode: input.townCode } : undefined;
  }
  const { rows } = await db.query<{ townCode: string }>('SELECT town_code AS "townCode" FROM communities WHERE code = $1', [input.communityCode]);
  return rows[0] ? { level: 'community', townCode: rows[0].townCode, communityCode: input.communityCode } : undefined;
}

export async function gridArea(db: Queryable, gridCode: string): Promise<{ townCode: string; communityCode: string } | undefined> {
  const { rows } = await db.query<{ townCode: string; communityCode: string }>(
    'SELECT town_code AS "townCode", community_code AS "communityCode" FROM grids WHERE code = $1', [gridCode]);
  return rows[0];
}

/** Everything demo seeding names accounts after. */
export async function areaCodes(db: Queryable): Promise<{
  towns: { code: string; name: string }[];
  communities: { code: string; name: string; townCode: string }[];
  grids: { code: string; name: string; townCode: string; communityCode: string }[];
}> {
  const [towns, communities, grids] = await Promise.all([
    db.query<{ code: string; name: string }>('SELECT code, name FROM towns ORDER BY code'),
    db.query<{ code: string; name: string; townCode: string }>('SELECT code, name, town_code AS "townCode" FROM communities ORDER BY code'),
    db.query<{ code: string; name: string; townCode: string; communityCode: string }>(
      'SELECT code, name, town_code AS "townCode", community_code AS "communityCode" FROM grids ORDER BY code'),
  ]);
  return { towns: towns.rows, communities: communities.rows, grids: grids.rows };
}
