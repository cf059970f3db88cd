// A switch that only the screen benchmark (bench/screen.bench.ts) turns on,
// from the URL (`#/screen?bench=setdata`): the map then gets every pushed
// update at once as a setData of its whole collection (incidents and
// cameras), the naive way, as the baseline that the product's per-frame
// updateData diffs and feature-state are measured against. Read once at
// load; a real screen never has it.
export const SETDATA_BASELINE = typeof location !== 'undefined' && /[?&]bench=setdata(&|$)/.test(location.hash);

/** Runs a batch's flush at once (no coalescing): the baseline's "every update". */
export const immediately = (run: () => void): void => run();
