// Copyright 2026 the Torsion authors. MIT license.
// Forcing garbage collection in the Deferred tests (run with
// --v8-flags=--expose-gc, as the test task does).
import { ok } from "node:assert/strict";

/**
 * Collects garbage and lets finalizers run until `done()` is true, for at
 * most `rounds` rounds.
 */
export async function collectGarbage(
  done: () => boolean,
  rounds = 50,
): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  ok(gc, "run with --v8-flags=--expose-gc");
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
