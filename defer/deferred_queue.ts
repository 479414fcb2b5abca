// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode DeferredQueue}: a queue whose `get` is a Deferred.
 *
 * @module
 */

import { Deferred } from "./deferred.ts";
import { QueueOverflow, QueueUnderflow } from "./errors.ts";
import { succeed } from "./succeed.ts";
import { removeWaiter } from "./_run_holding.ts";

/**
 * An event-driven queue (Twisted's `DeferredQueue`). `put` hands an object
 * to the first waiting `get` at once, or keeps it; `get` returns a Deferred
 * that fires with the next object.
 *
 * @typeParam T The type of the objects.
 *
 * @example Usage
 * ```ts
 * import { DeferredQueue } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const q = new DeferredQueue<string>();
 * const got: string[] = [];
 * q.get().addCallback((s) => { got.push(s); });
 * q.put("a");
 * q.put("b");
 * q.get().addCallback((s) => { got.push(s); });
 * deepEqual(got, ["a", "b"]);
 * ```
 */
export class DeferredQueue<T> {
  /** The most objects kept waiting for a `get` (`undefined`: no limit). */
  readonly size: number | undefined;
  /** The most `get`s kept waiting for an object (`undefined`: no limit). */
  readonly backlog: number | undefined;
  /** Objects put and not yet taken. */
  readonly pending: T[] = [];
  /** Deferreds of the `get`s waiting for an object. */
  readonly waiting: Deferred<T>[] = [];

  /**
   * Creates a `DeferredQueue`.
   *
   * @param size The most objects to keep (no limit if omitted).
   * @param backlog The most waiting `get`s to keep (no limit if omitted).
   */
  constructor(size?: number, backlog?: number) {
    this.size = size;
    this.backlog = backlog;
  }

  /**
   * Gives `obj` to the first waiting `get`, or keeps it.
   *
   * @param obj The object.
   * @throws {QueueOverflow} If nobody waits and `size` objects are kept.
   */
  put(obj: T): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      next.callback(obj);
    } else if (this.size === undefined || this.pending.length < this.size) {
      this.pending.push(obj);
    } else {
      throw new QueueOverflow();
    }
  }

  /**
   * Takes the next object.
   *
   * @returns A Deferred of it: already fired if one was kept. Cancelling a
   *   waiting one removes it from the line.
   * @throws {QueueUnderflow} If nothing is kept and `backlog` gets wait.
   */
  get(): Deferred<T> {
    if (this.pending.length > 0) return succeed(this.pending.shift() as T);
    if (this.backlog === undefined || this.waiting.length < this.backlog) {
      const d = new Deferred<T>((w) => removeWaiter(this.waiting, w));
      this.waiting.push(d);
      return d;
    }
    throw new QueueUnderflow();
  }
}
