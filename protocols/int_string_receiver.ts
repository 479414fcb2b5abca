// Copyright 2026 the Torsion authors. MIT license.
/**
 * Length-prefixed string protocols, after `twisted.protocols.basic`:
 * {@linkcode IntNStringReceiver} and its big-endian unsigned 8, 16 and 32-bit
 * variants {@linkcode Int8StringReceiver}, {@linkcode Int16StringReceiver}
 * and {@linkcode Int32StringReceiver}.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type { IPushProducer } from "../reactor/interfaces.ts";
import { ByteBuffer, EMPTY, notOverridden, toBytes, view } from "./_bytes.ts";

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

function readPrefix(buf: Uint8Array, pos: number, size: number): number {
  switch (size) {
    case 4:
      return buf[pos] * 0x1000000 +
        ((buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]);
    case 2:
      return (buf[pos] << 8) | buf[pos + 1];
    case 1:
      return buf[pos];
    default: {
      let n = 0;
      for (let i = 0; i < size; i++) n = n * 256 + buf[pos + i];
      return n;
    }
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
export abstract class IntNStringReceiver extends Protocol
  implements IPushProducer {
  /**
   * The largest length prefix accepted.
   *
   * @default {99999}
   */
  MAX_LENGTH: number = 99999;
  /**
   * Whether delivery is paused ({@linkcode IntNStringReceiver.pauseProducing}).
   *
   * @default {false}
   */
  paused: boolean = false;
  /** The size of the length prefix in bytes (1 to 6). */
  abstract readonly prefixLength: number;

  #in: ByteBuffer = new ByteBuffer();
  #busy = false;

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
    const inb = this.#in;
    return inb.pos === 0 ? inb.buf : inb.buf.subarray(inb.pos);
  }
  set recvd(data: Uint8Array) {
    this.#in.take(data);
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
    const inb = this.#in;
    if (this.#busy) {
      inb.append(data);
      return;
    }
    this.#busy = true;
    try {
      if (!inb.pending) inb.take(data);
      else if (this.paused || data.length === 0) inb.append(data);
      else if (!this.#join(data)) return;
      this.#parse();
    } finally {
      this.#busy = false;
    }
  }

  // The buffer holds an unfinished string: complete it from `data` copying
  // only what is buffered, then go on in `data` itself. Returns whether
  // parsing should go on.
  #join(data: Uint8Array): boolean {
    const inb = this.#in;
    const size = this.prefixLength;
    const tail = inb.buf.subarray(inb.pos);
    const tl = tail.length;
    let length: number;
    if (tl >= size) {
      length = readPrefix(tail, 0, size);
    } else if (tl + data.length >= size) {
      length = 0;
      for (let i = 0; i < size; i++) {
        length = length * 256 + (i < tl ? tail[i] : data[i - tl]);
      }
    } else {
      inb.append(data);
      return false;
    }
    const total = size + length;
    const need = total - tl;
    if (length > this.MAX_LENGTH || need <= 0) {
      // Let the parser report it (or deliver what is already there).
      inb.append(data);
      return true;
    }
    if (data.length < need) {
      // Still unfinished. (No room is reserved for the announced length: a
      // peer could make every connection allocate MAX_LENGTH bytes.)
      inb.append(data);
      return false;
    }
    let payload: Uint8Array;
    if (tl <= size) {
      payload = data.subarray(need - length, need);
    } else if (inb.spare() >= need) {
      inb.append(data.subarray(0, need));
      payload = inb.buf.subarray(inb.pos + size, inb.pos + total);
    } else {
      payload = new Uint8Array(length);
      payload.set(tail.subarray(size));
      payload.set(data.subarray(0, need), tl - size);
    }
    inb.take(data);
    inb.pos = need;
    this.stringReceived(payload);
    return true;
  }

  #parse(): void {
    const inb = this.#in;
    const size = this.prefixLength;
    while (!this.paused) {
      const buf = inb.buf;
      const pos = inb.pos;
      const len = buf.length;
      if (len - pos < size) break;
      const length = readPrefix(buf, pos, size);
      if (length > this.MAX_LENGTH) {
        this.lengthLimitExceeded(length);
        return;
      }
      const end = pos + size + length;
      if (end > len) break;
      inb.pos = end;
      this.stringReceived(view(buf, pos + size, end));
    }
    inb.compact();
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

  /**
   * Stops delivering strings and pauses the transport.
   *
   * @example Usage
   * ```ts
   * import { Int32StringReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new Int32StringReceiver();
   * p.makeConnection(t);
   * p.pauseProducing();
   * equal(t.producerState, "paused");
   * ```
   */
  pauseProducing(): void {
    this.paused = true;
    this.transport.pauseProducing();
  }

  /**
   * Resumes the transport and delivers the strings buffered meanwhile (until
   * a handler pauses again).
   */
  resumeProducing(): void {
    this.paused = false;
    this.transport.resumeProducing();
    this.dataReceived(EMPTY);
  }

  /** Stops delivering strings for good and stops the transport. */
  stopProducing(): void {
    this.paused = true;
    this.transport.stopProducing();
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
