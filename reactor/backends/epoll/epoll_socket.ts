// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode EpollSocket} and {@linkcode EpollListener}: the epoll backend's
 * sockets, as the reactor's ports and connectors see them.
 *
 * @module
 */

import type { NetAddress, NetListener, NetStream } from "../../backend.ts";
import { removeQuietly } from "../_unix_socket_file.ts";
import type { EpollHandler, EpollLoop } from "./_epoll_loop.ts";
import {
  decodeAddress,
  EAGAIN,
  EPOLLIN,
  EPOLLOUT,
  errno,
  type Libc,
  osError,
  SHUT_WR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
} from "./_libc.ts";

/** An `int` option value of 1, and of 0 (read only by the kernel). */
const ONE = new Uint8Array(new Int32Array([1]).buffer);
const ZERO = new Uint8Array(4);

/** Reads a socket's own or its peer's address. */
function address(
  libc: Libc,
  fd: number,
  peer: boolean,
): NetAddress {
  const b = new Uint8Array(112);
  const len = new Uint32Array([b.length]);
  const lenBytes = new Uint8Array(len.buffer);
  const r = peer
    ? libc.getpeername(fd, b, lenBytes)
    : libc.getsockname(fd, b, lenBytes);
  if (r < 0) return { transport: "unix", path: "" };
  return decodeAddress(b, len[0]);
}

/**
 * A connected, non-blocking stream socket of the epoll backend. The epoll
 * reactor drives it with an `EpollConnection`; `read`/`write` here (each a
 * wait on the loop, then the call) make it a `NetStream` any transport can
 * use.
 */
export class EpollSocket implements NetStream, EpollHandler {
  /** The descriptor. */
  readonly fd: number;
  /** The loop that watches it. */
  readonly loop: EpollLoop;
  /** The libc functions. */
  readonly libc: Libc;
  #local: NetAddress | null = null;
  #remote: NetAddress | null;
  #closed = false;
  #token = 0;
  #waiter: { events: number; resolve: () => void } | null = null;

  /**
   * Wraps a connected socket.
   *
   * @param loop The loop.
   * @param libc The libc functions.
   * @param fd The descriptor, non-blocking.
   * @param remote The peer's address, if known.
   */
  constructor(
    loop: EpollLoop,
    libc: Libc,
    fd: number,
    remote?: NetAddress,
  ) {
    this.fd = fd;
    this.loop = loop;
    this.libc = libc;
    this.#remote = remote ?? null;
  }

  /** The socket's own address (asked of the kernel on first use). */
  get localAddress(): NetAddress {
    return this.#local ??= address(this.libc, this.fd, false);
  }

  /** The peer's address. */
  get remoteAddress(): NetAddress {
    return this.#remote ??= address(this.libc, this.fd, true);
  }

  /** Sets an integer socket option; returns whether it took. */
  setOption(level: number, name: number, on: boolean): boolean {
    return this.libc.setsockopt(this.fd, level, name, on ? ONE : ZERO, 4) ===
      0;
  }

