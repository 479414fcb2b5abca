// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode AccumulatingProtocol}: a protocol that records what happens to
 * it.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import type { Failure } from "../../defer/failure.ts";
import { Protocol } from "../protocol.ts";

const decoder = new TextDecoder();

/**
 * A protocol that keeps everything it receives and notes its connection
 * events (Twisted's `AccumulatingProtocol`). When its factory has a
 * `protocolConnectionMade` Deferred, `connectionMade` fires it (once) with
 * the protocol; a `closedDeferred` set on the protocol fires on
 * `connectionLost`.
 *
 * @example Usage
 * ```ts
 * import { AccumulatingProtocol, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const p = new AccumulatingProtocol();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new TextEncoder().encode("abc"));
 * equal(p.made, true);
 * equal(p.dataText(), "abc");
 * ```
 */
export class AccumulatingProtocol extends Protocol {
  /** Whether `connectionMade` ran. */
  made = false;
  /** Whether `connectionLost` ran. */
  closed = false;
  /** The reason `connectionLost` got. */
  closedReason: Failure | null = null;
  /** Fired with `undefined` by `connectionLost`, if set. */
  closedDeferred: Deferred<void> | null = null;
  #chunks: Uint8Array[] = [];

  /** Everything received, as bytes. */
  get data(): Uint8Array {
    let n = 0;
    for (const c of this.#chunks) n += c.length;
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of this.#chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }

  /** Returns everything received, decoded as UTF-8. */
  dataText(): string {
    return decoder.decode(this.data);
  }

  /** Notes the connection and fires the factory's `protocolConnectionMade`. */
  override connectionMade(): void {
    this.made = true;
    const f = this.factory as unknown as
      | { protocolConnectionMade?: Deferred<AccumulatingProtocol> | null }
      | undefined;
    const d = f?.protocolConnectionMade;
    if (d !== undefined && d !== null) {
      f!.protocolConnectionMade = null;
      d.callback(this);
    }
  }

  /**
   * Keeps the bytes.
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    this.#chunks.push(data);
  }

  /**
   * Notes the loss and fires {@linkcode AccumulatingProtocol.closedDeferred}.
   *
   * @param reason Why.
   */
  override connectionLost(reason: Failure): void {
    this.closed = true;
    this.closedReason = reason;
    const d = this.closedDeferred;
    if (d !== null) {
      this.closedDeferred = null;
      d.callback(undefined);
    }
  }
}
