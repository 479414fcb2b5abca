// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Connection}: the transport of a TCP or Unix stream connection.
 *
 * @module
 */

import { Failure } from "../defer/failure.ts";
import * as log from "../defer/log.ts";
import type { NetAddress, NetStream } from "./_net_backend.ts";
import { IPv4Address, IPv6Address, UNIXAddress } from "./address.ts";
import {
  ConnectionAborted,
  ConnectionDone,
  ConnectionLost,
  getConnectionLostReason,
  WriteBufferOverflow,
} from "./errors.ts";
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
  WriteBufferLimits,
} from "./interfaces.ts";
import type { Reactor, ReactorResource } from "./reactor.ts";
import {
  DEFAULT_WRITE_BUFFER_LIMITS,
  updateWriteBufferLimits,
} from "./_write_buffer_limits.ts";

const encoder = new TextEncoder();

/** Reading is paused by `pauseProducing()`. */
const PAUSED_BY_USER = 1;
/** Reading is paused because more than `high` bytes wait to be sent. */
const PAUSED_BY_BUFFER = 2;

/** The smallest read buffer: what an idle connection holds. */
const MIN_READ = 2048;
/** The largest read buffer. */
const MAX_READ = 65536;

/**
 * Reads below this size are copied out of the connection's read buffer into
 * views of a shared slab, which costs less than a new buffer per read (Node's
 * Buffer pool does the same); a view keeps its slab alive, never the read
 * buffer. Larger reads hand the read buffer itself over (copying them would
 * cost as much as a new buffer).
 */
const HANDOVER = 32768;
const SLAB_SIZE = 262144;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

