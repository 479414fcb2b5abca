// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ThrottlingFactory} and {@linkcode ThrottlingProtocol}: limit a
 * server's connections and its read and write bandwidth, after
 * `twisted.protocols.policies`.
 *
 * @module
 */

import * as log from "../../defer/log.ts";
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  IReactorTime,
} from "../../reactor/interfaces.ts";
import { defineClockProperty } from "../../reactor/_clock_property.ts";
import { byteLength } from "./_byte_length.ts";
import { ProtocolWrapper } from "./protocol_wrapper.ts";
import { WrappingFactory } from "./wrapping_factory.ts";

function isPushProducer(
  p: IPushProducer | IPullProducer | null,
): p is IPushProducer {
  return p !== null &&
    typeof (p as Partial<IPushProducer>).pauseProducing === "function";
}

/**
 * The wrapper {@linkcode ThrottlingFactory} puts around each protocol
 * (Twisted's `ThrottlingProtocol`): it reports the bytes read and written to
 * the factory, and pauses and resumes when the factory says so. Reads are
 * throttled by pausing the transport; writes only by pausing the producer
 * the wrapped protocol registered, if it is a push producer (a protocol
 * that writes without a producer is never slowed down).
 *
 * Differences from Twisted: strings written count their UTF-8 bytes;
 * `writeSequence` takes its pieces out of the iterable once (a generator is
 * not consumed twice); a connection that is closing is neither paused nor
 * resumed; a pull producer is never asked for data by `unthrottleWrites`.
 *
 * @example Usage
 * ```ts
 * import { ThrottlingFactory, ThrottlingProtocol } from "@torsion/torsion/protocols";
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const factory = new ThrottlingFactory(Factory.forProtocol(Protocol));
 * const p = new ThrottlingProtocol(factory, new Protocol());
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * p.write("12345");
 * equal(factory.writtenThisSecond, 5);
 * p.throttleReads();
 * equal(transport.producerState, "paused");
 * ```
 */
export class ThrottlingProtocol extends ProtocolWrapper {
  /** The factory that built this wrapper. */
  declare factory: ThrottlingFactory;
  /** The producer the wrapped protocol registered, if any. */
  producer: IPushProducer | IPullProducer | null = null;

  /**
   * Creates a wrapper.
   *
   * @param factory The factory, told about the traffic.
   * @param wrappedProtocol The protocol to wrap.
   */
  constructor(factory: ThrottlingFactory, wrappedProtocol: IProtocol) {
    super(factory, wrappedProtocol);
  }

  /**
   * Counts the bytes and writes.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  override write(data: Uint8Array | string): void {
    this.factory.registerWritten(byteLength(data));
    super.write(data);
  }

  /**
   * Counts the bytes and writes.
   *
   * @param data The pieces.
   */
  override writeSequence(data: Iterable<Uint8Array | string>): void {
    const pieces = Array.from(data);
    let n = 0;
    for (const piece of pieces) n += byteLength(piece);
    this.factory.registerWritten(n);
    super.writeSequence(pieces);
  }

  /**
   * Counts the bytes and hands them to the wrapped protocol.
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    this.factory.registerRead(data.byteLength);
    super.dataReceived(data);
  }

  /**
   * Registers the producer with the transport and keeps it, to throttle
   * writes.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If the transport has a producer already.
   */
  override registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    super.registerProducer(producer, streaming);
    this.producer = producer;
  }

  /** Forgets the producer and unregisters it from the transport. */
  override unregisterProducer(): void {
    this.producer = null;
    super.unregisterProducer();
  }

  /** Pauses reading from the transport (unless it is closing). */
  throttleReads(): void {
    if (!this.disconnecting) this.transport.pauseProducing();
  }

  /** Resumes reading from the transport (unless it is closing). */
  unthrottleReads(): void {
    if (!this.disconnecting) this.transport.resumeProducing();
  }

  /** Pauses the registered push producer, if any. */
  throttleWrites(): void {
    if (isPushProducer(this.producer)) this.producer.pauseProducing();
  }

  /** Resumes the registered push producer, if any. */
  unthrottleWrites(): void {
    if (isPushProducer(this.producer)) this.producer.resumeProducing();
  }
}

