// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineReceiver}: a protocol that receives lines and/or raw data,
 * after `twisted.protocols.basic.LineReceiver`.
 *
 * @module
 */

import type { IPushProducer } from "../reactor/interfaces.ts";
import { notOverridden, toBytes } from "./_bytes.ts";
import { LineDecoder } from "./_codec/line_decoder.ts";
import { ownBytes } from "../reactor/transports/_buffer_pool.ts";
import { PausableReceiver } from "./_pausable_receiver.ts";

const encoder = new TextEncoder();

/**
 * A protocol that receives lines and/or raw data, depending on its mode
 * (Twisted's `LineReceiver`). In line mode each line (without its
 * {@linkcode LineReceiver.delimiter}) goes to
 * {@linkcode LineReceiver.lineReceivedBytes}, whose default decodes it as
 * UTF-8 and calls {@linkcode LineReceiver.lineReceived}; in raw mode each
 * chunk goes to {@linkcode LineReceiver.rawDataReceived}.
 * {@linkcode LineReceiver.setRawMode} and {@linkcode LineReceiver.setLineMode}
 * switch between the two, even in the middle of a chunk. Useful for
 * line-oriented protocols such as IRC, HTTP or POP.
 *
 * Override `lineReceived(line: string)` for text protocols, or
 * `lineReceivedBytes(line: Uint8Array)` for binary-safe ones (then no
 * decoding happens). The line array is a view of received data: it stays
 * valid and unchanged, and may be kept.
 *
 * Edge cases kept from Twisted:
 * - A line longer than {@linkcode LineReceiver.MAX_LENGTH} calls
 *   {@linkcode LineReceiver.lineLengthExceeded} with everything received
 *   after the last good line (the long line, its delimiter and the rest);
 *   an unfinished line is tolerated up to `MAX_LENGTH + delimiter.length - 1`
 *   bytes.
 * - Delivery stops (the rest stays buffered) when a handler returns a truthy
 *   value, which `dataReceived` then returns, or once
 *   `transport.disconnecting` is set, or while {@linkcode LineReceiver.paused}.
 * - `dataReceived` called from inside a handler only buffers; that is how
 *   `setLineMode(extra)` from `rawDataReceived` works. Switching modes is
 *   iterative: a switch per byte, for any number of bytes, uses no stack.
 *
 * As a push producer it pauses as Twisted's does: `pauseProducing()` sets
 * `paused` and pauses the transport, `resumeProducing()` resumes it and
 * delivers the lines buffered meanwhile (until a handler pauses again),
 * `stopProducing()` stops delivery for good.
 *
 * @example Usage
 * ```ts
 * import { LineReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * class Upper extends LineReceiver {
 *   seen: string[] = [];
 *   override lineReceived(line: string): void {
 *     this.seen.push(line);
 *     this.sendLine(line.toUpperCase());
 *   }
 * }
 * const t = new StringTransport();
 * const p = new Upper();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("hello\r\nwor"));
 * p.dataReceived(new TextEncoder().encode("ld\r\n"));
 * deepEqual(p.seen, ["hello", "world"]);
 * equal(t.valueText(), "HELLO\r\nWORLD\r\n");
 * ```
 *
 * @example Switching to raw mode
 * ```ts
 * import { LineReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * // A header line "len N", then N raw bytes, then lines again.
 * class Framed extends LineReceiver {
 *   override delimiter = "\n";
 *   events: string[] = [];
 *   #left = 0;
 *   override lineReceived(line: string): void {
 *     this.events.push(`line ${line}`);
 *     if (line.startsWith("len ")) {
 *       this.#left = Number(line.slice(4));
 *       this.setRawMode();
 *     }
 *   }
 *   override rawDataReceived(data: Uint8Array): void {
 *     const mine = data.subarray(0, this.#left);
 *     this.#left -= mine.length;
 *     this.events.push(`raw ${new TextDecoder().decode(mine)}`);
 *     if (this.#left === 0) this.setLineMode(data.subarray(mine.length));
 *   }
 * }
 * const p = new Framed();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new TextEncoder().encode("len 3\nabcdone\n"));
 * deepEqual(p.events, ["line len 3", "raw abc", "line done"]);
 * ```
 */
