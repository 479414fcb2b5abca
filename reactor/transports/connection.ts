// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Connection}: the transport of a TCP or Unix stream connection.
 *
 * @module
 */

import type { NetStream, TransportReactor } from "../backend.ts";
import { toIAddress } from "../_addresses.ts";
import type { IAddress, IProtocol } from "../interfaces.ts";
import { copyOut, HANDOVER } from "./_buffer_pool.ts";
import { type _ConnectionOwner, StreamTransport } from "./stream_transport.ts";

/** The smallest read buffer: what an idle connection holds. */
const MIN_READ = 2048;
/** The largest read buffer. */
const MAX_READ = 65536;

/**
 * The transport of a TCP or Unix stream connection (Twisted's
 * `tcp.Connection`), made by the reactor for each accepted or established
 * connection and given to the protocol's `makeConnection`: a
 * {@linkcode StreamTransport} over a backend's socket. Everything about
 * writing, producers, flow control and closing is the stream core's (see
 * there); this class reads and sends.
 *
 * Reading: `read()` into a buffer sized to the traffic (2 KiB while reads
 * are small, growing to 64 KiB while they fill it); `dataReceived` gets
 * bytes it may keep, and reading goes on while writes wait to be sent
 * (up to the write buffer's `high` limit). `TCP_NODELAY` is set on every
 * TCP connection. Deno cannot send a TCP reset: after `abortConnection()`
 * the peer sees an ordinary end of stream.
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
export class Connection extends StreamTransport {
  readonly #stream: NetStream;
  readonly #isTCP: boolean;
  /** Socket operations in flight. */
  #ops = 0;
  #onQuiet: (() => void) | null = null;
  #wakeReader: (() => void) | null = null;
  #held: Uint8Array | null = null;
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
    reactor: TransportReactor,
    stream: NetStream,
    protocol: IProtocol,
    sessionno: number,
    owner: _ConnectionOwner | null = null,
  ) {
    super(reactor, protocol, sessionno, owner);
    this.#stream = stream;
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

  /** Returns the local address. */
  getHost(): IAddress {
    return this.#host ??= toIAddress(this.#stream.localAddress);
  }

  /** Returns the peer's address. */
  getPeer(): IAddress {
    return this.#peer ??= toIAddress(this.#stream.remoteAddress);
  }

  /** Starts the read loop. */
  protected _startReading(): void {
    this.#readLoop().catch((e) => this._crashed(e));
  }

  /** Wakes the read loop if it waits. */
  protected _resumeReading(): void {
    this.#wakeReader?.();
  }

  async #readLoop(): Promise<void> {
    let buf = new Uint8Array(MIN_READ);
    let smallReads = 0;
    const stream = this.#stream;
    for (;;) {
      if (this._readingPaused) {
        if (this._isClosed) return;
        await new Promise<void>((resolve) => {
          this.#wakeReader = resolve;
        });
        this.#wakeReader = null;
        if (this._isClosed) return;
        continue;
      }
      const held = this.#held;
      if (held !== null) {
        // Bytes read while paused: deliver them before reading more.
        this.#held = null;
        this._deliver(held);
        continue;
      }
      let n: number | null;
      this.#ops++;
      try {
        n = await stream.read(buf);
      } catch (e) {
        this.#opDone();
        this._readFailed(e);
        return;
      }
      this.#opDone();
      if (this._isClosed) return;
      if (n === null) {
        // While closing, reading has stopped (as in Twisted): the close
        // completes once the buffer is sent.
        if (!this.disconnecting) this._readEOF();
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
      if (this._readingPaused) {
        // Paused (or closing) while the read was pending: keep the bytes
        // for resumeProducing.
        if (!this.disconnecting) this.#held = data;
        continue;
      }
      this._deliver(data);
    }
  }

  /**
   * Sends `chunk` with one socket write.
   *
   * @param chunk The bytes.
   */
  protected _write(chunk: Uint8Array): void {
    this.#ops++;
    this.#stream.write(chunk).then(this.#onWritten, this.#onWriteError);
  }

  #onWritten = (n: number): void => {
    this.#opDone();
    this._written(n);
  };

  #onWriteError = (e: unknown): void => {
    this.#opDone();
    this._writeFailed(e);
  };

  /** Shuts down the socket's write side. */
  protected _shutdownWrite(): void {
    this.#ops++;
    this.#stream.closeWrite().then(() => {
      this.#opDone();
      this._writeShutdown();
    }, this.#onWriteError);
  }

  /** Closes the socket and wakes the read loop. */
  protected _closeIO(): void {
    try {
      this.#stream.close();
    } catch {
      // Already closed by the backend.
    }
    this.#wakeReader?.();
  }

  /** Returns a promise for the end of the socket operations in flight, if any. */
  protected override _whenIdle(): Promise<void> | null {
    if (this.#ops === 0) return null;
    return new Promise<void>((resolve) => {
      this.#onQuiet = resolve;
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

  /** Returns whether TCP_NODELAY is set (on by default for TCP). */
  override getTcpNoDelay(): boolean {
    return this.#noDelay;
  }

  /**
   * Sets TCP_NODELAY (no effect on Unix sockets).
   *
   * @param enabled Whether to turn Nagle's algorithm off.
   */
  override setTcpNoDelay(enabled: boolean): void {
    if (!this.#isTCP || this._isClosed) return;
    this.#stream.setNoDelay(enabled);
    this.#noDelay = enabled;
  }

  /** Returns whether TCP keepalive is on. */
  override getTcpKeepAlive(): boolean {
    return this.#keepAlive;
  }

  /**
   * Sets TCP keepalive (no effect on Unix sockets).
   *
   * @param enabled Whether to turn it on.
   */
  override setTcpKeepAlive(enabled: boolean): void {
    if (!this.#isTCP || this._isClosed) return;
    this.#stream.setKeepAlive(enabled);
    this.#keepAlive = enabled;
  }
}
