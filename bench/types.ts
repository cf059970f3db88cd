// The shape every benchmark file (`bench/*.bench.ts`) exports as `default`.
export interface BenchResult {
  /** One line for the console. */
  summary: string;
  /** The body of this bench's section in docs/BENCHMARKS.md (no heading). */
  markdown: string;
}

export interface Bench {
  /** Short id: CLI filter and section marker, e.g. `locate`. */
  name: string;
  /** Section heading in docs/BENCHMARKS.md. */
  title: string;
  run(): Promise<BenchResult>;
}