export class LineReceiver extends PausableReceiver implements IPushProducer {
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
   * Whether the receiver is in line mode (`true`) or raw mode (`false`).
   * Twisted spells it `line_mode`. Prefer
   * {@linkcode LineReceiver.setLineMode} and
   * {@linkcode LineReceiver.setRawMode}.
   *
   * @default {true}
   */
  lineMode: boolean = true;
  /**
   * `false`: the transport lends its read buffer. In line mode, lines reach
   * {@linkcode LineReceiver.lineReceived} as strings straight from it; when
   * {@linkcode LineReceiver.lineReceivedBytes} is overridden, and in raw
   * mode, chunks are copied first, so the bytes handlers get may be kept.
   */
  readonly keepsReceivedData: boolean = false;

  // Finds the lines; the receiver does the rest (modes, pausing, handlers).
  #decoder: LineDecoder = new LineDecoder();
  #busy = false;
  // The delimiter the decoder was given.
  #delimiter: string | Uint8Array | null = null;
  #utf8: TextDecoder | null = null;
  // Whether the decoder may hold lent bytes (they reach user code only as
  // strings, or copied).
  #lent = false;

  /**
   * Returns the buffered bytes (received but not delivered) and forgets
   * them. Called from {@linkcode LineReceiver.lineReceived}, it returns the
   * rest of the chunk being processed, which is then not delivered.
   *
   * @returns The bytes that were buffered.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { deepEqual } from "node:assert/strict";
   *
   * let rest = "";
   * class Once extends LineReceiver {
   *   override lineReceived(_line: string): void {
   *     rest = new TextDecoder().decode(this.clearLineBuffer());
   *   }
   * }
   * new Once().dataReceived(new TextEncoder().encode("foo\r\nbar\r\nbaz"));
   * deepEqual(rest, "bar\r\nbaz");
   * ```
   */
  clearLineBuffer(): Uint8Array {
    return this.#owned(this.#decoder.clear());
  }

