// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineOnlyReceiver}: a protocol that receives only lines, after
 * `twisted.protocols.basic.LineOnlyReceiver`.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import {
  ByteBuffer,
  concatBytes,
  EMPTY,
  findDelimiter,
  indexOfByte,
  notOverridden,
  straddle,
} from "./_bytes.ts";

const encoder = new TextEncoder();

/**
 * A protocol that receives only lines (Twisted's `LineOnlyReceiver`): a
 * faster {@linkcode LineReceiver} for protocols that never need raw mode,
 * pausing or a handler's return value.
 *
 * Each line (without the {@linkcode LineOnlyReceiver.delimiter}) goes to
 * {@linkcode LineOnlyReceiver.lineReceivedBytes}, whose default decodes it
 * as UTF-8 and calls {@linkcode LineOnlyReceiver.lineReceived}. Once
 * `transport.disconnecting` is set, the remaining lines of the chunk are
 * dropped. A line longer than {@linkcode LineOnlyReceiver.MAX_LENGTH}, or an
 * unfinished one of `MAX_LENGTH + delimiter.length` bytes or more, calls
 * {@linkcode LineOnlyReceiver.lineLengthExceeded} with that line alone (the
 * other lines of the chunk are dropped too).
 *
 * Unlike Twisted's, it tolerates an unfinished line of up to
 * `MAX_LENGTH + delimiter.length - 1` bytes, as `LineReceiver` does: Twisted
 * refuses a `MAX_LENGTH` line whose delimiter is split across packets, and
 * accepts it when it is not.
 *
 * @example Usage
 * ```ts
 * import { LineOnlyReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * class Collect extends LineOnlyReceiver {
 *   override delimiter = "\n";
 *   lines: string[] = [];
 *   override lineReceived(line: string): void {
 *     this.lines.push(line);
 *   }
 * }
 * const p = new Collect();
 * p.makeConnection(new StringTransport());
 * for (const c of new TextEncoder().encode("foo\nbar\nba")) {
 *   p.dataReceived(new Uint8Array([c]));
 * }
 * deepEqual(p.lines, ["foo", "bar"]);
 * ```
 */
export class LineOnlyReceiver extends Protocol {
  /**
   * The line delimiter: a string (sent and matched as UTF-8) or bytes. To
   * change it, assign a new value (an array changed in place is not
   * noticed).
   *
   * @default {"\r\n"}
   */
  delimiter: string | Uint8Array = "\r\n";
  /**
   * The longest line accepted, in bytes, without the delimiter.
   *
   * @default {16384}
   */
  MAX_LENGTH: number = 16384;

  // The unfinished last line: never holds a whole delimiter.
  #tail: ByteBuffer = new ByteBuffer();
  #busy = false;
  #queue: Uint8Array[] | null = null;
  #delimSource: string | Uint8Array | null = null;
  #delim: Uint8Array = EMPTY;
  #decoder: TextDecoder | null = null;

