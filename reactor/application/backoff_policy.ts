// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode backoffPolicy}: the exponential retry delays of
 * `ClientService`, after `twisted.application.internet.backoffPolicy`.
 *
 * @module
 */

/** Options of {@linkcode backoffPolicy}. */
export interface BackoffPolicyOptions {
  /**
   * The delay, in seconds, that `factor` multiplies: before jitter, attempt
   * `n` waits `initialDelay * factor ** n`.
   *
   * @default {1.0}
   */
  initialDelay?: number;
  /**
   * The longest delay in seconds, before jitter is added (so the longest
   * wait is this plus the largest jitter).
   *
   * @default {60}
   */
  maxDelay?: number;
  /**
   * How much the delay grows with each failed attempt.
   *
   * @default {1.5}
   */
  factor?: number;
  /**
   * Returns the noise added to each delay, in seconds.
   *
   * @default {Math.random: between 0 and 1}
   */
  jitter?: () => number;
}

/**
 * Makes a retry policy for `ClientService` (Twisted's
 * `internet.backoffPolicy`): given the number of failed attempts in a row,
 * it returns the seconds to wait before the next,
 * `min(initialDelay * factor ** min(100, attempt), maxDelay) + jitter()`
 * (`maxDelay` if the power overflows). `ClientService` counts from 1, so
 * with the defaults the first retry waits 1.5 s plus up to 1 s of jitter,
 * the next 2.25 s, and so on up to 60 s.
 *
 * @param options The delays, the growth factor and the jitter.
 * @returns The policy: attempt number to seconds.
 *
 * @example Usage
 * ```ts
 * import { backoffPolicy } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * const policy = backoffPolicy({ jitter: () => 0 });
 * equal(policy(1), 1.5);
 * equal(policy(2), 2.25);
 * equal(policy(20), 60);
 * ```
 */
export function backoffPolicy(
  options: BackoffPolicyOptions = {},
): (attempt: number) => number {
  const initialDelay = options.initialDelay ?? 1.0;
  const maxDelay = options.maxDelay ?? 60.0;
  const factor = options.factor ?? 1.5;
  const jitter = options.jitter ?? Math.random;
  return function policy(attempt: number): number {
    const power = factor ** Math.min(100, attempt);
    // Python raises OverflowError where this gives Infinity; Twisted then
    // uses maxDelay.
    const delay = Number.isFinite(power)
      ? Math.min(initialDelay * power, maxDelay)
      : maxDelay;
    return delay + jitter();
  };
}