  /** `bytes` as user code may keep them: copied if they may be lent. */
  #owned(bytes: Uint8Array): Uint8Array {
    return this.#lent ? ownBytes(bytes) : bytes;
  }

  /**
   * Splits received bytes into lines (or raw chunks, in raw mode) and
   * delivers them. `data` is kept without a copy: do not change it
   * afterwards. Called while a handler runs, it only buffers `data`.
   *
   * @param data The bytes received.
   * @returns What the last handler called returned, when that stopped
   *   delivery (a truthy value from `lineReceived`, `rawDataReceived` or
   *   `lineLengthExceeded`); otherwise `undefined`.
   * @throws {RangeError} If the delimiter is empty.
   */
  override dataReceived(data: Uint8Array): unknown {
    const decoder = this.#decoder;
    if (this.lineMode && this.lineReceivedBytes === defaultLineReceivedBytes) {
      this.#lent = true;
      decoder.push(data);
    } else {
      decoder.push(ownBytes(data));
    }
    if (this.#busy) return undefined;
    this.#busy = true;
    try {
      return this.#deliver();
    } finally {
      this.#busy = false;
      decoder.compact(this.#lent);
      this.#lent = false;
    }
  }

  #deliver(): unknown {
    const decoder = this.#decoder;
    while (!this.paused) {
      if (this.lineMode) {
        // A handler may change these between lines. (Comparing here is
        // cheaper than calling the decoder's setter each time.)
        const delimiter = this.delimiter;
        if (delimiter !== this.#delimiter) {
          decoder.delimiter = delimiter;
          this.#delimiter = delimiter;
        }
        decoder.maxLength = this.MAX_LENGTH;
        const line = decoder.next();
        if (line === null) {
          // Too long: the long line, its delimiter and all the rest.
          if (decoder.exceeded) {
            return this.lineLengthExceeded(this.#owned(decoder.clear()));
          }
          return undefined;
        }
        const why = this.lineReceivedBytes(line);
        if (why || this.transport?.disconnecting) return why;
      } else {
        if (!decoder.pending) return undefined;
        const why = this.rawDataReceived(this.#owned(decoder.clear()));
        if (why) return why;
      }
    }
    return undefined;
  }

  /**
   * Switches to line mode. Called from
   * {@linkcode LineReceiver.rawDataReceived}, `extra` (the bytes after the
   * raw part) is parsed for lines next. Do not pass `extra` from
   * `lineReceived`: it would land after the data still buffered.
   *
   * @param extra Bytes to process in line mode (a string as UTF-8).
   * @returns What `dataReceived(extra)` returned, if `extra` was given.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { equal } from "node:assert/strict";
   *
   * const p = new LineReceiver();
   * p.setRawMode();
   * p.setLineMode();
   * equal(p.lineMode, true);
   * ```
   */
  setLineMode(extra?: Uint8Array | string): unknown {
    this.lineMode = true;
    if (extra !== undefined && extra.length !== 0) {
      return this.dataReceived(toBytes(extra));
    }
    return undefined;
  }

  /**
   * Switches to raw mode: the rest of the current chunk and later data go to
   * {@linkcode LineReceiver.rawDataReceived}.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { equal } from "node:assert/strict";
   *
   * const p = new LineReceiver();
   * p.setRawMode();
   * equal(p.lineMode, false);
   * ```
   */
  setRawMode(): void {
    this.lineMode = false;
  }

  /**
   * Called with each chunk received in raw mode. Override it (the default
   * throws).
   *
   * @param _data The bytes, a view that may be kept.
   * @returns A truthy value to stop delivery and have `dataReceived` return
   *   it (the rest stays buffered).
   * @throws {Error} Unless overridden (Twisted's `NotImplementedError`).
   */
  rawDataReceived(_data: Uint8Array): unknown {
    throw notOverridden(this, "rawDataReceived");
  }

  /**
   * Called with each line, decoded as UTF-8 (invalid bytes become U+FFFD), by
   * the default {@linkcode LineReceiver.lineReceivedBytes}. Override one of
   * the two (the default throws).
   *
   * @param _line The line, without the delimiter.
   * @returns A truthy value to stop delivery and have `dataReceived` return
   *   it (the rest stays buffered).
   * @throws {Error} Unless overridden (Twisted's `NotImplementedError`).
   */
  lineReceived(_line: string): unknown {
    throw notOverridden(this, "lineReceived");
  }

  /**
   * Called with each line as bytes. The default decodes it as UTF-8 (one
   * `TextDecoder` per receiver) and calls
   * {@linkcode LineReceiver.lineReceived}; override this instead for binary
   * line protocols.
   *
   * @param line The line, without the delimiter: a view of received data
   *   that stays valid and may be kept.
   * @returns What `lineReceived` returned.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { deepEqual } from "node:assert/strict";
   *
   * const lines: number[][] = [];
   * class Binary extends LineReceiver {
   *   override lineReceivedBytes(line: Uint8Array): void {
   *     lines.push([...line]);
   *   }
   * }
   * new Binary().dataReceived(new Uint8Array([0xff, 0, 13, 10]));
   * deepEqual(lines, [[0xff, 0]]);
   * ```
   */
  lineReceivedBytes(line: Uint8Array): unknown {
    const utf8 = this.#utf8 ??
      (this.#utf8 = new TextDecoder("utf-8", { ignoreBOM: true }));
    return this.lineReceived(utf8.decode(line));
  }

  /**
   * Sends `line` followed by the delimiter, in one write.
   *
   * @param line The line (a string as UTF-8), without the delimiter.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new LineReceiver();
   * p.makeConnection(t);
   * p.sendLine("hi");
   * equal(t.valueText(), "hi\r\n");
   * ```
   */
  sendLine(line: string | Uint8Array): void {
    const transport = this.transport;
    if (typeof line === "string") {
      const source = this.delimiter;
      if (typeof source === "string") {
        transport.write(encoder.encode(line + source));
        return;
      }
      line = encoder.encode(line);
    }
    // Two writes rather than a concatenation per line: the transport
    // coalesces them into one send anyway.
    transport.write(line);
    const decoder = this.#decoder;
    decoder.delimiter = this.delimiter;
    transport.write(decoder.delimiter);
  }

  /**
   * Called when a line is too long. The default closes the connection.
   *
   * @param _line Everything received after the last good line: at least
   *   the start of the long line, possibly several lines.
   * @returns What `dataReceived` should return.
   */
  lineLengthExceeded(_line: Uint8Array): unknown {
    return this.transport.loseConnection();
  }
}

const defaultLineReceivedBytes = LineReceiver.prototype.lineReceivedBytes;
