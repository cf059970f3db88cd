// Towns and communities for the scope pickers and the scope column, fetched
// once per page load (administrators have geo:read but the admin pages draw
// no map, so the geo store may be empty). Grids are fetched per community.
import { computed, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { CommunityCollection, GridCollection, TownCollection } from '@shared/schemas/geo.ts';
import type { Scope } from '@shared/schemas/auth.ts';
import { geoApi } from '../../api/geo-api.ts';
import { getJson } from '../../api/http.ts';
import { scopeLabel, type PlaceNames } from '../auth/auth-labels.ts';

const towns = shallowRef<TownCollection | null>(null);
const communities = shallowRef<CommunityCollection | null>(null);
let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= Promise.all([geoApi.towns(), geoApi.communities()]).then(([t, c]) => {
    towns.value = t;
    communities.value = c;
  }).catch(() => {
    loading = null; // the codes stand in for names; the next page visit tries again
  });
  return loading;
}

const gridCache = new Map<string, Promise<GridCollection>>();

export function usePlaces() {
  const { t, locale } = useI18n();
  void load();

  const townList = computed(() => (towns.value?.features ?? []).map((f) => ({
    code: f.properties.code, name: locale.value === 'en' ? f.properties.nameEn : f.properties.name,
  })));
  const communityList = computed(() => (communities.value?.features ?? []).map((f) => ({
    code: f.properties.code, name: f.properties.name, townCode: f.properties.townCode,
  })));

  const names = computed<PlaceNames>(() => {
    const townNames = new Map(townList.value.map((x) => [x.code, x.name]));
    const communityNames = new Map(communityList.value.map((x) => [x.code, x.name]));
    return { town: (c) => townNames.get(c), community: (c) => communityNames.get(c) };
  });

  function scopeText(scope: Scope | null): string {
    return scope ? scopeLabel(t, scope, names.value) : '';
  }

  /** The grids of one community (cached): a field worker's account names one. */
  function gridsOf(communityCode: string): Promise<{ code: string; name: string }[]> {
    let pending = gridCache.get(communityCode);
    if (!pending) {
      pending = getJson<GridCollection>('/api/v1/grids', { community: communityCode });
      gridCache.set(communityCode, pending);
      pending.catch(() => gridCache.delete(communityCode));
    }
    return pending.then((g) => g.features.map((f) => ({ code: f.properties.code, name: f.properties.name })));
  }

  return { townList, communityList, names, scopeText, gridsOf };
}
