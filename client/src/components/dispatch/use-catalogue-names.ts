// Catalogue item names by code, in the current language, for queue lines and details.
import { computed, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Catalogue } from '@shared/schemas/catalogue.ts';
import { geoApi } from '../../api/geo-api.ts';

export function useCatalogueNames() {
  const { locale } = useI18n();
  const catalogue = shallowRef<Catalogue | null>(null);
  geoApi.catalogue().then((c) => { catalogue.value = c; }).catch(() => undefined);
  return computed<Record<string, string>>(() =>
    Object.fromEntries((catalogue.value?.items ?? []).map((i) => [i.code, locale.value === 'en' ? i.nameEn : i.name])));
}
