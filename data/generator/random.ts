import seedrandom from 'seedrandom';

/** One fixed seed for the whole generator: same output on every run and machine. */
export const GENERATOR_SEED = 'zhenjiang-new-area-321171';

export interface Rng {
  (): number;
  /** Uniform in [a, b). */
  range(a: number, b: number): number;
  /** Integer in [a, b]. */
  int(a: number, b: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index chosen with probability proportional to weights. */
  weighted(weights: readonly number[]): number;
}

/** A seeded stream; separate streams per concern so changing one part does not reshuffle the others. */
export function makeRng(stream: string): Rng {
  const base = seedrandom(`${GENERATOR_SEED}/${stream}`);
  const rng = (() => base()) as Rng;
  rng.range = (a, b) => a + (b - a) * base();
  rng.int = (a, b) => a + Math.floor((b - a + 1) * base());
  rng.pick = (items) => items[Math.floor(items.length * base())];
  rng.weighted = (weights) => {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = base() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  };
  return rng;
}

/** Smooth low-frequency noise in [-1, 1] (a few random sine waves): makes borders irregular but coherent. */
export function makeNoise(stream: string, wavelengthKm: number): (x: number, y: number) => number {
  const rng = makeRng(`noise/${stream}`);
  const waves = Array.from({ length: 5 }, () => {
    const angle = rng.range(0, Math.PI);
    const k = (2 * Math.PI) / (wavelengthKm * rng.range(0.6, 1.4));
    return { kx: k * Math.cos(angle), ky: k * Math.sin(angle), phase: rng.range(0, 2 * Math.PI) };
  });
  return (x, y) => waves.reduce((s, w) => s + Math.sin(w.kx * x + w.ky * y + w.phase), 0) / waves.length * 1.6;
}

/**
 * Split `total` into integers proportional to `weights` (largest remainder),
 * never below `min[i]`. Deterministic: ties go to the lower index.
 */
export function apportion(total: number, weights: readonly number[], min: readonly number[] = []): number[] {
  const floor = weights.map((_, i) => min[i] ?? 0);
  let rest = total - floor.reduce((s, v) => s + v, 0);
  if (rest < 0) throw new Error(`apportion: minimums ${total - rest} exceed total ${total}`);
  const wsum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (wsum > 0 ? (w / wsum) * rest : rest / weights.length));
  const out = floor.map((f, i) => f + Math.floor(exact[i]));
  rest = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < rest; k++) out[order[k % order.length].i]++;
  return out;
}
