// Random draws for the demo feed, on a seeded generator (seedrandom) so a
// given seed replays the same feed: tests and benchmarks can rely on it.
import seedrandom from 'seedrandom';

/** A uniform draw in [0, 1). */
export type Rng = () => number;

export function seededRng(seed: string): Rng {
  return seedrandom(seed);
}

/** Number of events of a Poisson process with this mean in one interval. */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  // Knuth's product method is exact and cheap for the small means a tick sees;
  // large means (benchmarks) use the normal approximation.
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng();
  while (product > limit) {
    k += 1;
    product *= rng();
  }
  return k;
}

/** A standard normal draw (Box-Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) is -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Uniform in [min, max). */
export function between(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** A prepared weighted choice: cumulative weights and a binary search, O(log n) a draw. */
export class WeightedChoice<T> {
  private readonly cumulative: number[];
  readonly total: number;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('WeightedChoice needs one weight per item, at least one item');
    let sum = 0;
    this.cumulative = weights.map((w) => {
      if (!(w >= 0)) throw new Error(`weights must be >= 0, got ${w}`);
      return (sum += w);
    });
    if (!(sum > 0)) throw new Error('WeightedChoice needs a positive total weight');
    this.total = sum;
  }

  pick(rng: Rng): T {
    const target = rng() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}
