// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode EpollConnection}: a TCP or Unix stream connection driven by the
 * epoll loop.
 *
 * @module
 */

import type { ConnectionOwner, TransportReactor } from "../../backend.ts";
import type { IProtocol } from "../../interfaces.ts";
import {
  HANDOVER,
  type LentBuffer,
  ownBytes,
  takeReadBuffer,
} from "../../transports/_buffer_pool.ts";
import { SocketTransport } from "../../transports/socket_transport.ts";
import type { EpollHandler, EpollLoop } from "./_epoll_loop.ts";
import {
  EAGAIN,
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  errno,
  type Libc,
  osError,
  SHUT_WR,
} from "./_libc.ts";
import type { EpollSocket } from "./epoll_socket.ts";

/** The size of the read buffer the connections share. */
const READ_SIZE = 65536;

/** Chunks per `writev`, at most (Linux's `IOV_MAX`). */
const IOV_MAX = 1024;
/** The `struct iovec` array `writev` is given (base, length pairs). */
const iovecs = new BigUint64Array(2 * IOV_MAX);
const iovecBytes = new Uint8Array(iovecs.buffer);

/** A chunk, or several sent with one `writev`. */
type Outgoing = Uint8Array | readonly Uint8Array[];

/**
 * The read buffer every connection of the process reads into, one at a
 * time (reads are synchronous): an idle connection holds none. Lent to a
 * protocol that keeps nothing; replaced when a write still holds it.
 */
let shared: LentBuffer = takeReadBuffer(READ_SIZE);

/**
 * A TCP or Unix stream connection on the epoll reactor: a
 * {@linkcode StreamTransport} (writing, producers, flow control, closing are
 * the stream core's) whose socket is read and written with synchronous
 * `read`/`write` calls when epoll reports it ready.
 *
 * Reading: one read per readiness event into a buffer all connections
 * share, so an idle connection holds no read buffer. A protocol that keeps
 * nothing (`keepsReceivedData = false`) is lent a view of it; others get a
 * copy of what was read (or, from 32 KiB, the buffer itself, which is then
 * replaced). Writing: written at once, several queued chunks with one
 * `writev`; what does not fit waits for `EPOLLOUT`, armed only then.
 * `TCP_NODELAY` is set on TCP connections.
 *
 * @example Usage
 * ```ts ignore
 * import { EpollReactor } from "@torsion/torsion/reactor";
 * import { Echo } from "@torsion/torsion/protocols";
 * import { Factory } from "@torsion/torsion/reactor";
 *
 * const reactor = new EpollReactor();
 * reactor.listenTCP(8000, Factory.forProtocol(Echo), { interface: "127.0.0.1" });
 * await reactor.run();
 * ```
 */
export class EpollConnection extends SocketTransport implements EpollHandler {
  readonly #socket: EpollSocket;
  readonly #loop: EpollLoop;
  readonly #libc: Libc;
  readonly #fd: number;
  /** The loop's name for the socket; 0 while not registered. */
  #token = 0;
  #started = false;
  /** The events epoll waits for now. */
  #interest = 0;
  /** What waits for `EPOLLOUT`. */
  #blocked: Outgoing | null = null;
  /** Inside `#send`: a nested call only records what it sends. */
  #writing = false;
  #next: Outgoing | null = null;
  #closedIO = false;

  /**
   * Made by the epoll reactor for each accepted or established connection.
   *
   * @param reactor The reactor.
   * @param socket The connected socket.
   * @param protocol The protocol.
   * @param sessionno An id for log lines.
   * @param owner The connector of a client connection.
   */
  constructor(
    reactor: TransportReactor,
    socket: EpollSocket,
    protocol: IProtocol,
    sessionno: number,
    owner: ConnectionOwner | null = null,
  ) {
    super(reactor, socket, protocol, sessionno, owner);
    this.#socket = socket;
    this.#loop = socket.loop;
    this.#libc = socket.libc;
    this.#fd = socket.fd;
  }

  /** Registers the socket with the loop. */
  protected _startReading(): void {
    this.#started = true;
    this.#updateInterest();
  }

  /** Waits for readability again, if reading may go on. */
  protected _resumeReading(): void {
    this.#updateInterest();
  }

  /** Tells epoll what to wait for now: readability unless paused, writability while a write waits. */
  #updateInterest(): void {
    if (this.#closedIO || !this.#started) return;
    const reading = !this._readingPaused;
    let want = this.#blocked !== null ? EPOLLOUT : 0;
    if (reading) want |= EPOLLIN | EPOLLRDHUP;
    if (this.#token === 0) {
      // Detached (a hang-up while paused): back once there is a reason.
      if (want === 0) return;
      this.#interest = want;
      this.#token = this.#loop.add(this.#fd, want, this);
      return;
    }
    if (want !== this.#interest) {
      this.#interest = want;
      this.#loop.modify(this.#fd, this.#token, want);
    }
  }

