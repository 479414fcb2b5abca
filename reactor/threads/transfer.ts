// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode transfer}: marks a value to be moved to or from a pool worker
 * instead of copied.
 *
 * @module
 */

/**
 * A value to hand to or from a pool worker with its `Transferable`s moved,
 * not copied; made by {@linkcode transfer}.
 *
 * @example Usage
 * ```ts
 * import { Transfer } from "@torsion/torsion/threads";
 * import { equal } from "node:assert/strict";
 *
 * const buffer = new ArrayBuffer(8);
 * const t = new Transfer(buffer, [buffer]);
 * equal(t.value, buffer);
 * ```
 */
export class Transfer<T = unknown> {
  /** The value. */
  readonly value: T;
  /** What is moved along with it (detached on the sending side). */
  readonly transferList: Transferable[];

  /**
   * Creates a `Transfer`.
   *
   * @param value The value.
   * @param transferList What to move.
   */
  constructor(value: T, transferList: Transferable[]) {
    this.value = value;
    this.transferList = transferList;
  }
}

/**
 * Marks `value` to be moved, not copied, to a pool worker (as an argument of
 * `deferToThread` and friends) or back from one (as what the worker's
 * function returns). Without `transferList`, an `ArrayBuffer` or a
 * `MessagePort` moves itself and a typed array or `DataView` moves its
 * buffer (the **whole** buffer, detached on the sending side, other views
 * of it included).
 *
 * @typeParam T The value's type.
 * @param value The value.
 * @param transferList What to move; by default derived from `value`.
 * @returns The marked value.
 *
 * @example Usage
 * ```ts
 * import { transfer } from "@torsion/torsion/threads";
 * import { equal } from "node:assert/strict";
 *
 * const bytes = new Uint8Array(1024);
 * const t = transfer(bytes);
 * equal(t.transferList[0], bytes.buffer);
 * ```
 */
export function transfer<T>(
  value: T,
  transferList?: Transferable[],
): Transfer<T> {
  if (transferList !== undefined) return new Transfer(value, transferList);
  if (value instanceof ArrayBuffer || value instanceof MessagePort) {
    return new Transfer(value, [value]);
  }
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) {
    return new Transfer(value, [value.buffer]);
  }
  return new Transfer(value, []);
}

/** Unwraps marked values: the values, and what to transfer with them. */
export function _unwrapTransfers(
  values: readonly unknown[],
): [unknown[], Transferable[]] {
  const out: unknown[] = [];
  const list: Transferable[] = [];
  for (const v of values) {
    if (v instanceof Transfer) {
      out.push(v.value);
      for (const t of v.transferList) {
        if (!list.includes(t)) list.push(t);
      }
    } else {
      out.push(v);
    }
  }
  return [out, list];
}
