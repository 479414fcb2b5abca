// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode NetstringReceiver}: a protocol that sends and receives
 * netstrings, after `twisted.protocols.basic.NetstringReceiver`.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type { ITransport } from "../reactor/interfaces.ts";
import { ByteBuffer, EMPTY, notOverridden, toBytes, view } from "./_bytes.ts";

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;

// Twisted's texts (`NetstringReceiver._MISSING_LENGTH` and friends).
const MISSING_LENGTH =
  "The received netstring does not start with a length specification.";
const MISSING_COMMA = "The received netstring is not terminated by a comma.";
function tooLong(max: number): string {
  return `The received netstring is longer than the maximum ${max} specified by MAX_LENGTH`;
}

/** The least room a payload that arrives in pieces starts with. */
const MIN_PAYLOAD = 4096;

// Returns room for at least `size` bytes of an `n`-byte payload, holding the
// bytes of `p` (which it detaches): twice as much as `p` (at least
// `MIN_PAYLOAD`), and the whole payload once that would be a quarter of it.
// The room is never more than `n` (a complete payload fills its array
// exactly), nor more than `MIN_PAYLOAD` or 8 times the bytes received.
// `transfer` can grow the memory in place instead of copying it.
function grown(
  p: Uint8Array<ArrayBuffer> | null,
  size: number,
  n: number,
): Uint8Array<ArrayBuffer> {
  let cap = p === null ? size : 2 * p.length;
  if (cap < size) cap = size;
  if (cap < MIN_PAYLOAD) cap = MIN_PAYLOAD < n ? MIN_PAYLOAD : n;
  else if (cap * 4 >= n) cap = n;
  if (p === null) return new Uint8Array(cap);
  return new Uint8Array(p.buffer.transfer(cap));
}

// Parser states.
const LENGTH = 0;
const PAYLOAD = 1;
const TRAILER = 2;

/**
 * The received data is not a valid netstring (Twisted's
 * `NetstringParseError`). {@linkcode NetstringReceiver} does not throw it: it
 * closes the connection, sets `brokenPeer`, and keeps the error in
 * {@linkcode NetstringReceiver.parseError}.
 *
 * @example Usage
 * ```ts
 * import { NetstringParseError, NetstringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { ok } from "node:assert/strict";
 *
 * const p = new NetstringReceiver();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new TextEncoder().encode("007:abcdefg,"));
 * ok(p.parseError instanceof NetstringParseError);
 * ok(p.parseError instanceof SyntaxError);
 * ```
 */
export class NetstringParseError extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetstringParseError";
  }
}

/**
 * A protocol that sends and receives netstrings (Twisted's
 * `NetstringReceiver`; see <https://cr.yp.to/proto/netstrings.txt>):
 * `<decimal length>:<payload>,`, e.g. `5:hello,`.
 *
 * Override {@linkcode NetstringReceiver.stringReceived}: it gets each payload
 * as bytes (binary-safe; decode it yourself for text). The parser is strict:
 * a length with a leading zero (`007:`), a missing length or colon, a
 * missing comma, or a length above {@linkcode NetstringReceiver.MAX_LENGTH}
 * (refused as soon as it has too many digits, before the colon) closes the
 * connection and sets {@linkcode NetstringReceiver.brokenPeer}; nothing more
 * is delivered. `0:,` is a valid empty string.
 *
 * A payload that arrives in pieces is collected in an array that grows with
 * the bytes received (by doubling, from 4 KiB), never allocated at the
 * announced length up front: it holds at most 4 KiB or 8 times the bytes
 * received, whichever is more, so a peer that announces a long payload and
 * sends little of it costs little. A payload that arrives in one chunk is
 * handed over as a view of that chunk.
 *
 * As in Twisted, strings after one whose handler closed the connection in
 * the same chunk are still delivered.
 *
 * @example Usage
 * ```ts
 * import { NetstringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * class Echo extends NetstringReceiver {
 *   seen: string[] = [];
 *   override stringReceived(data: Uint8Array): void {
 *     this.seen.push(new TextDecoder().decode(data));
 *     this.sendString(data);
 *   }
 * }
 * const t = new StringTransport();
 * const p = new Echo();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("5:hello,0:,3:ab"));
 * p.dataReceived(new TextEncoder().encode("c,"));
 * deepEqual(p.seen, ["hello", "", "abc"]);
 * equal(t.valueText(), "5:hello,0:,3:abc,");
 * ```
 */