  /**
   * Splits received bytes into lines and delivers them. `data` is kept
   * without a copy: do not change it afterwards. Called while a handler
   * runs, it queues `data` to be processed after the current chunk.
   *
   * @param data The bytes received.
   * @returns What {@linkcode LineOnlyReceiver.lineLengthExceeded} returned,
   *   if it was called; otherwise `undefined`.
   * @throws {RangeError} If the delimiter is empty.
   */
  override dataReceived(data: Uint8Array): unknown {
    if (this.#busy) {
      (this.#queue ??= []).push(data);
      return undefined;
    }
    this.#busy = true;
    try {
      let why = this.#receive(data);
      const queue = this.#queue;
      if (queue !== null) {
        for (let q = 0; q < queue.length; q++) {
          const w = this.#receive(queue[q]);
          if (why === undefined) why = w;
        }
        this.#queue = null;
      }
      return why;
    } finally {
      this.#busy = false;
    }
  }

  #receive(data: Uint8Array): unknown {
    const tailBuf = this.#tail;
    if (this.delimiter !== this.#delimSource) {
      const source = this.delimiter;
      const bytes = typeof source === "string"
        ? encoder.encode(source)
        : source.slice();
      if (bytes.length === 0) {
        throw new RangeError("Cannot split lines: the delimiter is empty");
      }
      this.#delim = bytes;
      this.#delimSource = source;
      // The kept tail may hold the new delimiter: split it again.
      if (tailBuf.pending) {
        data = concatBytes(tailBuf.buf.subarray(tailBuf.pos), data);
        tailBuf.reset();
      }
    }
    const delim = this.#delim;
    const dl = delim.length;
    let pos = 0;
    if (tailBuf.pending) {
      const tail = tailBuf.buf.subarray(tailBuf.pos);
      const tl = tail.length;
      let line: Uint8Array | null = null;
      const k = dl === 1 ? 0 : straddle(tail, data, delim);
      if (k !== 0) {
        line = tail.subarray(0, tl - dl + k);
        pos = k;
      } else {
        const i = findDelimiter(data, delim, 0);
        if (i >= 0) {
          line = concatBytes(tail, data.subarray(0, i));
          pos = i + dl;
        }
      }
      if (line === null) {
        tailBuf.append(data);
        const rest = tailBuf.buf.subarray(tailBuf.pos);
        if (rest.length >= this.MAX_LENGTH + dl) {
          return this.lineLengthExceeded(rest);
        }
        return undefined;
      }
      tailBuf.reset();
      if (this.transport?.disconnecting) {
        this.#keepLastPiece(data, pos);
        return undefined;
      }
      if (line.length > this.MAX_LENGTH) {
        this.#keepLastPiece(data, pos);
        return this.lineLengthExceeded(line);
      }
      this.lineReceivedBytes(line);
    }
    const max = this.MAX_LENGTH;
    // The memory behind the lines' views.
    const memory = data.buffer;
    const base = data.byteOffset;
    for (;;) {
      const i = dl === 1
        ? indexOfByte(data, delim[0], pos)
        : findDelimiter(data, delim, pos);
      if (i < 0) break;
      if (this.transport?.disconnecting) {
        this.#keepLastPiece(data, pos);
        return undefined;
      }
      if (i - pos > max) {
        this.#keepLastPiece(data, i + dl);
        return this.lineLengthExceeded(data.subarray(pos, i));
      }
      const line = new Uint8Array(memory, base + pos, i - pos);
      pos = i + dl;
      this.lineReceivedBytes(line);
    }
    if (pos < data.length) {
      const rest = pos === 0 ? data : data.subarray(pos);
      tailBuf.take(rest);
      tailBuf.compact();
      if (rest.length >= max + dl) return this.lineLengthExceeded(rest);
    }
    return undefined;
  }

  // Keeps what follows the last delimiter at or after `from`, as Twisted
  // does when it stops early (the lines in between are dropped).
  #keepLastPiece(data: Uint8Array, from: number): void {
    const delim = this.#delim;
    for (;;) {
      const i = findDelimiter(data, delim, from);
      if (i < 0) break;
      from = i + delim.length;
    }
    if (from < data.length) {
      this.#tail.take(data.subarray(from));
      this.#tail.compact();
    }
  }

  /**
   * Called with each line, decoded as UTF-8 (invalid bytes become U+FFFD), by
   * the default {@linkcode LineOnlyReceiver.lineReceivedBytes}. Override one
   * of the two (the default throws).
   *
   * @param _line The line, without the delimiter.
   * @throws {Error} Unless overridden (Twisted's `NotImplementedError`).
   */
  lineReceived(_line: string): void {
    throw notOverridden(this, "lineReceived");
  }

  /**
   * Called with each line as bytes. The default decodes it as UTF-8 (one
   * `TextDecoder` per receiver) and calls
   * {@linkcode LineOnlyReceiver.lineReceived}; override this instead for
   * binary line protocols.
   *
   * @param line The line, without the delimiter: a view of received data
   *   that stays valid and may be kept.
   *
   * @example Usage
   * ```ts
   * import { LineOnlyReceiver } from "@torsion/torsion/protocols";
   * import { equal } from "node:assert/strict";
   *
   * let total = 0;
   * class Count extends LineOnlyReceiver {
   *   override lineReceivedBytes(line: Uint8Array): void {
   *     total += line.length;
   *   }
   * }
   * new Count().dataReceived(new TextEncoder().encode("ab\r\ncde\r\n"));
   * equal(total, 5);
   * ```
   */
  lineReceivedBytes(line: Uint8Array): void {
    const decoder = this.#decoder ??
      (this.#decoder = new TextDecoder("utf-8", { ignoreBOM: true }));
    this.lineReceived(decoder.decode(line));
  }

  /**
   * Sends `line` followed by the delimiter, with `writeSequence` (as
   * Twisted).
   *
   * @param line The line (a string as UTF-8), without the delimiter.
   *
   * @example Usage
   * ```ts
   * import { LineOnlyReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new LineOnlyReceiver();
   * p.makeConnection(t);
   * p.sendLine("hi");
   * equal(t.valueText(), "hi\r\n");
   * ```
   */
  sendLine(line: string | Uint8Array): void {
    this.transport.writeSequence([line, this.delimiter]);
  }

  /**
   * Called when a line is too long. The default closes the connection.
   *
   * @param _line The long line (or the unfinished one that grew too long).
   * @returns What `dataReceived` should return.
   */
  lineLengthExceeded(_line: Uint8Array): unknown {
    return this.transport.loseConnection();
  }
}
