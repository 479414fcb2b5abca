// Copyright 2026 the Torsion authors. MIT license.
/**
 * The defaults and the checking of {@linkcode WriteBufferLimits}, shared by
 * the transports and the test doubles.
 *
 * @module
 */

import type { WriteBufferLimits } from "../interfaces.ts";

/**
 * The limits a stream transport starts with: producers paused and reading
 * stopped above 64 KiB (Twisted's `bufferSize`), resumed once the buffer is
 * empty (Twisted resumes only then), and a 16 MiB ceiling.
 */
export const DEFAULT_WRITE_BUFFER_LIMITS: Readonly<
  Required<WriteBufferLimits>
> = Object.freeze({
  high: 65536,
  low: 0,
  max: 16 * 1024 * 1024,
  pauseReading: true,
});

function isLimit(n: unknown): n is number {
  return typeof n === "number" && !Number.isNaN(n);
}

/**
 * Returns `current` with `update` applied.
 *
 * @throws {TypeError} If a limit is not a number (or `pauseReading` not a boolean).
 * @throws {RangeError} Unless `max >= high >= low >= 0` holds.
 */
export function updateWriteBufferLimits(
  current: Readonly<Required<WriteBufferLimits>>,
  update: WriteBufferLimits,
): Required<WriteBufferLimits> {
  const next = { ...current };
  for (const key of ["high", "low", "max"] as const) {
    const v = update[key];
    if (v === undefined) continue;
    if (!isLimit(v)) {
      throw new TypeError(
        `Cannot set write buffer limits: ${key} must be a number, received ${
          String(v)
        }`,
      );
    }
    next[key] = v;
  }
  if (update.pauseReading !== undefined) {
    if (typeof update.pauseReading !== "boolean") {
      throw new TypeError(
        "Cannot set write buffer limits: pauseReading must be a boolean",
      );
    }
    next.pauseReading = update.pauseReading;
  }
  if (!(next.max >= next.high && next.high >= next.low && next.low >= 0)) {
    throw new RangeError(
      `Cannot set write buffer limits as max >= high >= low >= 0 must hold: received max ${next.max}, high ${next.high}, low ${next.low}`,
    );
  }
  return next;
}
