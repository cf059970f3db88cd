// What the screen's layer switcher controls. Provided by BigScreenView to the
// switcher, the legend and the map layers; kept in the page, not in a store,
// because it means nothing outside the big screen.
import { inject, provide, reactive, type InjectionKey } from 'vue';
import type { HeatPeriod } from '@shared/schemas/stats.ts';

export const SCREEN_TOGGLES = ['incidents', 'heatmap', 'choropleth', 'cameras', 'grids'] as const;
export type ScreenToggle = (typeof SCREEN_TOGGLES)[number];

export interface ScreenOptions {
  visible: Record<ScreenToggle, boolean>;
  heatDays: HeatPeriod;
}

const KEY: InjectionKey<ScreenOptions> = Symbol('screen-options');

export function provideScreenOptions(): ScreenOptions {
  const options = reactive<ScreenOptions>({
    visible: { incidents: true, heatmap: false, choropleth: false, cameras: true, grids: true },
    heatDays: 1,
  });
  provide(KEY, options);
  return options;
}

export function useScreenOptions(): ScreenOptions {
  const options = inject(KEY);
  if (!options) throw new Error('useScreenOptions() outside the big screen');
  return options;
}