function copyOut(buf: Uint8Array, n: number): Uint8Array {
  if (slabUsed + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const start = slabUsed;
  slab.set(n === buf.length ? buf : buf.subarray(0, n), start);
  slabUsed = (start + n + 7) & ~7;
  return new Uint8Array(slab.buffer, start, n);
}

/**
 * Small writes are copied into a shared slab, where consecutive writes of a
 * connection form one contiguous region: a burst of small writes (lines,
 * delimiters, headers) becomes one chunk with no allocation per write and no
 * concatenation at send time. Larger writes are queued as they are.
 *
 * The slabs never leave the transport, so a slab is used again once none of
 * its regions is staged, queued or being sent: the memory written stays warm
 * in the cache, where fresh memory would cost page faults.
 */
const SMALL_WRITE = 1024;
const WRITE_SLAB_SIZE = 262144;
/** Idle slabs kept for reuse. */
const SPARE_SLABS = 3;

/** A write slab and the count of its regions in use. */
class _WriteSlab {
  readonly bytes: Uint8Array = new Uint8Array(WRITE_SLAB_SIZE);
  /** Where the free space starts. */
  used = 0;
  /** Regions staged, queued or being sent. */
  live = 0;
}

let writeSlab = new _WriteSlab();
const spareSlabs: _WriteSlab[] = [];

/** One region of `slab` is no longer in use. */
function releaseRegion(slab: _WriteSlab): void {
  if (--slab.live !== 0) return;
  if (slab === writeSlab) {
    slab.used = 0;
  } else if (spareSlabs.length < SPARE_SLABS) {
    slab.used = 0;
    spareSlabs.push(slab);
  }
}

/** The reason of every clean close, shared as Twisted shares `connectionDone`. */
const CONNECTION_DONE = new Failure(new ConnectionDone());

/** Converts a backend address into Torsion's address classes. */
export function _toIAddress(a: NetAddress): IAddress {
  if (a.transport === "unix") return new UNIXAddress(a.path || null);
  return a.hostname.includes(":")
    ? new IPv6Address("TCP", a.hostname, a.port)
    : new IPv4Address("TCP", a.hostname, a.port);
}

interface HalfCloseable {
  readConnectionLost?: () => void;
  writeConnectionLost?: () => void;
}

/** What a client connection tells its connector. */
export interface _ConnectionOwner {
  /** The connection was lost. */
  connectionLost(reason: Failure): void;
}

/**
 * The transport of a TCP or Unix stream connection (Twisted's
 * `tcp.Connection`), made by the reactor for each accepted or established
 * connection and given to the protocol's `makeConnection`.
 *
 * Reading: `read()` into a buffer sized to the traffic (2 KiB while reads
 * are small, growing to 64 KiB while they fill it); `dataReceived` gets
 * bytes it may keep, and reading goes on while writes wait to be sent.
 * Writing: `write()` only queues; the writes of one turn go out in one
 * system call, partial writes are continued. A pull producer is asked for
 * more each time the buffer empties.
 *
 * Flow control ({@linkcode Connection.setWriteBufferLimits}): above `high`
 * bytes waiting to be sent (64 KiB, Twisted's `bufferSize`), a streaming
 * producer is paused inside each `write()` and the transport stops reading
 * from the peer; both resume once the buffer is down to `low` (0: empty, as
 * Twisted resumes). A protocol that writes in response to what it reads
 * (an echo, a proxy, a request/response server) therefore holds at most
 * about `high` plus one read for a peer that sends without reading: TCP's
 * window then holds the peer back. Twisted reads on regardless (its echo
 * server grows without bound toward such a peer); `{ pauseReading: false }`
 * restores that. The price of the default: a peer that sends more than
 * `high` plus what the two kernels buffer (a few MiB on loopback) before it
 * reads anything waits forever, as it would against any bounded server.
 * Past `max` (16 MiB) bytes waiting, which only writes not driven by this
 * peer's input can reach, the connection is aborted with
 * {@linkcode WriteBufferOverflow} and a log line. Writes after
 * `connectionLost` are dropped silently.
 *
 * Closing: `loseConnection()` sends what is buffered, then closes
 * (`ConnectionDone`); `abortConnection()` drops the buffer and closes
 * (`ConnectionAborted`, reported on a later turn — Deno cannot send a TCP
 * reset, so the peer sees a normal end of stream); the peer's end of stream
 * is `ConnectionDone`, or `readConnectionLost()` for a protocol that has it
 * (half-close); read and write errors are `ConnectionLost` with the Deno
 * error as `cause`; an error thrown by `dataReceived` is logged and becomes
 * the reason. `connectionLost` is called exactly once.
 *
 * @example Usage
 * ```ts ignore
 * import { Factory, Protocol, reactor } from "@torsion/torsion/reactor";
 *
 * class Hello extends Protocol {
 *   override connectionMade(): void {
 *     this.transport.write("hello\r\n");
 *     this.transport.loseConnection(); // after "hello" is sent
 *   }
 * }
 * reactor.listenTCP(8000, Factory.forProtocol(Hello));
 * reactor.run();
 * ```
 */
export class Connection implements ITCPTransport, ReactorResource {
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
   * {@linkcode Connection.setWriteBufferLimits}. Setting it raises `max`
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
  readonly #reactor: Reactor;
  readonly #stream: NetStream;
  readonly #owner: _ConnectionOwner | null;
  readonly #isTCP: boolean;
  #queue: Uint8Array[] = [];
  #queued = 0;
  /** The slab holding this connection's latest small writes, if any. */
  #stage: _WriteSlab | null = null;
  #stageStart = 0;
  #stageEnd = 0;
  /** The slabs of the staged regions in `#queue`. */
  #queueSlabs: _WriteSlab[] = [];
  #writing = false;
  #inflight: Uint8Array | null = null;
  /** The slab `#inflight` is a region of, if any. */
  #inflightSlab: _WriteSlab | null = null;
  #kickScheduled = false;
  #kickPending = false;
  #dispatching = false;
  /** Socket operations in flight. */
  #ops = 0;
  #onQuiet: (() => void) | null = null;
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
  #wakeReader: (() => void) | null = null;
  #held: Uint8Array | null = null;
  #producer: IPushProducer | IPullProducer | null = null;
  #streaming = false;
  #producerPaused = false;
  #noDelay = false;
  #keepAlive = false;
  #host: IAddress | null = null;
  #peer: IAddress | null = null;

  /**
   * Made by the reactor; not meant to be constructed by users.
   *
   * @param reactor The reactor.
   * @param stream The socket.
   * @param protocol The protocol.
   * @param sessionno An id for log lines.
   * @param owner The connector of a client connection.
   */
  constructor(
    reactor: Reactor,
    stream: NetStream,
    protocol: IProtocol,
    sessionno: number,
    owner: _ConnectionOwner | null = null,
  ) {
    this.#reactor = reactor;
    this.#stream = stream;
    this.protocol = protocol;
    this.sessionno = sessionno;
    this.#owner = owner;
    this.#isTCP = stream.localAddress.transport === "tcp";
    if (this.#isTCP) {
      try {
        stream.setNoDelay(true);
        this.#noDelay = true;
      } catch {
        // A socket reset before it was set up: the first read reports it.
      }
    }
  }

  /** @ignore Connects the protocol and starts reading (the reactor calls it once). */
  _start(): void {
    this.#reactor._addResource(this);
    try {
      this.protocol.makeConnection(this);
    } catch (e) {
      this.#logError(e);
      this.#lose(e);
      return;
    }
    if (!this.#closed) {
      this.#readLoop().catch((e) => {
        this.#logError(e, "Unexpected error in a read loop");
        this.#lose(e);
      });
    }
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

  /** Logs an error thrown by user code with this connection's prefix; never throws. */
  #logError(e: unknown, why?: string): void {
    try {
      log.err(e, why, { system: this.logPrefix() });
    } catch {
      // The log wrote to standard error itself, or could not: nothing more
      // can be done here, and the caller must go on closing.
    }
  }

  /** Returns the local address. */
  getHost(): IAddress {
    return this.#host ??= _toIAddress(this.#stream.localAddress);
  }

  /** Returns the peer's address. */
  getPeer(): IAddress {
    return this.#peer ??= _toIAddress(this.#stream.remoteAddress);
  }

  /** Returns the number of bytes written and not yet sent. */
  getWriteBufferSize(): number {
    return this.#queued;
  }

  async #readLoop(): Promise<void> {
    let buf = new Uint8Array(MIN_READ);
    let smallReads = 0;
    const stream = this.#stream;
    for (;;) {
      if (this.#paused !== 0 || this.disconnecting) {
        if (this.#closed) return;
        await new Promise<void>((resolve) => {
          this.#wakeReader = resolve;
        });
        this.#wakeReader = null;
        if (this.#closed) return;
        continue;
      }
      const held = this.#held;
      if (held !== null) {
        // Bytes read while paused: deliver them before reading more.
        this.#held = null;
        this.#deliver(held);
        continue;
      }
      let n: number | null;
      this.#ops++;
      try {
        n = await stream.read(buf);
      } catch (e) {
        this.#opDone();
        if (!this.#closed) this.#lose(getConnectionLostReason(e));
        return;
      }
      this.#opDone();
      if (this.#closed) return;
      if (n === null) {
        // While closing, reading has stopped (as in Twisted): the close
        // completes once the buffer is sent.
        if (!this.disconnecting) this.#eof();
        return;
      }
      if (n === 0) continue;
      let data: Uint8Array;
      const full = n === buf.length;
      if (n >= HANDOVER) {
        // A large read: hand the buffer over and read into a new one
        // (bigger, if this one was filled).
        data = full ? buf : buf.subarray(0, n);
        buf = new Uint8Array(full ? Math.min(n * 2, MAX_READ) : buf.length);
        smallReads = 0;
      } else {
        data = copyOut(buf, n);
        if (full) {
          // Filled: read into a bigger buffer next time.
          buf = new Uint8Array(Math.min(n * 2, MAX_READ));
          smallReads = 0;
        } else if (
          n * 4 < buf.length && buf.length > MIN_READ && ++smallReads >= 4
        ) {
          // A run of small reads: shrink, so that idle connections stay
          // cheap.
          buf = new Uint8Array(buf.length >> 1);
          smallReads = 0;
        }
      }
      if (this.#paused !== 0 || this.disconnecting) {
        // Paused (or closing) while the read was pending: keep the bytes
        // for resumeProducing.
        if (!this.disconnecting) this.#held = data;
        continue;
      }
      this.#deliver(data);
    }
  }

  #deliver(data: Uint8Array): void {
    this.#dispatching = true;
    try {
      this.protocol.dataReceived(data);
    } catch (e) {
      this.#dispatching = false;
      this.#logError(e);
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

  #eof(): void {
    const p = this.protocol as HalfCloseable;
    if (typeof p.readConnectionLost === "function") {
      try {
        p.readConnectionLost();
      } catch (e) {
        this.#logError(e);
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
      this.#logError(reason, "Aborting a connection whose peer does not read");
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
        this.#logError(e);
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
      if (this.#paused === 0) this.#wakeReader?.();
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
      this.#logError(e);
      this.#lose(e);
      return false;
    }
    this.#dispatching = dispatching;
    return !this.#closed;
  }

  /** Starts a new staging region for `n` bytes; returns where it starts. */
  #openStage(n: number): number {
    this.#closeStage();
    let slab = writeSlab;
    if (slab.used + n > WRITE_SLAB_SIZE) {
      if (slab.live === 0) {
        slab.used = 0;
      } else {
        slab = writeSlab = spareSlabs.pop() ?? new _WriteSlab();
      }
    }
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
      this.#queueSlabs.push(stage);
    } else {
      releaseRegion(stage);
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
    queueMicrotask(this.#onKick);
  }

  #onKick = (): void => {
    this.#kickScheduled = false;
    this.#kick();
  };

  /** Starts sending the queue, or handles an empty buffer. */
  #kick(): void {
    if (this.#writing || this.#closed) return;
    if (this.#hasPending()) {
      this.#send(this.#takeChunk());
    } else {
      this.#drained();
    }
  }

  /** Takes the whole queue as one chunk. */
  #takeChunk(): Uint8Array {
    this.#closeStage();
    const q = this.#queue;
    const slabs = this.#queueSlabs;
    if (q.length === 1) {
      const c = q[0];
      q.length = 0;
      if (slabs.length !== 0) {
        this.#inflightSlab = slabs[0];
        slabs.length = 0;
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
    const slabs = this.#queueSlabs;
    for (let i = 0; i < slabs.length; i++) releaseRegion(slabs[i]);
    slabs.length = 0;
  }

  /** The region being sent, if staged, is no longer needed. */
  #releaseInflight(): void {
    const slab = this.#inflightSlab;
    if (slab !== null) {
      this.#inflightSlab = null;
      releaseRegion(slab);
    }
  }

  /** Drops everything not yet sent. */
  #dropQueue(): void {
    this.#queue.length = 0;
    this.#releaseQueued();
    this.#queued = 0;
    if (this.#stage !== null) releaseRegion(this.#stage);
    this.#stage = null;
    this.#stageStart = this.#stageEnd = 0;
  }

  #send(chunk: Uint8Array): void {
    this.#writing = true;
    this.#inflight = chunk;
    this.#ops++;
    this.#stream.write(chunk).then(this.#onWritten, this.#onWriteError);
  }

  #onWritten = (n: number): void => {
    this.#opDone();
    if (this.#closed) {
      this.#writing = false;
      this.#releaseInflight();
      return;
    }
    const chunk = this.#inflight!;
    this.#queued -= n;
    if (n < chunk.length) {
      // A partial write: send the rest.
      this.#inflight = chunk.subarray(n);
      this.#ops++;
      this.#stream.write(this.#inflight).then(
        this.#onWritten,
        this.#onWriteError,
      );
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
      this.#send(this.#takeChunk());
    } else {
      this.#drained();
    }
  };

  #onWriteError = (e: unknown): void => {
    this.#opDone();
    this.#writing = false;
    this.#inflight = null;
    this.#releaseInflight();
    if (!this.#closed) this.#lose(getConnectionLostReason(e));
  };

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
      this.#closeWrite();
    }
  }

  #closeWrite(): void {
    this.#ops++;
    this.#stream.closeWrite().then(() => {
      this.#opDone();
      if (this.#closed) return;
      const p = this.protocol as HalfCloseable;
      if (typeof p.writeConnectionLost === "function") {
        try {
          p.writeConnectionLost();
        } catch (e) {
          this.#logError(e);
          this.#lose(e);
        }
      }
    }, (e) => {
      this.#opDone();
      if (!this.#closed) this.#lose(getConnectionLostReason(e));
    });
  }

  /** A socket operation finished; once closed and idle, let the reactor know. */
  #opDone(): void {
    if (--this.#ops === 0 && this.#onQuiet !== null) {
      const quiet = this.#onQuiet;
      this.#onQuiet = null;
      quiet();
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
    try {
      this.#stream.close();
    } catch {
      // Already closed by the backend.
    }
    this.#wakeReader?.();
  }

  /** Reports the loss to everyone, once. */
  #lose(reason: unknown): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this.connected = false;
    this.#closeSocket();
    this.#dropQueue();
    this.#reactor._removeResource(this);
    if (this.#ops > 0) {
      // Let a reactor shutting down wait until the socket's pending
      // operations have seen the close.
      this.#reactor._track(
        new Promise<void>((resolve) => {
          this.#onQuiet = resolve;
        }),
      );
    }
    const producer = this.#producer;
    this.#producer = null;
    if (producer !== null) {
      try {
        producer.stopProducing();
      } catch (e) {
        this.#logError(e);
      }
    }
    const failure = reason instanceof Failure ? reason : new Failure(reason);
    try {
      this.protocol.connectionLost(failure);
    } catch (e) {
      this.#logError(e);
    }
    if (this.#owner !== null) {
      try {
        this.#owner.connectionLost(failure);
      } catch (e) {
        this.#logError(e);
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
    if (this.#paused === 0) this.#wakeReader?.();
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
      if (this.#paused === 0) this.#wakeReader?.();
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

  /** Returns whether TCP_NODELAY is set (on by default for TCP). */
  getTcpNoDelay(): boolean {
    return this.#noDelay;
  }

  /**
   * Sets TCP_NODELAY (no effect on Unix sockets).
   *
   * @param enabled Whether to turn Nagle's algorithm off.
   */
  setTcpNoDelay(enabled: boolean): void {
    if (!this.#isTCP || this.#closed) return;
    this.#stream.setNoDelay(enabled);
    this.#noDelay = enabled;
  }

  /** Returns whether TCP keepalive is on. */
  getTcpKeepAlive(): boolean {
    return this.#keepAlive;
  }

  /**
   * Sets TCP keepalive (no effect on Unix sockets).
   *
   * @param enabled Whether to turn it on.
   */
  setTcpKeepAlive(enabled: boolean): void {
    if (!this.#isTCP || this.#closed) return;
    this.#stream.setKeepAlive(enabled);
    this.#keepAlive = enabled;
  }
}
