// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode StreamTransport}: the stream core every byte-stream transport
 * shares (TCP, Unix, and the TLS, process-pipe and epoll transports to
 * come): the write queue, producers, write buffer limits, closing and
 * half-closing, and the protocol's events in their order.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type {
  ConnectionOwner,
  ReactorResource,
  StartableTransport,
  TransportReactor,
} from "../backend.ts";
import {
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  WriteBufferOverflow,
} from "../errors.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  WriteBufferLimits,
} from "../interfaces.ts";
import {
  type Lease,
  lentBufferOf,
  slabWithRoom,
  SMALL_WRITE,
  WRITE_SLAB_SIZE,
  type WriteSlab,
  writeSlab,
} from "./_buffer_pool.ts";
import {
  DEFAULT_WRITE_BUFFER_LIMITS,
  updateWriteBufferLimits,
} from "./_write_buffer_limits.ts";

const encoder = new TextEncoder();

/** Reading is paused by `pauseProducing()`. */
const PAUSED_BY_USER = 1;
/** Reading is paused because more than `high` bytes wait to be sent. */
const PAUSED_BY_BUFFER = 2;

/** The reason of every clean close, shared as Twisted shares `connectionDone`. */
const CONNECTION_DONE = new Failure(new ConnectionDone());

interface HalfCloseable {
  readConnectionLost?: () => void;
  writeConnectionLost?: () => void;
}

/**
 * The transport of a byte stream (Twisted's `abstract.FileDescriptor` with
 * `tcp.Connection`'s close logic), the base of {@linkcode Connection} and
 * of every other stream transport. A subclass moves the bytes: it reads and
 * calls `_deliver`/`_readEOF`/`_readFailed`, and sends what `_write` gives
 * it, reporting back with `_written`/`_writeFailed`.
 *
 * The protocol's events come in this order, each at most as noted:
 *
 * ```text
 * makeConnection → connectionMade (once)
 *   → dataReceived (any number)
 *   → readConnectionLost (half-closeable protocols, at most once)
 *   → writeConnectionLost (after loseWriteConnection, at most once)
 *   → connectionLost (exactly once)
 * ```
 *
 * Writing: `write()` only queues; the writes of one turn go out in one
 * system call, partial writes are continued. A pull producer is asked for
 * more each time the buffer empties.
 *
 * Flow control ({@linkcode StreamTransport.setWriteBufferLimits}): above
 * `high` bytes waiting to be sent (64 KiB, Twisted's `bufferSize`), a
 * streaming producer is paused inside each `write()` and the transport stops
 * reading from the peer; both resume once the buffer is down to `low` (0:
 * empty, as Twisted resumes). A protocol that writes in response to what it
 * reads (an echo, a proxy, a request/response server) therefore holds at
 * most about `high` plus one read for a peer that sends without reading:
 * TCP's window then holds the peer back. Twisted reads on regardless (its
 * echo server grows without bound toward such a peer);
 * `{ pauseReading: false }` restores that. The price of the default: a peer
 * that sends more than `high` plus what the two kernels buffer (a few MiB on
 * loopback) before it reads anything waits forever, as it would against any
 * bounded server. Past `max` (16 MiB) bytes waiting, which only writes not
 * driven by this peer's input can reach, the connection is aborted with
 * {@linkcode WriteBufferOverflow} and a log line. Writes after
 * `connectionLost` are dropped silently.
 *
 * Closing: `loseConnection()` sends what is buffered, then closes
 * (`ConnectionDone`); `abortConnection()` drops the buffer and closes
 * (`ConnectionAborted`, reported on a later turn); the peer's end of stream
 * is `ConnectionDone`, or `readConnectionLost()` for a protocol that has it
 * (half-close); read and write errors are `ConnectionLost` with the
 * backend's error as `cause`; an error thrown by `dataReceived` is logged
 * and becomes the reason. `connectionLost` is called exactly once.
 *
 * @example Usage
 * ```ts
 * import {
 *   type IAddress,
 *   IPv4Address,
 *   Protocol,
 *   Reactor,
 *   StreamTransport,
 * } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * // A transport whose "socket" collects what is sent.
 * class Collecting extends StreamTransport {
 *   sent = "";
 *   getHost(): IAddress {
 *     return new IPv4Address("TCP", "127.0.0.1", 1);
 *   }
 *   getPeer(): IAddress {
 *     return new IPv4Address("TCP", "127.0.0.1", 2);
 *   }
 *   protected _startReading(): void {}
 *   protected _resumeReading(): void {}
 *   protected _write(chunk: Uint8Array): void {
 *     this.sent += new TextDecoder().decode(chunk);
 *     queueMicrotask(() => this._written(chunk.length));
 *   }
 *   protected _shutdownWrite(): void {}
 *   protected _closeIO(): void {}
 * }
 * const lost = Promise.withResolvers<void>();
 * class Hello extends Protocol {
 *   override connectionMade(): void {
 *     this.transport.write("hello");
 *     this.transport.loseConnection();
 *   }
 *   override connectionLost(): void {
 *     lost.resolve();
 *   }
 * }
 * const t = new Collecting(new Reactor(), new Hello(), 0);
 * t._start();
 * await lost.promise;
 * equal(t.sent, "hello");
 * ```
 */
