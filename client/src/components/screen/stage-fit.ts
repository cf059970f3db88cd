// The big screen is laid out once, on a fixed 1920×1080 stage, and scaled as
// a whole to the display: uniform scale (no distortion), centred, the spare
// band left black (letterbox), so a 3840×2160 wall and a 1366×768 laptop show
// the same picture and nothing ever needs a scrollbar.
export const STAGE_WIDTH = 1920;
export const STAGE_HEIGHT = 1080;

export interface StageFit {
  scale: number;
  /** Offset of the stage's top-left corner inside the viewport, in CSS px. */
  left: number;
  top: number;
}

export function fitStage(viewportWidth: number, viewportHeight: number, width = STAGE_WIDTH, height = STAGE_HEIGHT): StageFit {
  if (!(viewportWidth > 0) || !(viewportHeight > 0)) return { scale: 1, left: 0, top: 0 };
  const scale = Math.min(viewportWidth / width, viewportHeight / height);
  return {
    scale,
    left: Math.round((viewportWidth - width * scale) / 2),
    top: Math.round((viewportHeight - height * scale) / 2),
  };
}

/**
 * Canvas resolution for a scaled stage: a canvas laid out at stage size and
 * enlarged by CSS would be blurry on a 4K wall, so canvases (map, charts)
 * draw at device pixels × stage scale. Capped: beyond 3 the GPU pays for
 * detail nobody can see from five metres.
 */
export function canvasPixelRatio(devicePixelRatio: number, scale: number): number {
  const ratio = (devicePixelRatio > 0 ? devicePixelRatio : 1) * (scale > 0 ? scale : 1);
  return Math.min(3, Math.max(1, Math.round(ratio * 100) / 100));
}
