// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Connection}: the transport of a TCP or Unix stream connection.
 *
 * ## The receive path
 *
 * Deno reads into memory the caller provides (`conn.read(buf)`), and the
 * fastest server reads into the same warm buffer again and again. Twisted
 * promises `dataReceived` bytes it may keep, which rules that out: every
 * read would need fresh (zero-filled) memory or a copy, and that is where a
 * stream echo lost a third of raw Deno's speed. So the contract is chosen
 * per protocol, by `keepsReceivedData`:
 *
 * - `false` (lent, asyncio's `BufferedProtocol` idea with tokio's shared,
 *   recycled allocations): `dataReceived` gets a view of the read buffer,
 *   valid until it returns. A `write()` of such a view (an echo, a proxy)
 *   holds the buffer until it is sent; the connection then reads into
 *   another buffer of the same size from a per-size pool, and the held one
 *   returns to the pool once sent, still warm. Reads cost no allocation and
 *   no copy. wire's `Echo` and `Discard`, `LineReceiver` and
 *   `LineOnlyReceiver` (which copy only what reaches user code as bytes),
 *   and `ProtocolWrapper` (as the protocol it wraps) are lent by
 *   themselves.
 * - absent or `true` (Twisted's promise): the bytes are the protocol's for
 *   good, at a bounded cost. Below 8 KiB they are copied into a shared
 *   32 KiB slab (as Node's Buffer pool does), so a view that is kept holds
 *   at most 32 KiB (a 256 KiB slab before); up to 32 KiB they are copied
 *   into an array of their own; from 32 KiB on the read buffer itself is
 *   handed over (at most twice the bytes in it) and the connection reads
 *   into another.
 *
 * Read buffers are sized to the traffic, 1 KiB while reads are small
 * (what an idle connection holds) up to 64 KiB while they fill them.
 *
 * @module
 */

import type {
  ConnectionOwner,
  NetStream,
  TransportReactor,
} from "../backend.ts";
import type { IProtocol } from "../interfaces.ts";
import {
  HANDOVER,
  type LentBuffer,
  ownBytes,
  takeReadBuffer,
} from "./_buffer_pool.ts";
import { SocketTransport } from "./socket_transport.ts";

/** The smallest read buffer: what an idle connection holds. */
const MIN_READ = 1024;
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
 * Reading: `read()` into a buffer sized to the traffic (1 KiB while reads
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
export class Connection extends SocketTransport {
  readonly #stream: NetStream;
  /** Socket operations in flight. */
  #ops = 0;
  #onQuiet: (() => void) | null = null;
  #wakeReader: (() => void) | null = null;
  #held: Uint8Array | null = null;
  /** The buffer reads go into. */
  #lease: LentBuffer = takeReadBuffer(MIN_READ);

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
    owner: ConnectionOwner | null = null,
  ) {
    super(reactor, stream, protocol, sessionno, owner);
    this.#stream = stream;
  }

  /** Starts the read loop. */
  protected _startReading(): void {
    this.#readLoop();
  }

  /** Wakes the read loop if it waits. */
  protected _resumeReading(): void {
    this.#wakeReader?.();
  }

  /** Reads into a buffer of `size` bytes from now on (`giveAway`: the old one was handed over). */
  #resize(size: number, giveAway: boolean): Uint8Array {
    if (!giveAway) this.#lease.release();
    return (this.#lease = takeReadBuffer(size)).bytes;
  }

  /** Reads until the connection closes; never rejects. */
  async #readLoop(): Promise<void> {
    try {
      let buf = this.#lease.bytes;
      let smallReads = 0;
      const stream = this.#stream;
      const protocol = this.protocol as { keepsReceivedData?: boolean };
      for (;;) {
        if (this._readingPaused) {
          if (this._isClosed) break;
          await new Promise<void>((resolve) => {
            this.#wakeReader = resolve;
          });
          this.#wakeReader = null;
          if (this._isClosed) break;
          continue;
        }
        const held = this.#held;
        if (held !== null) {
          // Bytes read while paused: deliver them before reading more.
          this.#held = null;
          this._deliver(held);
          if (this.#lease.holds > 1) buf = this.#resize(buf.length, false);
          continue;
        }
        let n: number | null;
        this.#ops++;
        try {
          n = await stream.read(buf);
        } catch (e) {
          this.#opDone();
          this._readFailed(e);
          break;
        }
        this.#opDone();
        if (this._isClosed) break;
        if (n === null) {
          // While closing, reading has stopped (as in Twisted): the close
          // completes once the buffer is sent.
          if (!this.disconnecting) this._readEOF();
          break;
        }
        if (n === 0) continue;
        const size = buf.length;
        const full = n === size;
        // The size of the next read: bigger after a full read, smaller after
        // a run of small ones (so that idle connections stay cheap).
        let next = size;
        if (full) {
          next = Math.min(size * 2, MAX_READ);
          smallReads = 0;
        } else if (n * 4 < size && size > MIN_READ && ++smallReads >= 4) {
          next = size >> 1;
          smallReads = 0;
        }
        let data: Uint8Array;
        let lent = false;
        if (protocol.keepsReceivedData === false) {
          // Lent: a view of the read buffer, read into again once the
          // protocol and every write of it are done with it.
          data = full ? buf : buf.subarray(0, n);
          lent = true;
        } else if (n >= HANDOVER) {
          // Kept, large: hand the buffer over and read into another one.
          data = full ? buf : buf.subarray(0, n);
          buf = this.#resize(next, true);
        } else {
          // Kept, small: a copy the protocol may keep.
          data = ownBytes(full ? buf : buf.subarray(0, n));
          if (next !== size) buf = this.#resize(next, false);
        }
        if (this._readingPaused) {
          // Paused (or closing) while the read was pending: keep the bytes
          // for resumeProducing.
          if (!this.disconnecting) this.#held = data;
          continue;
        }
        this._deliver(data);
        if (lent && (this.#lease.holds > 1 || next !== size)) {
          // Written and not sent yet, or resized: read into another buffer.
          buf = this.#resize(next, false);
        }
      }
    } catch (e) {
      this._crashed(e);
    }
    this.#lease.release();
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
}