  /** The socket is ready for what `read`/`write` waits for. */
  onEvents(): void {
    const w = this.#waiter;
    if (w === null) return;
    this.#waiter = null;
    this.loop.remove(this.fd, this.#token);
    this.#token = 0;
    w.resolve();
  }

  #ready(events: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiter = { events, resolve };
      this.#token = this.loop.add(this.fd, events, this);
    });
  }

  async read(p: Uint8Array): Promise<number | null> {
    for (;;) {
      if (this.#closed) throw osError(this.libc, 9);
      const n = Number(this.libc.read(this.fd, p, p.length));
      if (n > 0) return n;
      if (n === 0) return p.length === 0 ? 0 : null;
      const code = errno(this.libc);
      if (code !== EAGAIN) throw osError(this.libc, code);
      await this.#ready(EPOLLIN);
    }
  }

  async write(p: Uint8Array): Promise<number> {
    for (;;) {
      if (this.#closed) throw osError(this.libc, 9);
      const n = Number(this.libc.write(this.fd, p, p.length));
      if (n >= 0) return n;
      const code = errno(this.libc);
      if (code !== EAGAIN) throw osError(this.libc, code);
      await this.#ready(EPOLLOUT);
    }
  }

  closeWrite(): Promise<void> {
    if (this.libc.shutdown(this.fd, SHUT_WR) < 0) {
      return Promise.reject(osError(this.libc));
    }
    return Promise.resolve();
  }

  setNoDelay(enabled: boolean): void {
    this.setOption(6, 1, enabled);
  }

  setKeepAlive(enabled: boolean): void {
    this.setOption(1, 9, enabled);
  }

  /** Closes the descriptor (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#token !== 0) this.loop.remove(this.fd, this.#token);
    this.libc.close(this.fd);
    this.#waiter?.resolve();
  }
}

/** Connections accepted per readiness event, at most. */
const ACCEPT_BATCH = 64;

/** The error an `accept()` gets once the listener is closed. */
export class ListenerClosed extends Error {
  /** Creates the error. */
  constructor() {
    super("Listener has been closed");
    this.name = "ListenerClosed";
  }
}

/**
 * A listening, non-blocking socket of the epoll backend: `accept4` in
 * batches when epoll reports it readable; `accept()` takes the next.
 */
export class EpollListener implements NetListener, EpollHandler {
  readonly address: NetAddress;
  readonly #loop: EpollLoop;
  readonly #libc: Libc;
  readonly #fd: number;
  /** The socket file removed on close, for a Unix listener. */
  readonly #path: string | null;
  #token = 0;
  #ready: (EpollSocket | Error)[] = [];
  #waiting: {
    resolve: (s: EpollSocket) => void;
    reject: (e: unknown) => void;
  } | null = null;
  #closed = false;
  readonly #peer = new Uint8Array(112);
  readonly #peerLen = new Uint32Array(1);

  /**
   * Wraps a listening socket.
   *
   * @param loop The loop.
   * @param libc The libc functions.
   * @param fd The descriptor, listening and non-blocking.
   * @param path For a Unix listener: its socket file, removed on close.
   */
  constructor(loop: EpollLoop, libc: Libc, fd: number, path?: string) {
    this.#loop = loop;
    this.#libc = libc;
    this.#fd = fd;
    this.#path = path ?? null;
    this.address = path === undefined
      ? address(libc, fd, false)
      : { transport: "unix", path };
  }

  accept(): Promise<EpollSocket> {
    if (this.#closed) return Promise.reject(new ListenerClosed());
    const next = this.#ready.shift();
    if (next !== undefined) {
      return next instanceof EpollSocket
        ? Promise.resolve(next)
        : Promise.reject(next);
    }
    if (this.#token === 0) {
      this.#token = this.#loop.add(this.#fd, EPOLLIN, this);
    }
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Readable: accept what is there (up to a batch). */
  onEvents(): void {
    const libc = this.#libc;
    const peerLen = new Uint8Array(this.#peerLen.buffer);
    for (let i = 0; i < ACCEPT_BATCH; i++) {
      this.#peerLen[0] = this.#peer.length;
      const fd = libc.accept4(
        this.#fd,
        this.#peer,
        peerLen,
        SOCK_NONBLOCK | SOCK_CLOEXEC,
      );
      if (fd < 0) {
        const code = errno(libc);
        if (code === EAGAIN) break;
        this.#ready.push(osError(libc, code));
        break;
      }
      const remote = decodeAddress(this.#peer, this.#peerLen[0]);
      this.#ready.push(new EpollSocket(this.#loop, libc, fd, remote));
    }
    const w = this.#waiting;
    if (w !== null && this.#ready.length > 0) {
      this.#waiting = null;
      const next = this.#ready.shift()!;
      if (next instanceof EpollSocket) w.resolve(next);
      else w.reject(next);
    }
    if (this.#waiting === null && this.#ready.length > 0 && this.#token !== 0) {
      // Enough queued: stop accepting until they are taken.
      this.#loop.remove(this.#fd, this.#token);
      this.#token = 0;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#token !== 0) this.#loop.remove(this.#fd, this.#token);
    this.#libc.close(this.#fd);
    for (const s of this.#ready.splice(0)) {
      if (s instanceof EpollSocket) s.close();
    }
    const w = this.#waiting;
    this.#waiting = null;
    w?.reject(new ListenerClosed());
    if (this.#path !== null) removeQuietly(this.#path);
  }
}
