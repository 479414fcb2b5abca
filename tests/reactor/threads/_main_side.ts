// Copyright 2026 the Torsion authors. MIT license.
// Functions the pool workers of the thread tests call in the reactor's
// thread.
import { Deferred } from "../../../defer/mod.ts";

/** What record() was called with, in order. */
export const recorded: unknown[] = [];
/** Resolvers waiting for the next record() call. */
export const waiting: ((v: unknown) => void)[] = [];

/** Records `v`. */
export function record(v: unknown): void {
  recorded.push(v);
  waiting.shift()?.(v);
}

/** Ten times n. */
export function times10(n: number): number {
  return n * 10;
}

/** Ten times n, from a Deferred fired later. */
export function times10Later(n: number): Deferred<number> {
  const d = new Deferred<number>();
  queueMicrotask(() => d.callback(n * 10));
  return d;
}

/** Throws. */
export function fails(): never {
  throw new RangeError("main side says no");
}