export class NetstringReceiver extends Protocol {
  /**
   * The longest payload accepted, in bytes.
   *
   * @default {99999}
   */
  MAX_LENGTH: number = 99999;
  /**
   * Whether the peer sent an invalid netstring (the connection was closed).
   * Reset by `makeConnection`. Twisted uses `0`/`1`.
   *
   * @default {false}
   */
  brokenPeer: boolean = false;

  #parseError: NetstringParseError | null = null;
  #in: ByteBuffer = new ByteBuffer();
  #busy = false;
  #state = LENGTH;
  // While parsing the length: its value so far; then the payload's length.
  #length = 0;
  #digits = 0;
  // A payload that arrived in pieces, and how much of it is there.
  #payload: Uint8Array<ArrayBuffer> | null = null;
  #filled = 0;
  #maxFor = -1;
  #maxDigits = 0;

  /**
   * The error that made {@linkcode NetstringReceiver.brokenPeer} true, or
   * `null` (a Torsion addition: Twisted catches and drops it).
   */
  get parseError(): NetstringParseError | null {
    return this.#parseError;
  }

  /**
   * Resets the parser (Twisted sets up its state here), then connects as
   * {@linkcode Protocol.makeConnection} does.
   *
   * @param transport The transport.
   */
  override makeConnection(transport: ITransport): void {
    this.#in.reset();
    this.#state = LENGTH;
    this.#length = 0;
    this.#digits = 0;
    this.#payload = null;
    this.#filled = 0;
    this.#parseError = null;
    this.brokenPeer = false;
    super.makeConnection(transport);
  }

  /**
   * Sends `data` as a netstring, in one write. Like Twisted, it does not
   * check {@linkcode NetstringReceiver.MAX_LENGTH}.
   *
   * @param data The payload (a string as UTF-8).
   *
   * @example Usage
   * ```ts
   * import { NetstringReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new NetstringReceiver();
   * p.makeConnection(t);
   * p.sendString("héllo");
   * equal(t.valueText(), "6:héllo,");
   * ```
   */
  sendString(data: Uint8Array | string): void {
    const payload = toBytes(data);
    const n = payload.length;
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    const out = new Uint8Array(digits + n + 2);
    let v = n;
    for (let i = digits - 1; i >= 0; i--) {
      out[i] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    }
    out[digits] = COLON;
    out.set(payload, digits + 1);
    out[digits + 1 + n] = COMMA;
    this.transport.write(out);
  }

