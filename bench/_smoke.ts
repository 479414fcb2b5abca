// Copyright 2026 the Torsion authors. MIT license.
/**
 * Options shared by the micro benchmarks: with `TORSION_BENCH_SMOKE=1` (what
 * `deno task bench:smoke` and CI set), each benchmark runs about once, just to
 * prove it still works.
 */
export const benchOptions: { n?: number; warmup?: number } =
  Deno.env.get("TORSION_BENCH_SMOKE") === "1" ? { n: 1, warmup: 0 } : {};