/**
 * Options of {@linkcode ThrottlingFactory}.
 *
 * @example Usage
 * ```ts
 * import { ThrottlingFactory, type ThrottlingFactoryOptions } from "@torsion/torsion/protocols";
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const options: ThrottlingFactoryOptions = { maxConnectionCount: 100, writeLimit: 1_000_000 };
 * const factory = new ThrottlingFactory(Factory.forProtocol(Protocol), options);
 * equal(factory.readLimit, null);
 * equal(factory.writeLimit, 1_000_000);
 * ```
 */
export interface ThrottlingFactoryOptions {
  /**
   * The most connections at once; more are refused.
   * @default {Infinity}
   */
  maxConnectionCount?: number;
  /**
   * The most bytes per second to read over all connections, or `null` for
   * no limit.
   * @default {null}
   */
  readLimit?: number | null;
  /**
   * The most bytes per second to write over all connections, or `null` for
   * no limit.
   * @default {null}
   */
  writeLimit?: number | null;
}

function checkLimit(name: string, limit: number | null): void {
  if (limit !== null && !(limit > 0 && limit < Infinity)) {
    throw new RangeError(
      `Cannot throttle: ${name} must be null or a finite number > 0, received ${limit}`,
    );
  }
}

/**
 * Limits the connections and the bandwidth of the factory it wraps
 * (Twisted's `ThrottlingFactory`). Over
 * {@linkcode ThrottlingFactory.maxConnectionCount} open connections,
 * `buildProtocol` refuses new ones (logging "Max connection count
 * reached!"). With a {@linkcode ThrottlingFactory.readLimit} or
 * {@linkcode ThrottlingFactory.writeLimit} (bytes per second, over all
 * connections), the bytes are counted and checked every second: a second
 * with `n` bytes over a limit of `l` throttles every connection for
 * `n / l - 1` seconds: reads by pausing the transport, writes by pausing the
 * wrapped protocol's registered push producer (see
 * {@linkcode ThrottlingProtocol}). The checks start with the first
 * connection and stop, with any pending resume, when the count is back to 0.
 * Timers run on {@linkcode ThrottlingFactory.clock}: the default reactor
 * unless set.
 *
 * Differences from Twisted: the options are an object
 * (`new ThrottlingFactory(f, { readLimit: 10 })` for Twisted's
 * `ThrottlingFactory(f, readLimit=10)`); limits are checked (`RangeError`);
 * a refused connection neither starts the checks nor counts (Twisted starts
 * them even when it refuses); throttling again before a pending resume moves
 * that resume later rather than adding an earlier one; an error pausing or
 * resuming one connection is logged and does not stop the others nor the
 * checks; the counters restart at 0 when the last connection closes.
 *
 * @example Usage
 * ```ts
 * import { ThrottlingFactory } from "@torsion/torsion/protocols";
 * import { Factory, IPv4Address, Protocol } from "@torsion/torsion/reactor";
 * import { Clock, StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * const factory = new ThrottlingFactory(Factory.forProtocol(Protocol), { readLimit: 10 });
 * factory.clock = clock;
 * const p = factory.buildProtocol(new IPv4Address("TCP", "10.0.0.2", 1))!;
 * const transport = new StringTransport();
 * p.makeConnection(transport);
 * p.dataReceived(new Uint8Array(20)); // twice the limit
 * clock.advance(1);
 * equal(transport.producerState, "paused");
 * clock.advance(1); // paused for 20 / 10 - 1 = 1 second
 * equal(transport.producerState, "producing");
 * ```
 */
