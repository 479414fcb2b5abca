// Copyright 2026 the Torsion authors. MIT license.
/**
 * Length-prefixed string protocols, after `twisted.protocols.basic`:
 * {@linkcode IntNStringReceiver} and its big-endian unsigned 8, 16 and 32-bit
 * variants {@linkcode Int8StringReceiver}, {@linkcode Int16StringReceiver}
 * and {@linkcode Int32StringReceiver}.
 *
 * @module
 */

import type { IPushProducer } from "../reactor/interfaces.ts";
import { notOverridden, toBytes } from "./_bytes.ts";
import { LengthPrefixDecoder } from "./_codec/length_prefix_decoder.ts";
import { PausableReceiver } from "./_pausable_receiver.ts";

/**
 * Thrown by `sendString` when a string is too long for the length prefix
 * (Twisted's `StringTooLongError`, an `AssertionError` there; a
 * `RangeError` here).
 *
 * @example Usage
 * ```ts
 * import { Int8StringReceiver, StringTooLongError } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { throws } from "node:assert/strict";
 *
 * const p = new Int8StringReceiver();
 * p.makeConnection(new StringTransport());
 * throws(() => p.sendString(new Uint8Array(256)), StringTooLongError);
 * ```
 */
export class StringTooLongError extends RangeError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StringTooLongError";
  }
}

/**
 * The base of length-prefixed string protocols (Twisted's
 * `IntNStringReceiver`): each string is sent as its length, a big-endian
 * unsigned integer of {@linkcode IntNStringReceiver.prefixLength} bytes,
 * then its bytes. Subclasses set `prefixLength`; use
 * {@linkcode Int8StringReceiver}, {@linkcode Int16StringReceiver} or
 * {@linkcode Int32StringReceiver}.
 *
 * Override {@linkcode IntNStringReceiver.stringReceived}: it gets each
 * string as bytes (binary-safe). A length prefix above
 * {@linkcode IntNStringReceiver.MAX_LENGTH} (99999 for every width, as in
 * Twisted) calls {@linkcode IntNStringReceiver.lengthLimitExceeded} and the
 * string is never delivered, even when it is all there. Pausing
 * ({@linkcode IntNStringReceiver.pauseProducing}) holds back delivery.
 *
 * Unlike Twisted's, there is no `structFormat`: prefixes are always
 * big-endian unsigned; a `dataReceived` called from `stringReceived` only
 * buffers (Twisted re-parses from the start of its buffer).
 *
 * @example Usage
 * ```ts
 * import { Int16StringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * class Collect extends Int16StringReceiver {
 *   seen: number[][] = [];
 *   override stringReceived(data: Uint8Array): void {
 *     this.seen.push([...data]);
 *   }
 * }
 * const p = new Collect();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new Uint8Array([0, 2, 7, 8, 0]));
 * p.dataReceived(new Uint8Array([1, 9]));
 * deepEqual(p.seen, [[7, 8], [9]]);
 * ```
 */