export abstract class StreamTransport
  implements StartableTransport, ReactorResource {
  /** The protocol this transport delivers to. */
  readonly protocol: IProtocol;
  /** Whether the connection is open (`false` once `connectionLost` ran). */
  connected = true;
  /** Whether `loseConnection()` was called. */
  disconnecting = false;
  /** Whether the connection is closed. */
  disconnected = false;
  /**
   * The write buffer size above which a streaming producer is paused and
   * reading stops (Twisted's `bufferSize`): the `high` of
   * {@linkcode StreamTransport.setWriteBufferLimits}. Setting it raises `max`
   * along with it if needed.
   */
  get bufferSize(): number {
    return this.#limits.high;
  }
  set bufferSize(size: number) {
    this.setWriteBufferLimits({
      high: size,
      max: Math.max(size, this.#limits.max),
    });
  }
  /** An id for log lines, unique per reactor. */
  readonly sessionno: number;
  readonly #reactor: TransportReactor;
  readonly #owner: ConnectionOwner | null;
  #queue: Uint8Array[] = [];
  #queued = 0;
  /** The slab holding this connection's latest small writes, if any. */
  #stage: WriteSlab | null = null;
  #stageStart = 0;
  #stageEnd = 0;
  /**
   * What the chunks in `#queue` hold until sent: the slabs of staged
   * regions, and lent read buffers written as they are.
   */
  #queueLeases: Lease[] = [];
  #writing = false;
  #inflight: Uint8Array | null = null;
  /** What `#inflight` holds, if anything. */
  #inflightLease: Lease | null = null;
  /** The chunks being sent with `_writev`, the rest of them after a partial write. */
  #inflightList: Uint8Array[] | null = null;
  /** What `#inflightList` holds. */
  #inflightListLeases: Lease[] | null = null;
  /** Emptied arrays of a sent list, the next `#queue` and `#queueLeases`. */
  #spareList: Uint8Array[] | null = null;
  #spareLeases: Lease[] | null = null;
  #kickScheduled = false;
  #kickPending = false;
  #dispatching = false;
  #closed = false;
  #aborting = false;
  #writeDisconnecting = false;
  /** Whether writes are dropped: lost, aborted, or write side shut down. */
  #noWrites = false;
  #writeDisconnected = false;
  #limits: Required<WriteBufferLimits> = DEFAULT_WRITE_BUFFER_LIMITS;
  /** `#limits.high`, read on every write. */
  #high: number = DEFAULT_WRITE_BUFFER_LIMITS.high;
  /** Why reading is paused: {@linkcode PAUSED_BY_USER}, {@linkcode PAUSED_BY_BUFFER}. */
  #paused = 0;
  #producer: IPushProducer | IPullProducer | null = null;
  #streaming = false;
  #producerPaused = false;

  /**
   * Made by a transport subclass.
   *
   * @param reactor The reactor.
   * @param protocol The protocol.
   * @param sessionno An id for log lines.
   * @param owner The connector of a client connection.
   */
  constructor(
    reactor: TransportReactor,
    protocol: IProtocol,
    sessionno: number,
    owner: ConnectionOwner | null = null,
  ) {
    this.#reactor = reactor;
    this.protocol = protocol;
    this.sessionno = sessionno;
    this.#owner = owner;
  }

  /** @ignore Connects the protocol and starts reading (the reactor calls it once). */
  _start(): void {
    this.#reactor._addResource(this);
    try {
      this.protocol.makeConnection(this);
    } catch (e) {
      this._logError(e);
      this.#lose(e);
      return;
    }
    if (!this.#closed) this._startReading();
  }

  /**
   * Returns the prefix of log lines about this connection:
   * `ProtocolClass,sessionno,peerhost`, with the protocol's `logPrefix()`
   * when it has one (its class name if that throws).
   */
  logPrefix(): string {
    const peer = this.getPeer() as { host?: string; name?: string | null };
    const protocol = this.protocol as { logPrefix?: () => string };
    let name: string;
    try {
      name = String(protocol.logPrefix?.() ?? this.protocol.constructor.name);
    } catch {
      name = this.protocol.constructor?.name ?? "Protocol";
    }
    return `${name},${this.sessionno},${peer.host ?? peer.name ?? ""}`;
  }

  /**
   * Logs an error (thrown by user code, or unexpected) with this
   * connection's prefix; never throws.
   *
   * @param e The error.
   * @param why What was being done.
   */
  protected _logError(e: unknown, why?: string): void {
    try {
      log.err(e, why, { system: this.logPrefix() });
    } catch {
      // The log wrote to standard error itself, or could not: nothing more
      // can be done here, and the caller must go on closing.
    }
  }

  /** Returns the local address. */
  abstract getHost(): IAddress;

  /** Returns the peer's address. */
  abstract getPeer(): IAddress;

  /** Returns the number of bytes written and not yet sent. */
  getWriteBufferSize(): number {
    return this.#queued;
  }

  /** Starts reading from the peer (called once, after `connectionMade`). */
  protected abstract _startReading(): void;

  /**
   * Reading may go on: {@linkcode StreamTransport._readingPaused} became
   * false, or the transport closed.
   */
  protected abstract _resumeReading(): void;

  /**
   * Starts sending `chunk`; the subclass then calls
   * {@linkcode StreamTransport._written} with the count sent (perhaps not
   * all), or {@linkcode StreamTransport._writeFailed}.
   *
   * @param chunk The bytes.
   */
  protected abstract _write(chunk: Uint8Array): void;

  /**
   * Starts sending `chunks`, in order, in one call (a `writev`), when the
   * subclass can; without it several queued chunks are copied into one for
   * {@linkcode StreamTransport._write}. The subclass then calls
   * {@linkcode StreamTransport._written} with the count sent (perhaps
   * ending inside any chunk), or {@linkcode StreamTransport._writeFailed}.
   * The array is the transport's: read it during the call only.
   *
   * @param chunks The bytes: two chunks or more, or, after a partial
   *   write, what is left of them.
   */
  protected _writev?(chunks: readonly Uint8Array[]): void;

  /**
   * Shuts down the write side; the subclass then calls
   * {@linkcode StreamTransport._writeShutdown} or
   * {@linkcode StreamTransport._writeFailed}.
   */
  protected abstract _shutdownWrite(): void;

  /** Closes the socket (once): pending reads and writes end. */
  protected abstract _closeIO(): void;

  /**
   * Returns a promise that settles once the socket's pending operations
   * have seen the close, or `null` when none is pending: a reactor shutting
   * down waits for it.
   */
  protected _whenIdle(): Promise<void> | null {
    return null;
  }

  /** Whether reading is paused (by the protocol, the write buffer, or a close). */
  protected get _readingPaused(): boolean {
    return this.#paused !== 0 || this.disconnecting;
  }

  /** Whether the socket was closed (lost or aborted). */
  protected get _isClosed(): boolean {
    return this.#closed;
  }

  /**
   * A read or a write failed: the connection is lost with the backend's
   * translation of `e` (unless it closed already).
   *
   * @param e The error.
   */
  protected _readFailed(e: unknown): void {
    if (!this.#closed) {
      this.#lose(this.#reactor._backend.connectionLostReason(e));
    }
  }

  /**
   * Something unexpected went wrong on this connection: it is logged and
   * the connection lost with it.
   *
   * @param e The error.
   */
  protected _crashed(e: unknown): void {
    this._logError(e, "Unexpected error in a transport");
    this.#lose(e);
  }

  /**
   * Hands bytes read to the protocol, then sends what it wrote.
   *
   * @param data Bytes the protocol may keep.
   */
  protected _deliver(data: Uint8Array): void {
    this.#dispatching = true;
    try {
      this.protocol.dataReceived(data);
    } catch (e) {
      this.#dispatching = false;
      this._logError(e);
      this.#lose(e);
      return;
    }
    this.#dispatching = false;
    // Send what dataReceived wrote now, without waiting for a microtask.
    if (this.#kickPending) {
      this.#kickPending = false;
      this.#kick();
    }
  }

  /** The peer ended its stream: `readConnectionLost`, or a clean close. */
  protected _readEOF(): void {
    const p = this.protocol as HalfCloseable;
    if (typeof p.readConnectionLost === "function") {
      try {
        p.readConnectionLost();
      } catch (e) {
        this._logError(e);
        this.#lose(e);
      }
      return;
    }
    this.#lose(CONNECTION_DONE);
  }

  /**
   * Queues data to send (a string as UTF-8). Not copied: do not change the
   * array afterwards. Dropped silently after the connection was lost or its
   * write side was shut down. Past the `high` limit it pauses a streaming
   * producer and reading; past `max` it aborts the connection
   * ({@linkcode Connection.setWriteBufferLimits}).
   *
   * @param data The data.
   */
  write(data: Uint8Array | string): void {
    if (this.#noWrites) return;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const n = bytes.length;
    if (n <= SMALL_WRITE) {
      if (n === 0) return;
      // Copy into the shared slab, extending this connection's region when
      // nothing was staged after it.
      let slab = writeSlab;
      let at = slab.used;
      if (
        this.#stage !== slab || this.#stageEnd !== at ||
        at + n > WRITE_SLAB_SIZE
      ) {
        at = this.#openStage(n);
        slab = writeSlab;
      }
      const into = slab.bytes;
      if (n < 16) {
        for (let i = 0; i < n; i++) into[at + i] = bytes[i];
      } else {
        into.set(bytes, at);
      }
      slab.used = this.#stageEnd = at + n;
    } else {
      this.#closeStage();
      this.#queue.push(bytes);
      // A view of a lent read buffer (an echo, a proxy): hold the buffer
      // until the view is sent.
      const lent = lentBufferOf(bytes);
      if (lent !== undefined) {
        lent.holds++;
        this.#queueLeases.push(lent);
      }
    }
    if ((this.#queued += n) > this.#high) this.#overHigh();
    if (!this.#writing) this.#scheduleWrite();
  }

  /**
   * More than `high` bytes wait: pause a streaming producer (on every such
   * write, as Twisted's `_maybePauseProducer`, so a producer that someone
   * else resumed is paused again) and reading; past `max`, abort.
   */
  #overHigh(): void {
    const limits = this.#limits;
    if (this.#queued > limits.max) {
      const reason = new WriteBufferOverflow(this.#queued, limits.max);
      this._logError(reason, "Aborting a connection whose peer does not read");
      this.#abort(reason);
      return;
    }
    if (limits.pauseReading) this.#paused |= PAUSED_BY_BUFFER;
    const producer = this.#producer;
    if (producer !== null && this.#streaming) {
      this.#producerPaused = true;
      try {
        (producer as IPushProducer).pauseProducing();
      } catch (e) {
        this._logError(e);
        this.#abort(e);
      }
    }
  }

  /** Whether reading or a streaming producer is paused. */
  #isPaused(): boolean {
    return this.#paused !== 0 || this.#producerPaused;
  }

  /**
   * The buffer is down to `low`: resume reading and a paused streaming
   * producer.
   *
   * @returns Whether to go on with the buffer: `false` once the connection
   *   is lost, or when a resumed producer wrote nothing and asked for
   *   nothing (as in Twisted, the transport then waits for it).
   */
  #belowLow(): boolean {
    if ((this.#paused & PAUSED_BY_BUFFER) !== 0) {
      this.#paused &= ~PAUSED_BY_BUFFER;
      if (this.#paused === 0) this._resumeReading();
    }
    const producer = this.#producer;
    if (producer === null || !this.#streaming || !this.#producerPaused) {
      return true;
    }
    this.#kickPending = false;
    if (!this.#resumeProducer(producer)) return false;
    const asked = this.#kickPending;
    this.#kickPending = false;
    return asked || this.#hasPending();
  }

  /**
   * Calls the producer's `resumeProducing()`; writes and other calls that
   * want a write pass set `#kickPending` meanwhile.
   *
   * @returns Whether the connection is still open.
   */
  #resumeProducer(producer: IPushProducer | IPullProducer): boolean {
    this.#producerPaused = false;
    const dispatching = this.#dispatching;
    this.#dispatching = true;
    try {
      producer.resumeProducing();
    } catch (e) {
      this.#dispatching = dispatching;
      this._logError(e);
      this.#lose(e);
      return false;
    }
    this.#dispatching = dispatching;
    return !this.#closed;
  }

  /** Starts a new staging region for `n` bytes; returns where it starts. */
  #openStage(n: number): number {
    this.#closeStage();
    const slab = slabWithRoom(n);
    slab.live++;
    this.#stage = slab;
    this.#stageStart = this.#stageEnd = slab.used;
    return slab.used;
  }

  /** Moves this connection's staged bytes into the queue as one chunk. */
  #closeStage(): void {
    const stage = this.#stage;
    if (stage === null) return;
    if (this.#stageEnd > this.#stageStart) {
      this.#queue.push(
        new Uint8Array(
          stage.bytes.buffer,
          this.#stageStart,
          this.#stageEnd - this.#stageStart,
        ),
      );
      this.#queueLeases.push(stage);
    } else {
      stage.release();
    }
    this.#stage = null;
    this.#stageStart = this.#stageEnd = 0;
  }

  /** Whether written bytes wait to be sent. */
  #hasPending(): boolean {
    return this.#queue.length > 0 || this.#stageEnd > this.#stageStart;
  }

  /**
   * Queues several pieces of data, sent as their concatenation.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    if (Array.isArray(data)) {
      for (let i = 0; i < data.length; i++) this.write(data[i]);
    } else {
      for (const d of data) this.write(d);
    }
  }

  #scheduleWrite(): void {
    if (this.#writing) return;
    if (this.#dispatching) {
      this.#kickPending = true;
      return;
    }
    if (this.#kickScheduled) return;
    this.#kickScheduled = true;
    queueMicrotask(
      this.#onKick ??= () => {
        this.#kickScheduled = false;
        this.#kick();
      },
    );
  }

  /** Runs a write pass; made on first use (idle connections stay small). */
  #onKick: (() => void) | null = null;

  /** Starts sending the queue, or handles an empty buffer. */
  #kick(): void {
    if (this.#writing || this.#closed) return;
    if (this.#hasPending()) {
      this.#sendPending();
    } else {
      this.#drained();
    }
  }

  /** Takes the whole queue as one chunk. */
  #takeChunk(): Uint8Array {
    const q = this.#queue;
    const stage = this.#stage;
    if (q.length === 0 && stage !== null && this.#stageEnd > this.#stageStart) {
      // Only staged bytes (the usual case: small writes): send the region
      // as it is, without a trip through the queue (whose emptied arrays
      // would be allocated again on the next write).
      const chunk = new Uint8Array(
        stage.bytes.buffer,
        this.#stageStart,
        this.#stageEnd - this.#stageStart,
      );
      this.#inflightLease = stage;
      this.#stage = null;
      this.#stageStart = this.#stageEnd = 0;
      return chunk;
    }
    this.#closeStage();
    const leases = this.#queueLeases;
    if (q.length === 1) {
      const c = q[0];
      q.length = 0;
      if (leases.length !== 0) {
        this.#inflightLease = leases[0];
        leases.length = 0;
      }
      return c;
    }
    let total = 0;
    for (let i = 0; i < q.length; i++) total += q[i].length;
    const out = new Uint8Array(total);
    let off = 0;
    for (let i = 0; i < q.length; i++) {
      out.set(q[i], off);
      off += q[i].length;
    }
    q.length = 0;
    this.#releaseQueued();
    return out;
  }

  /** The staged regions in the queue are no longer needed. */
  #releaseQueued(): void {
    const leases = this.#queueLeases;
    for (let i = 0; i < leases.length; i++) leases[i].release();
    leases.length = 0;
  }

  /** What is being sent is no longer needed. */
  #releaseInflight(): void {
    const lease = this.#inflightLease;
    if (lease !== null) {
      this.#inflightLease = null;
      lease.release();
    }
    const list = this.#inflightList;
    if (list !== null) {
      const leases = this.#inflightListLeases!;
      this.#inflightList = this.#inflightListLeases = null;
      for (let i = 0; i < leases.length; i++) leases[i].release();
      list.length = leases.length = 0;
      this.#spareList = list;
      this.#spareLeases = leases;
    }
  }

  /** Drops everything not yet sent. */
  #dropQueue(): void {
    this.#queue.length = 0;
    this.#releaseQueued();
    this.#queued = 0;
    if (this.#stage !== null) this.#stage.release();
    this.#stage = null;
    this.#stageStart = this.#stageEnd = 0;
  }

  #send(chunk: Uint8Array): void {
    this.#writing = true;
    this.#inflight = chunk;
    this._write(chunk);
  }

  /** Sends what is queued: several chunks in one `_writev` if the subclass has it, else as one chunk. */
  #sendPending(): void {
    if (this._writev !== undefined && this.#queue.length !== 0) {
      this.#closeStage();
      if (this.#queue.length > 1) {
        const list = this.#queue;
        this.#queue = this.#spareList ?? [];
        this.#spareList = null;
        this.#inflightListLeases = this.#queueLeases;
        this.#queueLeases = this.#spareLeases ?? [];
        this.#spareLeases = null;
        this.#writing = true;
        this.#inflightList = list;
        this._writev(list);
        return;
      }
    }
    this.#send(this.#takeChunk());
  }

  /** `n` bytes of the list being sent were sent: send the rest, if any. */
  #listWritten(list: Uint8Array[], n: number): boolean {
    let i = 0;
    while (i < list.length && n >= list[i].length) n -= list[i++].length;
    if (i === list.length) return true;
    if (i > 0) list.splice(0, i);
    if (n > 0) list[0] = list[0].subarray(n);
    this._writev!(list);
    return false;
  }
  /**
   * `n` bytes of the chunk being sent were sent.
   *
   * @param n The count.
   */
  protected _written(n: number): void {
    if (this.#closed) {
      this.#writing = false;
      this.#releaseInflight();
      return;
    }
    const list = this.#inflightList;
    if (list !== null) {
      this.#queued -= n;
      if (!this.#listWritten(list, n)) {
        if (this.#queued <= this.#limits.low && this.#isPaused()) {
          this.#belowLow();
        }
        return;
      }
      this.#releaseInflight();
      this.#writing = false;
      if (
        this.#queued <= this.#limits.low && this.#isPaused() &&
        !this.#belowLow()
      ) {
        return;
      }
      if (this.#hasPending()) {
        this.#sendPending();
      } else {
        this.#drained();
      }
      return;
    }
    const chunk = this.#inflight!;
    this.#queued -= n;
    if (n < chunk.length) {
      // A partial write: send the rest.
      this._write(this.#inflight = chunk.subarray(n));
      if (this.#queued <= this.#limits.low && this.#isPaused()) {
        this.#belowLow();
      }
      return;
    }
    this.#inflight = null;
    this.#releaseInflight();
    this.#writing = false;
    if (
      this.#queued <= this.#limits.low && this.#isPaused() && !this.#belowLow()
    ) {
      return;
    }
    if (this.#hasPending()) {
      this.#sendPending();
    } else {
      this.#drained();
    }
  }

  /**
   * Sending (or shutting down the write side) failed: the connection is
   * lost.
   *
   * @param e The error.
   */
  protected _writeFailed(e: unknown): void {
    this.#writing = false;
    this.#inflight = null;
    this.#releaseInflight();
    this._readFailed(e);
  }

  /**
   * The buffer is empty: feed a producer, or finish a close (Twisted's
   * `doWrite` at an empty buffer).
   */
  #drained(): void {
    const producer = this.#producer;
    if (producer !== null && (!this.#streaming || this.#producerPaused)) {
      this.#kickPending = false;
      if (!this.#resumeProducer(producer)) return;
      // Writes, unregisterProducer(), loseConnection() or
      // loseWriteConnection() made by the producer ask for another pass
      // (Twisted's startWriting): run it now. Without one, the transport
      // waits for the producer.
      if (this.#kickPending) {
        this.#kickPending = false;
        this.#kick();
      }
      return;
    }
    if (this.disconnecting) {
      this.#lose(CONNECTION_DONE);
      return;
    }
    if (this.#writeDisconnecting && !this.#writeDisconnected) {
      // Writes are taken until the write side is actually shut down.
      this.#writeDisconnected = true;
      this.#noWrites = true;
      this._shutdownWrite();
    }
  }

  /** The write side is shut down: tell a half-closeable protocol. */
  protected _writeShutdown(): void {
    if (this.#closed) return;
    const p = this.protocol as HalfCloseable;
    if (typeof p.writeConnectionLost === "function") {
      try {
        p.writeConnectionLost();
      } catch (e) {
        this._logError(e);
        this.#lose(e);
      }
    }
  }

  /**
   * Closes the connection once everything queued has been sent and a
   * registered pull producer (or paused push producer) has unregistered;
   * then the protocol gets `connectionLost` with `ConnectionDone`. Writes
   * made after this call are still sent first.
   */
  loseConnection(): void {
    if (this.#closed || this.disconnecting) return;
    this.disconnecting = true;
    if (this.#writeDisconnected) {
      // The write side is already shut: nothing more can be sent.
      this.#lose(CONNECTION_DONE);
      return;
    }
    this.#scheduleWrite();
  }

  /**
   * Shuts down the write side once everything queued is sent (the peer
   * reads end of stream), then calls the protocol's `writeConnectionLost` if
   * it has one. Writes made until the shutdown happens are sent first, as
   * with `loseConnection()`; a registered producer is waited for. Reading
   * goes on.
   */
  loseWriteConnection(): void {
    if (this.#closed || this.#writeDisconnecting) return;
    this.#writeDisconnecting = true;
    this.#scheduleWrite();
  }

  /**
   * Closes at once, dropping anything not yet sent; the protocol gets
   * `connectionLost` with `ConnectionAborted` on a later turn. Deno cannot
   * send a TCP reset: the peer sees an ordinary end of stream.
   */
  abortConnection(): void {
    this.#abort(new ConnectionAborted());
  }

  /** Closes the socket now and reports `reason` on a later turn. */
  #abort(reason: unknown): void {
    if (this.#closed || this.#aborting) return;
    this.#aborting = true;
    this.#noWrites = true;
    this.#dropQueue();
    this.#closeSocket();
    this.#reactor.callLater(0, () => this.#lose(reason));
  }

  #closeSocket(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#noWrites = true;
    this._closeIO();
  }

  /** Reports the loss to everyone, once. */
  #lose(reason: unknown): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this.connected = false;
    this.#closeSocket();
    this.#dropQueue();
    this.#reactor._removeResource(this);
    // Let a reactor shutting down wait until the socket's pending
    // operations have seen the close.
    const idle = this._whenIdle();
    if (idle !== null) this.#reactor._track(idle);
    const producer = this.#producer;
    this.#producer = null;
    if (producer !== null) {
      try {
        producer.stopProducing();
      } catch (e) {
        this._logError(e);
      }
    }
    const failure = reason instanceof Failure ? reason : new Failure(reason);
    try {
      this.protocol.connectionLost(failure);
    } catch (e) {
      this._logError(e);
    }
    if (this.#owner !== null) {
      try {
        this.#owner.connectionLost(failure);
      } catch (e) {
        this._logError(e);
      }
    }
  }

  /** @ignore The reactor is shutting down: lose the connection now. */
  _reactorShutdown(): void {
    this.#lose(new ConnectionLost("Connection lost"));
  }

  /**
   * Attaches a producer: a push producer (`streaming = true`) is paused by
   * each write that leaves more than `high` bytes (64 KiB,
   * {@linkcode Connection.bufferSize}) waiting and resumed once the buffer
   * is down to `low` (empty by default); a pull producer is asked for data
   * now and each time the buffer empties. On a closed connection the
   * producer is stopped at once.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If a producer is registered already.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    if (this.#producer !== null) {
      throw new Error(
        "Cannot register a producer: another producer was registered and never unregistered",
      );
    }
    if (this.disconnected) {
      producer.stopProducing();
      return;
    }
    this.#producer = producer;
    this.#streaming = streaming;
    this.#producerPaused = false;
    if (!streaming) producer.resumeProducing();
  }

  /**
   * Detaches the producer; a pending `loseConnection()` or
   * `loseWriteConnection()` then completes once the buffer is sent (Twisted
   * finishes only the former; a half-close waiting on a producer that
   * unregisters without writing would never happen there).
   */
  unregisterProducer(): void {
    this.#producer = null;
    if (this.connected && (this.disconnecting || this.#writeDisconnecting)) {
      this.#scheduleWrite();
    }
  }

  /** Stops reading (the transport as a push producer), e.g. for backpressure. */
  pauseProducing(): void {
    this.#paused |= PAUSED_BY_USER;
  }

  /**
   * Resumes reading after {@linkcode Connection.pauseProducing} (unless the
   * write buffer holds it paused).
   */
  resumeProducing(): void {
    if (this.#closed || this.disconnecting) return;
    this.#paused &= ~PAUSED_BY_USER;
    if (this.#paused === 0) this._resumeReading();
  }

  /**
   * Changes how much the transport buffers toward the peer; limits not
   * given keep their value. See {@linkcode WriteBufferLimits} for what each
   * does and its default. Twisted's unbounded behaviour is
   * `{ pauseReading: false, max: Infinity }`.
   *
   * @param limits The limits to change.
   * @throws {RangeError} Unless `max >= high >= low >= 0` holds afterwards.
   * @throws {TypeError} If a limit is not a number.
   *
   * @example Usage
   * ```ts ignore
   * import { Protocol } from "@torsion/torsion/reactor";
   *
   * class Upload extends Protocol {
   *   override connectionMade(): void {
   *     // Replies are big: buffer up to 1 MiB before reading stops.
   *     this.transport.setWriteBufferLimits({ high: 1 << 20, low: 1 << 18 });
   *   }
   * }
   * ```
   */
  setWriteBufferLimits(limits: WriteBufferLimits): void {
    const next = updateWriteBufferLimits(this.#limits, limits);
    this.#limits = next;
    this.#high = next.high;
    if (
      (this.#paused & PAUSED_BY_BUFFER) !== 0 &&
      (!next.pauseReading || this.#queued <= next.low)
    ) {
      this.#paused &= ~PAUSED_BY_BUFFER;
      if (this.#paused === 0) this._resumeReading();
    }
  }

  /** Returns the write buffer limits in effect. */
  getWriteBufferLimits(): Required<WriteBufferLimits> {
    return { ...this.#limits };
  }

  /** Closes the connection (the transport as a producer told to stop). */
  stopProducing(): void {
    this.loseConnection();
  }

  /** Returns whether TCP_NODELAY is set: `false` unless a subclass has it. */
  getTcpNoDelay(): boolean {
    return false;
  }

  /**
   * Sets TCP_NODELAY: no effect unless a subclass has it.
   *
   * @param _enabled Whether to turn Nagle's algorithm off.
   */
  setTcpNoDelay(_enabled: boolean): void {}

  /** Returns whether TCP keepalive is on: `false` unless a subclass has it. */
  getTcpKeepAlive(): boolean {
    return false;
  }

  /**
   * Sets TCP keepalive: no effect unless a subclass has it.
   *
   * @param _enabled Whether to turn it on.
   */
  setTcpKeepAlive(_enabled: boolean): void {}
}