export class ThrottlingFactory extends WrappingFactory {
  /** The wrappers connected now. */
  declare protocols: Set<ThrottlingProtocol>;
  /** How many connections are open (or built and not yet lost) now. */
  connectionCount = 0;
  /** The most connections at once. */
  maxConnectionCount: number;
  /** The most bytes read per second, or `null` for no limit. */
  readLimit: number | null;
  /** The most bytes written per second, or `null` for no limit. */
  writeLimit: number | null;
  /** Bytes read since the last check. */
  readThisSecond = 0;
  /** Bytes written since the last check. */
  writtenThisSecond = 0;
  /** The pending resume of reads, if throttled. */
  unthrottleReadsID: IDelayedCall | null = null;
  /** The pending next read check, if checking. */
  checkReadBandwidthID: IDelayedCall | null = null;
  /** The pending resume of writes, if throttled. */
  unthrottleWritesID: IDelayedCall | null = null;
  /** The pending next write check, if checking. */
  checkWriteBandwidthID: IDelayedCall | null = null;
  /**
   * Creates a factory wrapping `wrappedFactory`.
   *
   * @param wrappedFactory The factory whose protocols to wrap.
   * @param options The connection and bandwidth limits.
   * @throws {RangeError} If `maxConnectionCount` is not a number >= 0, or a
   *   limit is not `null` or a finite number > 0.
   */
  constructor(
    wrappedFactory: IProtocolFactory,
    options: ThrottlingFactoryOptions = {},
  ) {
    const {
      maxConnectionCount = Infinity,
      readLimit = null,
      writeLimit = null,
    } = options;
    if (!(maxConnectionCount >= 0)) {
      throw new RangeError(
        `Cannot throttle: maxConnectionCount must be a number >= 0, received ${maxConnectionCount}`,
      );
    }
    checkLimit("readLimit", readLimit);
    checkLimit("writeLimit", writeLimit);
    super(wrappedFactory);
    this.maxConnectionCount = maxConnectionCount;
    this.readLimit = readLimit;
    this.writeLimit = writeLimit;
  }

  /** The clock the checks run on: the default reactor unless set. */
  declare clock: IReactorTime;

  /**
   * Schedules `func` after `period` seconds on
   * {@linkcode ThrottlingFactory.clock} (Twisted's overridable hook).
   *
   * @param period Seconds.
   * @param func The function.
   * @returns The pending call.
   */
  callLater(period: number, func: () => void): IDelayedCall {
    return this.clock.callLater(period, func);
  }

  /**
   * Counts bytes written (called by the wrappers).
   *
   * @param length The number of bytes.
   */
  registerWritten(length: number): void {
    this.writtenThisSecond += length;
  }

  /**
   * Counts bytes read (called by the wrappers).
   *
   * @param length The number of bytes.
   */
  registerRead(length: number): void {
    this.readThisSecond += length;
  }