export abstract class IntNStringReceiver extends PausableReceiver
  implements IPushProducer {
  /**
   * The largest length prefix accepted.
   *
   * @default {99999}
   */
  MAX_LENGTH: number = 99999;
  /** The size of the length prefix in bytes (1 to 6). */
  abstract readonly prefixLength: number;

  // Splits the strings; the receiver delivers them. Made on first use:
  // `prefixLength` is set by a subclass, after this constructor runs.
  #decoder: LengthPrefixDecoder | null = null;
  #busy = false;

  #strings(): LengthPrefixDecoder {
    return this.#decoder ??= new LengthPrefixDecoder(this.prefixLength);
  }

  /**
   * The bytes received and not parsed yet. Inside
   * {@linkcode IntNStringReceiver.stringReceived} they are what follows the
   * current string; inside
   * {@linkcode IntNStringReceiver.lengthLimitExceeded}, everything from the
   * offending prefix on. Assigning it replaces them: parsing goes on from
   * the start of the new bytes (Twisted's `recvd` compatibility attribute).
   *
   * @example Usage
   * ```ts
   * import { Int8StringReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const rests: number[][] = [];
   * class Peek extends Int8StringReceiver {
   *   override stringReceived(_data: Uint8Array): void {
   *     rests.push([...this.recvd]);
   *   }
   * }
   * const p = new Peek();
   * p.makeConnection(new StringTransport());
   * p.dataReceived(new Uint8Array([1, 65, 3, 66]));
   * deepEqual(rests, [[3, 66]]);
   * ```
   */
  get recvd(): Uint8Array {
    return this.#strings().peek();
  }
  set recvd(data: Uint8Array) {
    this.#strings().replace(data);
  }

  /**
   * Called with each string received. Override it (the default throws).
   *
   * @param _data The string: bytes that stay valid and may be kept.
   * @throws {Error} Unless overridden (Twisted's `NotImplementedError`).
   */
  stringReceived(_data: Uint8Array): void {
    throw notOverridden(this, "stringReceived");
  }

  /**
   * Called when a length prefix is above
   * {@linkcode IntNStringReceiver.MAX_LENGTH}. The default closes the
   * connection. The data stays in {@linkcode IntNStringReceiver.recvd}.
   *
   * @param _length The length received.
   */
  lengthLimitExceeded(_length: number): void {
    this.transport.loseConnection();
  }

  /**
   * Parses received bytes and calls
   * {@linkcode IntNStringReceiver.stringReceived} for each complete string.
   * `data` is kept without a copy: do not change it afterwards. Called from
   * a handler, it only buffers `data`.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    const decoder = this.#strings();
    decoder.push(data);
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (!this.paused) {
        // A handler may change it between strings.
        decoder.maxLength = this.MAX_LENGTH;
        const payload = decoder.next();
        if (payload === null) {
          if (!decoder.exceeded) break;
          // The data stays in `recvd`.
          this.lengthLimitExceeded(decoder.announcedLength);
          return;
        }
        this.stringReceived(payload);
      }
      decoder.compact();
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Sends `data` with its length prefix, in one write. Like Twisted, it
   * checks only that the length fits the prefix, not
   * {@linkcode IntNStringReceiver.MAX_LENGTH}.
   *
   * @param data The string (a string as UTF-8).
   * @throws {StringTooLongError} If `data` has `2 ** (8 * prefixLength)`
   *   bytes or more.
   *
   * @example Usage
   * ```ts
   * import { Int32StringReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new Int32StringReceiver();
   * p.makeConnection(t);
   * p.sendString("foo");
   * deepEqual([...t.value()], [0, 0, 0, 3, 102, 111, 111]);
   * ```
   */
  sendString(data: Uint8Array | string): void {
    const payload = toBytes(data);
    const size = this.prefixLength;
    const n = payload.length;
    const limit = 2 ** (8 * size);
    if (n >= limit) {
      throw new StringTooLongError(
        `Try to send ${n} bytes whereas maximum is ${limit}`,
      );
    }
    const out = new Uint8Array(size + n);
    let v = n;
    for (let i = size - 1; i >= 0; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    out.set(payload, size);
    this.transport.write(out);
  }
}

/**
 * A receiver of strings with a 4-byte big-endian length prefix (Twisted's
 * `Int32StringReceiver`, `"!I"`).
 *
 * @example Usage
 * ```ts
 * import { Int32StringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const got: string[] = [];
 * class P extends Int32StringReceiver {
 *   override stringReceived(data: Uint8Array): void {
 *     got.push(new TextDecoder().decode(data));
 *   }
 * }
 * const p = new P();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new Uint8Array([0, 0, 0, 4, 117, 98, 97, 114]));
 * deepEqual(got, ["ubar"]);
 * ```
 */
export class Int32StringReceiver extends IntNStringReceiver {
  /** The prefix is 4 bytes. */
  readonly prefixLength: number = 4;
}

/**
 * A receiver of strings with a 2-byte big-endian length prefix (Twisted's
 * `Int16StringReceiver`, `"!H"`).
 *
 * @example Usage
 * ```ts
 * import { Int16StringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Int16StringReceiver();
 * p.makeConnection(t);
 * p.sendString("foo");
 * deepEqual([...t.value()], [0, 3, 102, 111, 111]);
 * ```
 */
export class Int16StringReceiver extends IntNStringReceiver {
  /** The prefix is 2 bytes. */
  readonly prefixLength: number = 2;
}

/**
 * A receiver of strings with a 1-byte length prefix (Twisted's
 * `Int8StringReceiver`, `"!B"`).
 *
 * @example Usage
 * ```ts
 * import { Int8StringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Int8StringReceiver();
 * p.makeConnection(t);
 * p.sendString("foo");
 * deepEqual([...t.value()], [3, 102, 111, 111]);
 * ```
 */
export class Int8StringReceiver extends IntNStringReceiver {
  /** The prefix is 1 byte. */
  readonly prefixLength: number = 1;
}
