// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode NetstringReceiver}: a protocol that sends and receives
 * netstrings, after `twisted.protocols.basic.NetstringReceiver`.
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type { ITransport } from "../reactor/interfaces.ts";
import { notOverridden, toBytes } from "./_bytes.ts";
import { NetstringDecoder } from "./_codec/netstring_decoder.ts";
import type { NetstringParseError } from "./netstring_parse_error.ts";

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;

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

  // Parses the netstrings; the receiver delivers them and handles errors.
  #decoder: NetstringDecoder = new NetstringDecoder();
  #busy = false;

  /**
   * The error that made {@linkcode NetstringReceiver.brokenPeer} true, or
   * `null` (a Torsion addition: Twisted catches and drops it).
   */
  get parseError(): NetstringParseError | null {
    return this.#decoder.error;
  }

  /**
   * Resets the parser (Twisted sets up its state here), then connects as
   * {@linkcode Protocol.makeConnection} does.
   *
   * @param transport The transport.
   */
  override makeConnection(transport: ITransport): void {
    this.#decoder = new NetstringDecoder();
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
    const decoder = this.#decoder;
    if (this.#busy) {
      decoder.push(data);
      return;
    }
    if (decoder.error !== null) {
      // Twisted keeps the bad data and fails again on every later chunk.
      if (data.length !== 0 || decoder.pending) this.#handleParseError();
      return;
    }
    this.#busy = true;
    try {
      decoder.push(data);
      for (;;) {
        // A handler may change it between strings.
        decoder.maxLength = this.MAX_LENGTH;
        const payload = decoder.next();
        if (payload === null) return;
        this.stringReceived(payload);
      }
    } catch (error) {
      if (error !== decoder.error) throw error;
      this.#handleParseError();
    } finally {
      this.#busy = false;
    }
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
