// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Connection}: the transport of a TCP, TLS or Unix stream
 * connection.
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
import * as log from "../../defer/log.ts";
import type { IProtocol } from "../interfaces.ts";
import {
  type IOpenSSLClientConnectionCreator,
  type IOpenSSLServerConnectionCreator,
  isClientTLSContext,
} from "../ssl.ts";
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
 * TLS (`listenSSL`, `connectSSL`, or `startTLS` on a TCP client): the same
 * transport over a TLS socket, with `negotiatedProtocol` (ALPN) and the
 * protocol's optional `handshakeCompleted()` once the handshake is done;
 * a failed handshake loses the connection with a reason naming the TLS
 * error.
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
  #stream: NetStream;
  /** Whether a `read()` is in flight. */
  #readPending = false;
  /** Set by `startTLS()`: the upgrade the read loop makes before its next read. */
  #upgrade: IOpenSSLClientConnectionCreator | null = null;
  /** Bytes written before `startTLS()` and not yet sent: they go out in clear. */
  #clearLeft = 0;
  /** Wakes the upgrade once the clear bytes are sent. */
  #onClearSent: (() => void) | null = null;
  /** A write made after `startTLS()`, waiting for the TLS socket. */
  #heldWrite: Uint8Array | null = null;
  #heldShutdown = false;
  /** From `startTLS()` until the TLS socket is in place. */
  #switching = false;
  #tls: boolean;
  /**
   * The ALPN protocol negotiated by a TLS connection's handshake (Twisted's
   * `INegotiated.negotiatedProtocol`), `null` before the handshake
   * completes, when none was agreed, or without TLS.
   */
  negotiatedProtocol: string | null = null;
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
    this.#tls = stream.handshake !== undefined;
    this.#isClient = owner !== null;
  }

  readonly #isClient: boolean;

  /** Whether the connection is over TLS (from the start, or since `startTLS`). */
  get isTLS(): boolean {
    return this.#tls;
  }

  /**
   * The peer's certificate (Twisted's `ISSLTransport.getPeerCertificate`):
   * always `null`. The certificate is verified in the handshake (the
   * server's chain and name, by a client), but Deno 2.9.6's `TlsConn`, the
   * socket this transport reads, hands none out: besides a `Conn`'s
   * methods it has only `handshake()`, which resolves `{ alpnProtocol }`.
   *
   * Measured: Deno's `node:tls` does give it. `tls.connect({ host, port,
   * servername, ca }).getPeerCertificate(true)` against a `Deno.listenTls`
   * server returned the server's certificate (subject, issuer, validity,
   * fingerprints, the 847-byte DER in `raw`, the issuer's certificate);
   * on the server side of `tls.createServer`, with no client certificate,
   * it is `{}`. Using it would mean a second TLS socket in the backend (an
   * event-driven `node:tls` socket behind the pull-style stream this
   * transport reads, with `node:tls`'s own verification and error texts),
   * which Torsion does not have.
   *
   * @returns `null`.
   */
  getPeerCertificate(): null {
    return null;
  }

  /**
   * Switches a connected TCP client to TLS (Twisted's
   * `ITLSTransport.startTLS`): bytes written before the call are sent in
   * clear first; bytes written after it are sent encrypted, once the
   * handshake has started. The protocol's `handshakeCompleted()` is
   * called, if it has one, when the handshake succeeds; a failed one loses
   * the connection with a reason naming the TLS error.
   *
   * Deno can only take over a socket with no read in flight, so call it
   * from `connectionMade` or `dataReceived` (the usual STARTTLS place: on
   * the server's go-ahead). Server-side TLS on an accepted connection
   * (`normal` true on a server, `false` on a client) needs a server
   * handshake on a socket Deno already owns, which `Deno.*` cannot do
   * (`Deno.startTls` is client-only; on an accepted connection both ends
   * fail with "received unexpected handshake message"): it throws.
   * Measured on Deno 2.9.6: `node:tls` can, `new tls.TLSSocket(duplex, {
   * isServer: true, cert, key })` over a `node:stream` `Duplex` that reads
   * and writes an accepted `Deno.Conn` completed a handshake with a
   * `Deno.startTls` client and echoed its bytes; it is not used here, for
   * the reason given under {@linkcode Connection.getPeerCertificate} (a
   * second, `node:tls`, TLS socket in the backend).
   *
   * @param contextFactory A client context, e.g. `optionsForClientTLS(...)`.
   * @param normal `true` (Twisted's default): the side that connected runs
   *   the client handshake; `false`: the other side does.
   * @throws {Error} On a server-side handshake, a read in flight, a closed
   *   or closing connection, or a connection already over TLS.
   * @throws {TypeError} If `contextFactory` is not a client context.
   */
  override startTLS(
    contextFactory:
      | IOpenSSLClientConnectionCreator
      | IOpenSSLServerConnectionCreator,
    normal = true,
  ): void {
    if (this.#isClient !== normal) {
      throw new Error(
        "Server-side startTLS is not supported: Deno has no server-side " +
          "startTls (use listenSSL for a TLS port)",
      );
    }
    if (this.#tls || this.#switching) {
      throw new Error("startTLS: TLS is already started on this connection");
    }
    if (this.disconnecting || this._isClosed) {
      throw new Error("startTLS: the connection is closing or closed");
    }
    if (this.#stream.startTLS === undefined) {
      throw new Error("startTLS: this socket cannot be switched to TLS");
    }
    if (!isClientTLSContext(contextFactory)) {
      throw new TypeError(
        "startTLS needs a client context (optionsForClientTLS, CertificateOptions)",
      );
    }
    if (this.#readPending) {
      throw new Error(
        "startTLS must be called from connectionMade or dataReceived: " +
          "Deno cannot switch a socket to TLS while a read is in flight",
      );
    }
    this.#upgrade = contextFactory;
    this.#switching = true;
    this.#clearLeft = this.getWriteBufferSize();
    // A read loop parked while reading is paused switches now.
    this.#wakeReader?.();
  }

  /** Starts the read loop. */
  protected _startReading(): void {
    if (this.#tls) this.#watchHandshake();
    this.#readLoop();
  }

  /** Records the handshake's outcome and tells the protocol. */
  #watchHandshake(): void {
    const stream = this.#stream;
    this.#ops++;
    stream.handshake!().then((info) => {
      this.#opDone();
      if (this._isClosed) return;
      this.negotiatedProtocol = info.alpnProtocol;
      const p = this.protocol as { handshakeCompleted?: () => void };
      if (typeof p.handshakeCompleted !== "function") return;
      try {
        p.handshakeCompleted();
      } catch (e) {
        try {
          this._logError(e, "Error in handshakeCompleted");
        } catch {
          log.err(e);
        }
      }
    }, () => {
      // The read loop reports a failed handshake.
      this.#opDone();
    });
  }

  /** Switches the socket to TLS once the clear bytes are sent. */
  async #startTLSNow(): Promise<boolean> {
    try {
      return await this.#switchToTLS();
    } finally {
      this.#switching = false;
    }
  }

  async #switchToTLS(): Promise<boolean> {
    const ctx = this.#upgrade!;
    this.#upgrade = null;
    if (this.#clearLeft > 0) {
      await new Promise<void>((resolve) => {
        this.#onClearSent = resolve;
      });
      this.#onClearSent = null;
    }
    if (this._isClosed) return false;
    const old = this.#stream;
    const peer = this.getPeer() as { host?: string };
    this.#ops++;
    let tls: NetStream;
    try {
      tls = await old.startTLS!(ctx.clientTLSConfig(peer.host ?? ""));
    } catch (e) {
      this.#opDone();
      this._readFailed(e);
      return false;
    }
    this.#opDone();
    this.#stream = tls;
    this._replaceSocket(tls);
    this.#tls = true;
    this.#switching = false;
    if (this._isClosed) {
      this._closeIO();
      return false;
    }
    this.#watchHandshake();
    const held = this.#heldWrite;
    this.#heldWrite = null;
    if (held !== null) this._write(held);
    if (this.#heldShutdown) {
      this.#heldShutdown = false;
      this._shutdownWrite();
    }
    return true;
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
      const protocol = this.protocol as { keepsReceivedData?: boolean };
      for (;;) {
        if (this.#upgrade !== null && !(await this.#startTLSNow())) break;
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
        this.#readPending = true;
        try {
          n = await this.#stream.read(buf);
        } catch (e) {
          this.#readPending = false;
          this.#opDone();
          this._readFailed(e);
          break;
        }
        this.#readPending = false;
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
    if (this.#switching) {
      // startTLS() was called: what was written before it goes out in
      // clear; what was written after it waits for the TLS socket.
      if (this.#clearLeft === 0) {
        this.#heldWrite = chunk;
        return;
      }
      if (chunk.length > this.#clearLeft) {
        chunk = chunk.subarray(0, this.#clearLeft);
      }
    }
    this.#ops++;
    this.#stream.write(chunk).then(this.#onWritten, this.#onWriteError);
  }

  #onWritten = (n: number): void => {
    this.#opDone();
    if (this.#clearLeft > 0) {
      this.#clearLeft = Math.max(0, this.#clearLeft - n);
      if (this.#clearLeft === 0) this.#onClearSent?.();
    }
    this._written(n);
  };

  #onWriteError = (e: unknown): void => {
    this.#opDone();
    this._writeFailed(e);
  };

  /** Shuts down the socket's write side. */
  protected _shutdownWrite(): void {
    if (this.#switching) {
      this.#heldShutdown = true;
      return;
    }
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
    this.#onClearSent?.();
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
