// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode EpollBackend}: the reactor backend on Linux epoll through
 * `Deno.dlopen` of libc.
 *
 * @module
 */

import type {
  ChildProcess,
  ConnectionOwner,
  DatagramBindOptions,
  NetDatagramSocket,
  NetListener,
  NetStream,
  ReactorBackend,
  SpawnRequest,
  StartableTransport,
  TransportReactor,
} from "../../backend.ts";
import { ConnectionLost, DNSLookupError } from "../../errors.ts";
import { connectError, connectFailureOf } from "../_connect_error.ts";
import type { IProtocol } from "../../interfaces.ts";
import type { TLSClientConfig, TLSServerConfig } from "../../ssl.ts";
import { denoBackend } from "../deno/deno_backend.ts";
import { spawnDenoProcess } from "../deno/deno_process.ts";
import {
  bindUnixSocket,
  lockUnixSocket,
  unlockUnixSocket,
} from "../_unix_socket_file.ts";
import { EpollLoop } from "./_epoll_loop.ts";
import {
  EINPROGRESS,
  EMFILE,
  ENFILE,
  ENOBUFS,
  ENOMEM,
  EPOLLOUT,
  inetAddress,
  isIPLiteral,
  type Libc,
  type OpenLibc,
  openLibc,
  OsError,
  osError,
  SO_ERROR,
  SO_REUSEADDR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  type SockAddr,
  SOL_SOCKET,
  unixAddress,
} from "./_libc.ts";
import { EpollConnection } from "./epoll_connection.ts";
import { EpollListener, EpollSocket, ListenerClosed } from "./epoll_socket.ts";

const RESOURCE_ERRNOS = new Set([EMFILE, ENFILE, ENOBUFS, ENOMEM]);

/** Opens a non-blocking stream socket of `family`. */
function openSocket(libc: Libc, family: number): number {
  const fd = libc.socket(
    family,
    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
    0,
  );
  if (fd < 0) throw osError(libc);
  return fd;
}

/**
 * The reactor backend on Linux epoll: non-blocking sockets opened, read and
 * written through libc (`Deno.dlopen`, so `--allow-ffi` is needed), one
 * epoll instance per reactor whose loop parks in a `nonblocking` FFI
 * `epoll_wait` when idle. Host names are resolved with Deno's resolver;
 * signals, exit and child processes (`Deno.Command`) are Deno's.
 * Connections are {@linkcode EpollConnection}s, except TLS ones: TLS
 * listeners and clients are the Deno backend's (`Deno.listenTls`,
 * `Deno.startTls`, read and written through promises), and a TCP
 * connection of this backend cannot `startTLS`. UDP sockets are the Deno
 * backend's too (`node:dgram`, driven by Deno's event loop, not this
 * epoll instance).
 *
 * @example Usage
 * ```ts ignore
 * import { EpollBackend, Reactor } from "@torsion/torsion/reactor";
 *
 * const reactor = new Reactor({ backend: new EpollBackend() });
 * ```
 */
export class EpollBackend implements ReactorBackend {
  #lib!: OpenLibc;
  #libc!: Libc;
  #loop!: EpollLoop;
  #closed = true;

  /**
   * Opens libc and an epoll instance.
   *
   * @throws {Error} Off Linux, without `--allow-ffi`, or without libc.
   */
  constructor() {
    this.open();
  }

