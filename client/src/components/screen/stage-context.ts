// What the scaled stage tells the canvases inside it: the pixel ratio to draw
// at (device pixels × stage scale, see stage-fit.ts).
import type { InjectionKey, Ref } from 'vue';

export const STAGE_KEY: InjectionKey<{ scale: Ref<number>; pixelRatio: Ref<number> }> = Symbol('screen-stage');