  /**
   * Parses received bytes and calls
   * {@linkcode NetstringReceiver.stringReceived} for each complete
   * netstring. `data` is kept without a copy: do not change it afterwards.
   * On invalid data it closes the connection and sets
   * {@linkcode NetstringReceiver.brokenPeer} instead of throwing; later
   * data is refused the same way.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    const inb = this.#in;
    if (this.#busy) {
      inb.append(data);
      return;
    }
    if (this.#parseError !== null) {
      // Twisted keeps the bad data and fails again on every later chunk.
      if (data.length !== 0 || inb.pending) this.#handleParseError();
      return;
    }
    this.#busy = true;
    try {
      if (inb.pending) inb.append(data);
      else inb.take(data);
      this.#consume();
    } finally {
      this.#busy = false;
    }
  }

  #consume(): void {
    const inb = this.#in;
    let buf = inb.buf;
    let pos = inb.pos;
    let len = buf.length;
    while (pos < len) {
      let state = this.#state;
      if (state === LENGTH && this.#digits === 0) {
        // Fast path: whole, valid netstrings from `pos` are delivered without
        // touching the parser's state. Anything else (incomplete, invalid)
        // goes to the state machine below, from `pos`.
        let max = this.MAX_LENGTH;
        while (max >= 1) {
          let j = pos;
          let value = buf[j] - ZERO;
          if (value >= 1 && value <= 9) {
            let c: number;
            while (++j < len && (c = buf[j] - ZERO) >= 0 && c <= 9) {
              value = value * 10 + c;
              if (value > max) break;
            }
          } else if (value === 0) {
            j++;
          } else {
            break;
          }
          const end = j + 1 + value;
          if (
            end >= len || buf[j] !== COLON || buf[end] !== COMMA || value > max
          ) break;
          inb.pos = end + 1;
          this.stringReceived(view(buf, j + 1, end));
          // A re-entrant dataReceived may have moved the buffer.
          buf = inb.buf;
          pos = inb.pos;
          len = buf.length;
          if (pos >= len) break;
          max = this.MAX_LENGTH;
        }
        if (pos >= len) break;
      }
      if (state === LENGTH) {
        let value = this.#length;
        let digits = this.#digits;
        const max = this.MAX_LENGTH;
        if (max !== this.#maxFor) {
          // Twisted's `_maxLengthSize()`: longer lengths are refused early.
          this.#maxDigits = Math.ceil(Math.log10(max)) + 1;
          this.#maxFor = max;
        }
        const maxDigits = this.#maxDigits;
        for (;;) {
          if (pos === len) {
            this.#length = value;
            this.#digits = digits;
            inb.reset();
            return;
          }
          const c = buf[pos];
          if (c === COLON) {
            if (digits === 0) return this.#fail(MISSING_LENGTH, pos);
            pos++;
            break;
          }
          const d = c - ZERO;
          // Digits only, and no digit after a leading zero.
          if (d < 0 || d > 9 || (digits === 1 && value === 0)) {
            return this.#fail(MISSING_LENGTH, pos);
          }
          value = value * 10 + d;
          digits++;
          if (digits > maxDigits || value > max) {
            return this.#fail(tooLong(max), pos);
          }
          pos++;
        }
        this.#length = value;
        this.#digits = 0;
        this.#state = state = PAYLOAD;
      }
      const n = this.#length;
      let payload: Uint8Array;
      if (state === PAYLOAD) {
        if (this.#payload === null && len - pos > n) {
          // The payload and its comma are all here: deliver a view.
          if (buf[pos + n] !== COMMA) {
            return this.#fail(MISSING_COMMA, pos + n + 1);
          }
          payload = buf.subarray(pos, pos + n);
          pos += n + 1;
        } else {
          // Copy what is here into the payload's own array. It grows with
          // the bytes that arrived, never to the announced length up front:
          // the 6 bytes `99999:` must not cost 100 KB.
          if (pos === len) {
            // The chunk ended with the colon.
            inb.reset();
            return;
          }
          const filled = this.#filled;
          const take = n - filled < len - pos ? n - filled : len - pos;
          const size = filled + take;
          let p = this.#payload;
          if (p === null || p.length < size) {
            p = this.#payload = grown(p, size, n);
          }
          p.set(buf.subarray(pos, pos + take), filled);
          this.#filled = size;
          pos += take;
          if (this.#filled < n) {
            inb.reset();
            return;
          }
          this.#state = TRAILER;
          if (pos === len) {
            inb.reset();
            return;
          }
          continue;
        }
      } else {
        // TRAILER: the payload is complete, the comma is next.
        if (buf[pos] !== COMMA) return this.#fail(MISSING_COMMA, pos + 1);
        pos++;
        payload = this.#payload ?? EMPTY;
        this.#payload = null;
        this.#filled = 0;
      }
      this.#state = LENGTH;
      this.#length = 0;
      inb.pos = pos;
      this.stringReceived(payload);
      // A re-entrant dataReceived may have appended (and moved) the buffer.
      buf = inb.buf;
      pos = inb.pos;
      len = buf.length;
    }
    inb.reset();
  }

  #fail(message: string, pos: number): void {
    this.#in.pos = pos;
    this.#in.compact();
    this.#parseError = new NetstringParseError(message);
    this.#handleParseError();
  }

  #handleParseError(): void {
    this.transport.loseConnection();
    this.brokenPeer = true;
  }

  /**
   * Called with the payload of each netstring received. Override it (the
   * default throws).
   *
   * @param _data The payload: bytes that stay valid and may be kept.
   * @throws {Error} Unless overridden (Twisted's `NotImplementedError`).
   */
  stringReceived(_data: Uint8Array): void {
    throw notOverridden(this, "stringReceived");
  }
}
