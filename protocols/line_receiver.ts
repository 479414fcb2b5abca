// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineReceiver}: a protocol that receives lines and/or raw data,
 * after `twisted.protocols.basic.LineReceiver`.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type { IPushProducer } from "../reactor/interfaces.ts";
import {
  ByteBuffer,
  concatBytes,
  EMPTY,
  findDelimiter,
  indexOfByte,
  notOverridden,
  straddle,
  toBytes,
} from "./_bytes.ts";

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
export class LineReceiver extends Protocol implements IPushProducer {
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
   * Whether delivery is paused ({@linkcode LineReceiver.pauseProducing}).
   * Data received meanwhile is buffered.
   *
   * @default {false}
   */
  paused: boolean = false;

  #in: ByteBuffer = new ByteBuffer();
  // No delimiter starts in #in.buf[#in.pos .. #scan): where the next search
  // may begin.
  #scan = 0;
  #busy = false;
  #delimSource: string | Uint8Array | null = null;
  #delim: Uint8Array = EMPTY;
  #decoder: TextDecoder | null = null;

  #delimiterBytes(): Uint8Array {
    const source = this.delimiter;
    if (source !== this.#delimSource) {
      const bytes = typeof source === "string"
        ? encoder.encode(source)
        : source.slice();
      if (bytes.length === 0) {
        throw new RangeError("Cannot split lines: the delimiter is empty");
      }
      this.#delim = bytes;
      this.#delimSource = source;
      this.#scan = 0;
    }
    return this.#delim;
  }

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
    const inb = this.#in;
    const rest = inb.pos === 0 ? inb.buf : inb.buf.subarray(inb.pos);
    inb.reset();
    this.#scan = 0;
    return rest;
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
    const inb = this.#in;
    if (this.#busy) {
      this.#scan -= inb.append(data);
      return undefined;
    }
    this.#busy = true;
    try {
      if (inb.pos === inb.buf.length) {
        inb.take(data);
        this.#scan = 0;
      } else if (this.lineMode && !this.paused && data.length !== 0) {
        // The buffer holds an unfinished line: find where it ends in `data`
        // and copy only that line, then go on in `data` itself.
        const delim = this.#delimiterBytes();
        const dl = delim.length;
        if (this.#scan + dl > inb.buf.length) {
          const tail = inb.buf.subarray(inb.pos);
          const tl = tail.length;
          let line: Uint8Array | null = null;
          let rest = 0;
          const k = dl === 1 ? 0 : straddle(tail, data, delim);
          if (k !== 0) {
            line = tail.subarray(0, tl - dl + k);
            rest = k;
          } else {
            const i = findDelimiter(data, delim, 0);
            if (i >= 0) {
              rest = i + dl;
              if (tl + i > this.MAX_LENGTH) {
                // Too long: everything from the line's start.
                const exceeded = concatBytes(tail, data);
                inb.reset();
                this.#scan = 0;
                return this.lineLengthExceeded(exceeded);
              }
              line = new Uint8Array(tl + i);
              line.set(tail);
              line.set(data.subarray(0, i), tl);
            }
          }
          if (line === null) {
            inb.append(data);
            const s = inb.buf.length - dl + 1;
            this.#scan = s > inb.pos ? s : inb.pos;
          } else {
            inb.take(data);
            inb.pos = rest;
            this.#scan = 0;
            if (line.length > this.MAX_LENGTH) {
              const exceeded = concatBytes(line, delim, data.subarray(rest));
              inb.reset();
              return this.lineLengthExceeded(exceeded);
            }
            const why = this.lineReceivedBytes(line);
            if (why || this.transport?.disconnecting) return why;
          }
        } else {
          this.#scan -= inb.append(data);
        }
      } else {
        this.#scan -= inb.append(data);
      }
      return this.#deliver();
    } finally {
      this.#busy = false;
      const shift = inb.pos;
      inb.compact();
      if (inb.pos !== shift) this.#scan -= shift;
    }
  }

  #deliver(): unknown {
    const inb = this.#in;
    // The memory behind the lines' views, looked up once per buffer.
    let viewed: Uint8Array | null = null;
    let memory: ArrayBufferLike = EMPTY.buffer;
    let base = 0;
    while (!this.paused) {
      const buf = inb.buf;
      const pos = inb.pos;
      const len = buf.length;
      if (pos >= len) return undefined;
      if (this.lineMode) {
        const delim = this.delimiter === this.#delimSource
          ? this.#delim
          : this.#delimiterBytes();
        const dl = delim.length;
        const from = this.#scan > pos ? this.#scan : pos;
        const i = dl === 1
          ? indexOfByte(buf, delim[0], from)
          : findDelimiter(buf, delim, from);
        if (i < 0) {
          if (len - pos >= this.MAX_LENGTH + dl) {
            const line = pos === 0 ? buf : buf.subarray(pos);
            inb.reset();
            this.#scan = 0;
            return this.lineLengthExceeded(line);
          }
          const s = len - dl + 1;
          this.#scan = s > pos ? s : pos;
          return undefined;
        }
        if (i - pos > this.MAX_LENGTH) {
          // The long line, its delimiter and all the rest.
          const exceeded = pos === 0 ? buf : buf.subarray(pos);
          inb.reset();
          this.#scan = 0;
          return this.lineLengthExceeded(exceeded);
        }
        inb.pos = i + dl;
        if (buf !== viewed) {
          viewed = buf;
          memory = buf.buffer;
          base = buf.byteOffset;
        }
        const why = this.lineReceivedBytes(
          new Uint8Array(memory, base + pos, i - pos),
        );
        if (why || this.transport?.disconnecting) return why;
      } else {
        const chunk = pos === 0 ? buf : buf.subarray(pos);
        inb.reset();
        this.#scan = 0;
        const why = this.rawDataReceived(chunk);
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
    const decoder = this.#decoder ??
      (this.#decoder = new TextDecoder("utf-8", { ignoreBOM: true }));
    return this.lineReceived(decoder.decode(line));
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
    transport.write(
      this.delimiter === this.#delimSource
        ? this.#delim
        : this.#delimiterBytes(),
    );
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

  /**
   * Stops delivering lines and pauses the transport (Twisted's
   * `_PauseableMixin`).
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
   * p.pauseProducing();
   * equal(p.paused, true);
   * equal(t.producerState, "paused");
   * ```
   */
  pauseProducing(): void {
    this.paused = true;
    this.transport.pauseProducing();
  }

  /**
   * Resumes the transport and delivers the lines buffered meanwhile (until
   * a handler pauses again).
   */
  resumeProducing(): void {
    this.paused = false;
    this.transport.resumeProducing();
    this.dataReceived(EMPTY);
  }

  /** Stops delivering lines for good and stops the transport. */
  stopProducing(): void {
    this.paused = true;
    this.transport.stopProducing();
  }
}
