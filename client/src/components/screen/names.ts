// Names for codes, in the UI language: catalogue items and domains from the
// shared catalogue, places from the loaded geography (communities and grids
// only have Chinese names).
import { computed } from 'vue';
import { CATALOGUE_ITEMS, DOMAIN_INFO } from '../../../../shared/catalogue.ts';
import { useGeoStore } from '../../stores/geo.ts';
import { useUiStore } from '../../stores/ui.ts';

const ITEMS = new Map(CATALOGUE_ITEMS.map((i) => [i.code, i]));
const DOMAINS = new Map(DOMAIN_INFO.map((d) => [d.code, d]));

export function useNames() {
  const geo = useGeoStore();
  const ui = useUiStore();
  const en = computed(() => ui.locale === 'en');
  const towns = computed(() => new Map((geo.towns?.features ?? []).map((t) => [t.id, t.properties])));
  const communities = computed(() => new Map((geo.communities?.features ?? []).map((c) => [c.id, c.properties.name])));

  const item = (code: string) => {
    const found = ITEMS.get(code);
    return found ? (en.value ? found.nameEn : found.name) : code;
  };
  const domain = (code: string) => {
    const d = DOMAINS.get(code as never);
    return d ? (en.value ? d.nameEn : d.name) : code;
  };
  const town = (code: string) => {
    const t = towns.value.get(code);
    return t ? (en.value ? t.nameEn : t.name) : code;
  };
  const community = (code: string) => communities.value.get(code) ?? code;
  const grid = (code: string) => geo.gridsByCode.get(code)?.properties.name ?? code;
  /** "Town · Community · Grid" as far as the codes go. */
  const place = (area: { townCode: string; communityCode?: string | null; gridCode?: string | null }) => {
    const parts = [town(area.townCode)];
    if (area.communityCode) parts.push(community(area.communityCode));
    if (area.gridCode) parts.push(grid(area.gridCode));
    return parts.join(' · ');
  };
  return { item, domain, town, community, grid, place };
}

export type Names = ReturnType<typeof useNames>;

/** hh:mm:ss on a 24-hour clock. */
export function timeOfDay(iso: string | number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso));
}

export function percent(rate: number | null, locale: string): string {
  return rate === null ? '—' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(rate * 100)}%`;
}