  /**
   * Throttles reads if more than {@linkcode ThrottlingFactory.readLimit}
   * bytes were read since the last check, starts a new second, and
   * schedules the next check in 1 second.
   */
  checkReadBandwidth(): void {
    try {
      const limit = this.readLimit;
      if (limit !== null && this.readThisSecond > limit) {
        this.throttleReads();
        this.unthrottleReadsID = this.#unthrottleLater(
          this.unthrottleReadsID,
          this.readThisSecond / limit - 1.0,
          () => this.unthrottleReads(),
        );
      }
    } finally {
      this.readThisSecond = 0;
      this.checkReadBandwidthID = this.callLater(
        1,
        () => this.checkReadBandwidth(),
      );
    }
  }

  /**
   * Throttles writes if more than {@linkcode ThrottlingFactory.writeLimit}
   * bytes were written since the last check, starts a new second, and
   * schedules the next check in 1 second.
   */
  checkWriteBandwidth(): void {
    try {
      const limit = this.writeLimit;
      if (limit !== null && this.writtenThisSecond > limit) {
        this.throttleWrites();
        this.unthrottleWritesID = this.#unthrottleLater(
          this.unthrottleWritesID,
          this.writtenThisSecond / limit - 1.0,
          () => this.unthrottleWrites(),
        );
      }
    } finally {
      this.writtenThisSecond = 0;
      this.checkWriteBandwidthID = this.callLater(
        1,
        () => this.checkWriteBandwidth(),
      );
    }
  }

  /** Schedules a resume, or moves a pending one later. */
  #unthrottleLater(
    pending: IDelayedCall | null,
    delay: number,
    f: () => void,
  ): IDelayedCall {
    if (pending !== null && pending.active()) {
      if (pending.getTime() < this.clock.seconds() + delay) {
        pending.reset(delay);
      }
      return pending;
    }
    return this.callLater(delay, f);
  }

  /** Calls `action` on every wrapper; one failing is logged, the others go on. */
  #forEach(what: string, action: (p: ThrottlingProtocol) => void): void {
    for (const p of [...this.protocols]) {
      try {
        action(p);
      } catch (e) {
        log.err(e, `Error while ${what} on ${p.logPrefix()}`);
      }
    }
  }

  /** Pauses reading on every connection. */
  throttleReads(): void {
    log.msg(`Throttling reads on ${this}`);
    this.#forEach("throttling reads", (p) => p.throttleReads());
  }

  /** Resumes reading on every connection. */
  unthrottleReads(): void {
    this.unthrottleReadsID = null;
    log.msg(`Stopped throttling reads on ${this}`);
    this.#forEach("unthrottling reads", (p) => p.unthrottleReads());
  }

  /** Pauses the producers of every connection. */
  throttleWrites(): void {
    log.msg(`Throttling writes on ${this}`);
    this.#forEach("throttling writes", (p) => p.throttleWrites());
  }

  /** Resumes the producers of every connection. */
  unthrottleWrites(): void {
    this.unthrottleWritesID = null;
    log.msg(`Stopped throttling writes on ${this}`);
    this.#forEach("unthrottling writes", (p) => p.unthrottleWrites());
  }

  /**
   * Refuses the connection at {@linkcode ThrottlingFactory.maxConnectionCount};
   * otherwise builds and wraps the wrapped factory's protocol, counts it, and
   * starts the bandwidth checks if it is the first.
   *
   * @param addr The address of the other side.
   * @returns The wrapper, or `null` to refuse the connection.
   */
  override buildProtocol(addr: IAddress): ThrottlingProtocol | null {
    if (this.connectionCount >= this.maxConnectionCount) {
      log.msg("Max connection count reached!");
      return null;
    }
    const p = super.buildProtocol(addr) as ThrottlingProtocol | null;
    if (p === null) return null;
    if (this.connectionCount === 0) {
      if (this.readLimit !== null && !this.checkReadBandwidthID?.active()) {
        this.checkReadBandwidth();
      }
      if (this.writeLimit !== null && !this.checkWriteBandwidthID?.active()) {
        this.checkWriteBandwidth();
      }
    }
    this.connectionCount++;
    return p;
  }

  /**
   * Wraps `wrappedProtocol` in a {@linkcode ThrottlingProtocol}.
   *
   * @param wrappedProtocol The protocol the wrapped factory built.
   * @returns Its wrapper.
   */
  override wrapProtocol(wrappedProtocol: IProtocol): ThrottlingProtocol {
    return new ThrottlingProtocol(this, wrappedProtocol);
  }

  /**
   * Forgets a closed wrapper; when none is left, cancels the checks and
   * pending resumes.
   *
   * @param p The wrapper.
   */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    if (this.connectionCount === 0) return;
    this.connectionCount--;
    if (this.connectionCount === 0) {
      for (
        const call of [
          this.unthrottleReadsID,
          this.checkReadBandwidthID,
          this.unthrottleWritesID,
          this.checkWriteBandwidthID,
        ]
      ) {
        if (call?.active()) call.cancel();
      }
      this.unthrottleReadsID = null;
      this.checkReadBandwidthID = null;
      this.unthrottleWritesID = null;
      this.checkWriteBandwidthID = null;
      this.readThisSecond = 0;
      this.writtenThisSecond = 0;
    }
  }
}
defineClockProperty(ThrottlingFactory.prototype);
