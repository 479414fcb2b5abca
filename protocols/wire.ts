// Copyright 2026 the Torsion authors. MIT license.
/**
 * The standard toy TCP services, after `twisted.protocols.wire`:
 * {@linkcode Echo} (RFC 862), {@linkcode Discard} (RFC 863),
 * {@linkcode Chargen} (RFC 864), {@linkcode QOTD} (RFC 865), {@linkcode Who}
 * (RFC 866), {@linkcode Daytime} (RFC 867) and {@linkcode Time} (RFC 868).
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type {
  IPullProducer,
  IPushProducer,
  IReactorTime,
} from "../reactor/interfaces.ts";
import { defineClockProperty } from "../reactor/_clock_property.ts";
import { asctime } from "./_asctime.ts";

/**
 * Writes back whatever it receives (RFC 862).
 *
 * @example Usage
 * ```ts
 * import { Echo } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Echo();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("hello"));
 * equal(t.valueText(), "hello");
 * ```
 */
export class Echo extends Protocol {
  /** It writes what it gets and keeps nothing: lent bytes do. */
  readonly keepsReceivedData = false;

  /**
   * Writes `data` back.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/**
 * Ignores whatever it receives (RFC 863).
 *
 * @example Usage
 * ```ts
 * import { Discard } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Discard();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("hello"));
 * equal(t.value().length, 0);
 * ```
 */
export class Discard extends Protocol {
  /** It keeps nothing: lent bytes do. */
  readonly keepsReceivedData = false;

  /**
   * Does nothing.
   *
   * @param _data The bytes received.
   */
  override dataReceived(_data: Uint8Array): void {}
}

const NOISE = new TextEncoder().encode(
  '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ !"#$%&?',
);

/**
 * Generates repeating noise (RFC 864): registers itself with the transport
 * as a pull producer and writes {@linkcode Chargen.noise} each time the
 * transport asks for more.
 *
 * @example Usage
 * ```ts
 * import { Chargen } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Chargen();
 * p.makeConnection(t);
 * equal(t.producer, p);
 * equal(t.streaming, false);
 * p.resumeProducing();
 * equal(t.value().length, 71);
 * ```
 */
export class Chargen extends Protocol implements IPullProducer, IPushProducer {
  /** The 71-byte pattern written per `resumeProducing` (Twisted's). */
  readonly noise: Uint8Array = NOISE;

  /** Registers as a pull producer (`streaming = false`). */
  override connectionMade(): void {
    this.transport.registerProducer(this, false);
  }

  /** Writes {@linkcode Chargen.noise} once. */
  resumeProducing(): void {
    this.transport.write(this.noise);
  }

  /** Does nothing. */
  pauseProducing(): void {}

  /** Does nothing. */
  stopProducing(): void {}
}

/**
 * Sends a quote of the day and closes the connection (RFC 865).
 *
 * @example Usage
 * ```ts
 * import { QOTD } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * new QOTD().makeConnection(t);
 * equal(t.valueText(), "An apple a day keeps the doctor away.\r\n");
 * equal(t.disconnecting, true);
 * ```
 */
export class QOTD extends Protocol {
  /** Writes {@linkcode QOTD.getQuote} and closes the connection. */
  override connectionMade(): void {
    this.transport.write(this.getQuote());
    this.transport.loseConnection();
  }

  /**
   * Returns the quote, with its line end. Override it.
   *
   * @returns Twisted's quote: `"An apple a day keeps the doctor away.\r\n"`.
   */
  getQuote(): Uint8Array | string {
    return "An apple a day keeps the doctor away.\r\n";
  }
}

/**
 * Sends the list of active users and closes the connection (RFC 866).
 *
 * @example Usage
 * ```ts
 * import { Who } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * new Who().makeConnection(t);
 * equal(t.valueText(), "root\r\n");
 * ```
 */
export class Who extends Protocol {
  /** Writes {@linkcode Who.getUsers} and closes the connection. */
  override connectionMade(): void {
    this.transport.write(this.getUsers());
    this.transport.loseConnection();
  }

  /**
   * Returns the active users, a line each. Override it.
   *
   * @returns Twisted's list: `"root\r\n"`.
   */
  getUsers(): Uint8Array | string {
    return "root\r\n";
  }
}

/**
 * Sends the date and time as text, `asctime`-style in UTC
 * (`"Sat Nov 28 14:42:56 2026\r\n"`), and closes the connection (RFC 867).
 * Twisted's version fails on Python 3 (it adds `str` and `bytes`).
 *
 * The time comes from {@linkcode Daytime.clock}: the reactor unless set
 * (tests set a `Clock`).
 *
 * @example Usage
 * ```ts
 * import { Daytime } from "@torsion/torsion/protocols";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * clock.advance(Date.UTC(2026, 10, 28, 14, 42, 56) / 1000);
 * const t = new StringTransport();
 * const p = new Daytime();
 * p.clock = clock;
 * p.makeConnection(t);
 * equal(t.valueText(), "Sat Nov 28 14:42:56 2026\r\n");
 * equal(t.disconnecting, true);
 * ```
 */
export class Daytime extends Protocol {
  /** Where the time comes from: the default reactor unless set. */
  declare clock: IReactorTime;

  /** Writes the time and closes the connection. */
  override connectionMade(): void {
    this.transport.write(`${asctime(this.clock.seconds(), true)}\r\n`);
    this.transport.loseConnection();
  }
}
defineClockProperty(Daytime.prototype);

/** Seconds from 1900-01-01 to 1970-01-01, both UTC. */
const EPOCH_1900 = 2208988800;

/**
 * Sends the time as 4 bytes and closes the connection (RFC 868): the
 * seconds since 1900-01-01 00:00 UTC, big-endian unsigned (wrapping around
 * in 2036, as the RFC's counter does). Twisted sends Unix time (since 1970)
 * as a signed integer instead.
 *
 * The time comes from {@linkcode Time.clock}: the reactor unless set (tests
 * set a `Clock`).
 *
 * @example Usage
 * ```ts
 * import { Time } from "@torsion/torsion/protocols";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { deepEqual } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * const p = new Time();
 * p.clock = new Clock(); // at 0: 1970-01-01, 2208988800 s after 1900
 * p.makeConnection(t);
 * deepEqual([...t.value()], [0x83, 0xaa, 0x7e, 0x80]);
 * ```
 */
export class Time extends Protocol {
  /** Where the time comes from: the default reactor unless set. */
  declare clock: IReactorTime;

  /** Writes the time and closes the connection. */
  override connectionMade(): void {
    const value = (Math.floor(this.clock.seconds()) + EPOCH_1900) % 2 ** 32;
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value < 0 ? value + 2 ** 32 : value);
    this.transport.write(out);
    this.transport.loseConnection();
  }
}
defineClockProperty(Time.prototype);