  /**
   * Opens libc and an epoll instance again after
   * {@linkcode EpollBackend.close} (a no-op while open).
   *
   * @throws {Error} Off Linux, without `--allow-ffi`, or without libc.
   */
  open(): void {
    if (!this.#closed) return;
    const lib = openLibc();
    try {
      this.#loop = new EpollLoop(lib.libc);
    } catch (e) {
      lib.close();
      throw e;
    }
    this.#lib = lib;
    this.#libc = lib.libc;
    this.#closed = false;
  }

  /** Whether libc and the epoll instance are closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether no socket is registered with the epoll instance. */
  get idle(): boolean {
    return this.#closed || this.#loop.idle;
  }

  /**
   * Runs the wait loop until {@linkcode EpollBackend.stop}.
   *
   * @param nextDue When the reactor's next timer is due, on
   *   `performance.now()`'s clock: the loop does not hold the JavaScript
   *   thread past it.
   * @returns A promise that settles once the loop has stopped.
   */
  start(nextDue?: () => number): Promise<void> {
    return this.#loop.start(nextDue);
  }

  /** Stops the wait loop (waking it if it is parked). */
  stop(): void {
    this.#loop.stop();
  }

  /** Closes the epoll instance and libc; call it once the loop has stopped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#loop.close();
    this.#lib.close();
  }

  /** Opens, binds and listens on a socket; returns its descriptor. */
  #listen(addr: SockAddr, backlog: number): number {
    const libc = this.#libc;
    const fd = openSocket(libc, addr.family);
    if (addr.family !== 1) {
      const one = new Uint8Array(new Int32Array([1]).buffer);
      libc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4);
    }
    if (
      libc.bind(fd, addr.bytes, addr.bytes.length) < 0 ||
      libc.listen(fd, backlog) < 0
    ) {
      const e = osError(libc);
      libc.close(fd);
      throw e;
    }
    return fd;
  }

  listenTCP(hostname: string, port: number, backlog: number): NetListener {
    const host = hostname === "localhost" ? "127.0.0.1" : hostname;
    const addr = inetAddress(host, port);
    if (addr === null) {
      throw new Error(`Cannot listen: ${hostname} is not an IP address`);
    }
    const fd = this.#listen(addr, backlog);
    return new EpollListener(this.#loop, this.#libc, fd);
  }

  listenUNIX(path: string, backlog: number, mode: number): NetListener {
    const fd = bindUnixSocket(
      path,
      mode,
      (tmp) => this.#listen(unixAddress(tmp), backlog),
      (fd) => this.#libc.close(fd),
    );
    return new EpollListener(this.#loop, this.#libc, fd, path);
  }

  lockUNIX(path: string): boolean {
    return lockUnixSocket(path);
  }

  unlockUNIX(path: string): void {
    unlockUnixSocket(path);
  }

  async connectTCP(
    hostname: string,
    port: number,
    signal: AbortSignal,
  ): Promise<NetStream> {
    const host = await resolve(hostname);
    signal.throwIfAborted();
    return this.#connect(inetAddress(host, port)!, signal);
  }

  connectUNIX(path: string, signal: AbortSignal): Promise<NetStream> {
    return this.#connect(unixAddress(path), signal);
  }

  /** Connects a non-blocking socket, waiting for `EPOLLOUT` if need be. */
  #connect(addr: SockAddr, signal: AbortSignal): Promise<NetStream> {
    const libc = this.#libc;
    const loop = this.#loop;
    const fd = openSocket(libc, addr.family);
    if (libc.connect(fd, addr.bytes, addr.bytes.length) === 0) {
      return Promise.resolve(new EpollSocket(loop, libc, fd));
    }
    const e = osError(libc);
    if (e.errno !== EINPROGRESS) {
      libc.close(fd);
      return Promise.reject(e);
    }
    return new Promise<NetStream>((resolve, reject) => {
      let token = 0;
      const finish = () => {
        signal.removeEventListener("abort", onAbort);
        loop.remove(fd, token);
      };
      const onAbort = () => {
        finish();
        libc.close(fd);
        reject(signal.reason);
      };
      token = loop.add(fd, EPOLLOUT, {
        onEvents: () => {
          finish();
          const code = new Int32Array(1);
          const len = new Uint32Array([4]);
          libc.getsockopt(
            fd,
            SOL_SOCKET,
            SO_ERROR,
            new Uint8Array(code.buffer),
            new Uint8Array(len.buffer),
          );
          if (code[0] !== 0) {
            libc.close(fd);
            reject(osError(libc, code[0]));
            return;
          }
          resolve(new EpollSocket(loop, libc, fd));
        },
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Binds a TLS listener with Deno's `Deno.listenTls`: TLS needs rustls,
   * which only Deno's own sockets have, so TLS connections on this reactor
   * are Deno sockets read and written through promises (`Connection`), not
   * through the epoll loop.
   */
  listenTLS(
    hostname: string,
    port: number,
    backlog: number,
    config: TLSServerConfig,
  ): NetListener {
    return denoBackend.listenTLS!(hostname, port, backlog, config);
  }

  /**
   * Binds a UDP socket with the Deno backend's `node:dgram` sockets: its
   * datagrams are delivered by Deno's event loop, not by this epoll loop.
   */
  listenUDP(options: DatagramBindOptions): NetDatagramSocket {
    return denoBackend.listenUDP!(options);
  }

  /** Connects a TLS client with Deno's sockets (see `listenTLS`). */
  connectTLS(
    hostname: string,
    port: number,
    signal: AbortSignal,
    config: TLSClientConfig,
  ): Promise<NetStream> {
    return denoBackend.connectTLS!(hostname, port, signal, config);
  }

  /** Resolves a name as the Deno backend does (the system's getaddrinfo). */
  lookupHost(name: string): Promise<string> {
    return denoBackend.lookupHost!(name);
  }

  isLocalClose(e: unknown): boolean {
    return e instanceof ListenerClosed ||
      (e instanceof OsError && e.errno === 9) ||
      denoBackend.isLocalClose(e);
  }

  isResourceExhausted(e: unknown): boolean {
    return e instanceof OsError && RESOURCE_ERRNOS.has(e.errno);
  }

  connectError(e: unknown): Error {
    if (!(e instanceof OsError)) return denoBackend.connectError(e);
    return connectError(
      connectFailureOf(e.errno),
      e.errno,
      e.message.replace(/\s*\(os error \d+\)$/, ""),
      e,
    );
  }

  connectionLostReason(e: unknown): ConnectionLost {
    if (!(e instanceof OsError)) return denoBackend.connectionLostReason(e);
    return new ConnectionLost(
      e.message.replace(/\s*\(os error \d+\)$/, ""),
      { cause: e },
    );
  }

  onShutdownSignal(handler: (signal: string) => void): () => void {
    return denoBackend.onShutdownSignal(handler);
  }

  exit(code: number): void {
    denoBackend.exit(code);
  }

  /** Starts a child process with `Deno.Command`, as the Deno backend does. */
  spawnProcess(request: SpawnRequest): ChildProcess {
    return spawnDenoProcess(request);
  }

  createTransport(
    reactor: TransportReactor,
    stream: NetStream,
    protocol: IProtocol,
    sessionno: number,
    owner: ConnectionOwner | null,
  ): StartableTransport {
    return new EpollConnection(
      reactor,
      stream as EpollSocket,
      protocol,
      sessionno,
      owner,
    );
  }
}

/** An IP literal for `host`: itself, `localhost`'s, or Deno's resolver's answer. */
async function resolve(host: string): Promise<string> {
  if (isIPLiteral(host)) return host;
  if (host === "localhost") return "127.0.0.1";
  for (const type of ["A", "AAAA"] as const) {
    try {
      const found = await Deno.resolveDns(host, type);
      if (found.length > 0) return found[0];
    } catch {
      // Try the next record type; none: DNSLookupError below.
    }
  }
  throw new DNSLookupError(`address ${JSON.stringify(host)} not found`);
}
