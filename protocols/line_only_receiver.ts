// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineOnlyReceiver}: a protocol that receives only lines, after
 * `twisted.protocols.basic.LineOnlyReceiver`.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import { ownBytes } from "../reactor/transports/_buffer_pool.ts";
import { notOverridden } from "./_bytes.ts";
import { LineDecoder } from "./_codec/line_decoder.ts";

// Delivers a line for `LineDecoder.each`, unless the transport is closing
// (then it stops, as Twisted does, before the line).
function deliver(p: LineOnlyReceiver, line: Uint8Array): boolean {
  if (p.transport?.disconnecting) return true;
  p.lineReceivedBytes(line);
  return false;
}

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
  /**
   * `false`: the transport lends its read buffer. Lines reach
   * {@linkcode LineOnlyReceiver.lineReceived} as strings straight from it;
   * when {@linkcode LineOnlyReceiver.lineReceivedBytes} is overridden, each
   * chunk is copied first, so the lines it gets may be kept.
   */
  readonly keepsReceivedData: boolean = false;

  // Finds the lines; the receiver does the rest (handlers, limits).
  #decoder: LineDecoder = new LineDecoder();
  #busy = false;
  #queue: Uint8Array[] | null = null;
  #utf8: TextDecoder | null = null;

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
    const decoder = this.#decoder;
    // As in Twisted, a chunk is split with the delimiter it arrived with.
    decoder.delimiter = this.delimiter;
    decoder.maxLength = this.MAX_LENGTH;
    // Lent bytes reach user code only as strings.
    const lent = this.lineReceivedBytes === defaultLineReceivedBytes;
    decoder.push(lent ? data : ownBytes(data));
    try {
      if (decoder.each(deliver, this)) {
        // Twisted keeps only what follows the chunk's last delimiter.
        decoder.dropLines();
        return undefined;
      }
      if (!decoder.exceeded) return undefined;
      const line = decoder.skipLine();
      // An unfinished line that grew too long stays buffered.
      if (line === null) {
        const rest = decoder.peek();
        return this.lineLengthExceeded(lent ? ownBytes(rest) : rest);
      }
      decoder.dropLines();
      if (this.transport?.disconnecting) return undefined;
      return this.lineLengthExceeded(lent ? ownBytes(line) : line);
    } finally {
      decoder.compact(lent);
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
    const utf8 = this.#utf8 ??
      (this.#utf8 = new TextDecoder("utf-8", { ignoreBOM: true }));
    this.lineReceived(utf8.decode(line));
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

const defaultLineReceivedBytes = LineOnlyReceiver.prototype.lineReceivedBytes;