  /**
   * The socket is ready.
   *
   * @param events The `EPOLL*` mask.
   */
  onEvents(events: number): void {
    if (
      this.#blocked !== null &&
      (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) !== 0
    ) {
      const out = this.#blocked;
      this.#blocked = null;
      this.#send(out);
      if (this._isClosed) return;
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) !== 0) {
      if (!this._readingPaused) {
        this.#read();
        if (this._isClosed) return;
      } else if (
        (events & (EPOLLHUP | EPOLLERR)) !== 0 && this.#blocked === null
      ) {
        // Epoll reports a hang-up whatever it waits for: leave the set
        // until reading resumes, rather than be told again and again.
        this.#loop.remove(this.#fd, this.#token);
        this.#token = 0;
        this.#interest = 0;
        return;
      }
    }
    this.#updateInterest();
  }

  #read(): void {
    const buf = shared.bytes;
    const n = Number(this.#libc.read(this.#fd, buf, buf.length));
    if (n < 0) {
      const code = errno(this.#libc);
      if (code !== EAGAIN) this._readFailed(osError(this.#libc, code));
      return;
    }
    if (n === 0) {
      // The peer's end of stream; while closing, reading has stopped.
      if (!this.disconnecting) this._readEOF();
      if (!this._isClosed) this.#stopReadingForGood();
      return;
    }
    const data = n === buf.length ? buf : buf.subarray(0, n);
    const keeps =
      (this.protocol as { keepsReceivedData?: boolean }).keepsReceivedData !==
        false;
    if (!keeps) {
      this._deliver(data);
      if (shared.holds > 1) {
        // A write still holds it: read into another buffer from now on.
        shared.release();
        shared = takeReadBuffer(READ_SIZE);
      }
    } else if (n >= HANDOVER) {
      // Hand the buffer over for good and read into another one.
      shared = takeReadBuffer(READ_SIZE);
      this._deliver(data);
    } else {
      // The buffer stays; the protocol gets a copy.
      this._deliver(ownBytes(data));
    }
  }

  /** The peer ended its stream: no more readiness for reading. */
  #stopReadingForGood(): void {
    this.#readEnded = true;
    this.#updateInterest();
  }

  #readEnded = false;

  /** Whether reading is paused, or the peer's stream has ended. */
  protected override get _readingPaused(): boolean {
    return this.#readEnded || super._readingPaused;
  }

  /**
   * Writes `chunk` now; what does not fit waits for `EPOLLOUT`.
   *
   * @param chunk The bytes.
   */
  protected _write(chunk: Uint8Array): void {
    this.#send(chunk);
  }

  /**
   * Writes `chunks` now with one `writev`; what does not fit waits for
   * `EPOLLOUT`.
   *
   * @param chunks The bytes.
   */
  protected override _writev(chunks: readonly Uint8Array[]): void {
    this.#send(chunks);
  }

  #send(out: Outgoing): void {
    if (this.#writing) {
      // Called back from `_written` below: continue in the loop, not
      // deeper in the stack.
      this.#next = out;
      return;
    }
    this.#writing = true;
    try {
      let c: Outgoing | null = out;
      while (c !== null && !this.#closedIO) {
        this.#next = null;
        let size: number;
        let n: number;
        if (c instanceof Uint8Array) {
          size = c.length;
          n = Number(this.#libc.write(this.#fd, c, size));
        } else {
          const count = Math.min(c.length, IOV_MAX);
          size = 0;
          for (let i = 0; i < count; i++) {
            const chunk = c[i];
            // Queued chunks live outside V8's heap (write slabs, arrays
            // of more than 1 KiB), so they do not move under the call.
            iovecs[2 * i] = BigInt(
              Deno.UnsafePointer.value(Deno.UnsafePointer.of(chunk)),
            );
            iovecs[2 * i + 1] = BigInt(chunk.length);
            size += chunk.length;
          }
          n = Number(this.#libc.writev(this.#fd, iovecBytes, count));
        }
        if (n < 0) {
          const code = errno(this.#libc);
          if (code === EAGAIN) {
            this.#blocked = c;
            this.#updateInterest();
            return;
          }
          this._writeFailed(osError(this.#libc, code));
          return;
        }
        if (n < size) {
          // Partial: the rest comes back as the next write; it will not
          // fit now, so wait for EPOLLOUT.
          this._written(n);
          if (this.#next !== null) {
            this.#blocked = this.#next;
            this.#next = null;
            this.#updateInterest();
          }
          return;
        }
        this._written(n);
        c = this.#next;
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Shuts down the socket's write side. */
  protected _shutdownWrite(): void {
    if (this.#libc.shutdown(this.#fd, SHUT_WR) < 0) {
      this._writeFailed(osError(this.#libc));
      return;
    }
    this._writeShutdown();
  }

  /** Unregisters and closes the socket. */
  protected _closeIO(): void {
    if (this.#closedIO) return;
    this.#closedIO = true;
    if (this.#token !== 0) this.#loop.remove(this.#fd, this.#token);
    this.#socket.close();
  }
}
