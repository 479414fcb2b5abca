// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode captureLog}: collect log events in a test instead of printing
 * them.
 *
 * @module
 */

import type { ErrorClass, Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";

/**
 * Collects every log event while it is active (Twisted's
 * `EventLoggingObserver`). Made by {@linkcode captureLog}; stop it with
 * {@linkcode LogCapture.restore}, or let `using` do it.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { captureLog } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * {
 *   using captured = captureLog();
 *   log.msg("hello");
 *   log.err(new RangeError("bad"));
 *   deepEqual(captured.messages, ["hello", "Unhandled Error"]);
 *   equal(captured.flushLoggedErrors(RangeError).length, 1);
 * }
 * ```
 */
export class LogCapture implements Disposable {
  /** The events seen so far. */
  readonly events: log.LogEvent[] = [];
  #observer: log.LogObserver = (e) => this.events.push(e);
  #active = true;

  constructor() {
    log.addObserver(this.#observer);
  }

  /** The messages of the events seen so far. */
  get messages(): string[] {
    return this.events.map((e) => e.message);
  }

  /** Returns the failures of the error events seen so far. */
  errors(): Failure[] {
    return this.events.flatMap((e) =>
      e.failure === undefined ? [] : [e.failure]
    );
  }

  /**
   * Removes the error events whose failure matches one of `types` (all
   * error events if none is given) and returns their failures, like trial's
   * `flushLoggedErrors`.
   *
   * @param types Error classes or names to match.
   * @returns The failures removed.
   */
  flushLoggedErrors(...types: (ErrorClass | string)[]): Failure[] {
    const out: Failure[] = [];
    for (let i = 0; i < this.events.length;) {
      const f = this.events[i].failure;
      if (
        f !== undefined && (types.length === 0 || f.check(...types) !== null)
      ) {
        out.push(f);
        this.events.splice(i, 1);
      } else {
        i++;
      }
    }
    return out;
  }

  /** Stops collecting. */
  restore(): void {
    if (!this.#active) return;
    this.#active = false;
    log.removeObserver(this.#observer);
  }

  /** Stops collecting (for `using`). */
  [Symbol.dispose](): void {
    this.restore();
  }
}

/**
 * Starts collecting log events; while it collects, nothing is printed.
 *
 * @returns The capture; `restore()` it (or declare it with `using`).
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { captureLog } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const captured = captureLog();
 * log.msg("quiet");
 * captured.restore();
 * deepEqual(captured.messages, ["quiet"]);
 * ```
 */
export function captureLog(): LogCapture {
  return new LogCapture();
}
