// What the user chose to see: visible layers, the selected object, language.
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { i18n, applyLocale } from '../i18n/index.ts';
import { otherLocale, type Locale } from '../i18n/locale.ts';

export const LAYER_TOGGLES = [
  'comprehensive', 'enterprise', 'stations', 'cameras', 'sensors', 'communityBorders', 'labels',
] as const;
export type LayerToggle = (typeof LAYER_TOGGLES)[number];

export type SelectionKind = 'grid' | 'station' | 'camera' | 'sensor';
export type Selection = { kind: SelectionKind; code: string };

export const useUiStore = defineStore('ui', () => {
  const visible = reactive<Record<LayerToggle, boolean>>({
    comprehensive: true,
    enterprise: true,
    stations: true,
    cameras: true,
    sensors: false, // fire sensors are dense; shown on demand
    communityBorders: true,
    labels: true,
  });
  const selection = ref<Selection | null>(null);
  const locale = ref<Locale>(i18n.global.locale.value as Locale);

  function setVisible(toggle: LayerToggle, on: boolean): void {
    visible[toggle] = on;
  }

  function select(next: Selection | null): void {
    selection.value = next;
  }

  function setLocale(next: Locale): void {
    locale.value = next;
    applyLocale(next);
  }

  function toggleLocale(): void {
    setLocale(otherLocale(locale.value));
  }

  return { visible, selection, locale, setVisible, select, setLocale, toggleLocale };
});
