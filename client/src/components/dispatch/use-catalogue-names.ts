// The catalogue in the current language, for queue lines and details: item
// names by code, and each item's domain and level as the catalogue has them.
import { computed, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Catalogue } from '@shared/schemas/catalogue.ts';
import { geoApi } from '../../api/geo-api.ts';

export interface CatalogueEntry {
  name: string;
  domain: string;
  level: number;
}

export function useCatalogueNames() {
  const { locale } = useI18n();
  const catalogue = shallowRef<Catalogue | null>(null);
  geoApi.catalogue().then((c) => { catalogue.value = c; }).catch(() => undefined);
  const en = () => locale.value === 'en';
  const itemNames = computed<Record<string, string>>(() =>
    Object.fromEntries((catalogue.value?.items ?? []).map((i) => [i.code, en() ? i.nameEn : i.name])));
  const items = computed<Record<string, CatalogueEntry>>(() => {
    const domains = new Map((catalogue.value?.domains ?? []).map((d) => [d.code, en() ? d.nameEn : d.name]));
    return Object.fromEntries((catalogue.value?.items ?? []).map((i) => [
      i.code, { name: en() ? i.nameEn : i.name, domain: domains.get(i.domain) ?? i.domain, level: i.level },
    ]));
  });
  return { itemNames, items };
}
