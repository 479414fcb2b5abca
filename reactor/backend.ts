// Copyright 2026 the Torsion authors. MIT license.
/**
 * The I/O seam: {@linkcode ReactorBackend}, everything a reactor needs of the operating system: stream and datagram sockets, the translation of their
 * errors into Twisted's, shutdown signals and process exit.
 * `backends/deno/` implements it with `Deno.listen`/`Deno.connect`; another
 * backend (an epoll loop through FFI, a simulated network) implements it too
 * and is given to `new Reactor({ backend })`. Nothing outside
 * `reactor/backends/` calls `Deno.*`.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import type { ConnectionLost } from "./errors.ts";
import type { TLSClientConfig, TLSServerConfig } from "./ssl.ts";
import type { IResolverSimple } from "./resolver.ts";
import type {
  IDelayedCall,
  IProtocol,
  ITCPTransport,
  ProcessSignal,
} from "./interfaces.ts";

/**
 * A socket address as a backend reports it.
 *
 * @example Usage
 * ```ts
 * import type { NetAddress } from "@torsion/torsion/reactor";
 *
 * const a: NetAddress = { transport: "tcp", hostname: "127.0.0.1", port: 8000 };
 * ```
 */
export type NetAddress =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "unix"; path: string };

/** A connected stream socket, as a backend provides it. */
export interface NetStream {
  /** Reads into `p`; `null` at end of stream. Rejects after `close()`. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p` (perhaps not all); resolves with the count. */
  write(p: Uint8Array): Promise<number>;
  /** Shuts down the write side. */
  closeWrite(): Promise<void>;
  /** Closes the socket; pending reads and writes reject. */
  close(): void;
  /** The local address. */
  readonly localAddress: NetAddress;
  /** The peer's address. */
  readonly remoteAddress: NetAddress;
  /** Sets TCP_NODELAY (TCP only; a no-op elsewhere). */
  setNoDelay(enabled: boolean): void;
  /**
   * Whether TCP_NODELAY is set, for a socket whose `setNoDelay` cannot
   * change it (a TLS socket Deno accepted: its `TlsConn` has no
   * `setNoDelay`). Absent: `setNoDelay` works, and the transport
   * remembers what it set.
   */
  getNoDelay?(): boolean;
  /** Sets SO_KEEPALIVE (TCP only; a no-op elsewhere). */
  setKeepAlive(enabled: boolean): void;
  /**
   * A TLS socket only: completes the handshake (reads and writes also wait
   * for it) and tells the negotiated ALPN protocol. Rejects, as reads and
   * writes then do, if the handshake fails.
   */
  handshake?(): Promise<TLSHandshakeInfo>;
  /**
   * A TCP client socket that can become a TLS one (Deno's `startTls`):
   * returns the TLS socket, and this one is unusable afterwards. No read
   * or write may be in flight.
   */
  startTLS?(config: TLSClientConfig): Promise<NetStream>;
}

/** What a TLS handshake negotiated. */
export interface TLSHandshakeInfo {
  /** The ALPN protocol both sides chose, or `null`. */
  readonly alpnProtocol: string | null;
}

/** A listening socket, as a backend provides it. */
export interface NetListener {
  /** Waits for the next connection. Rejects once closed. */
  accept(): Promise<NetStream>;
  /** Stops listening; a pending `accept()` rejects. */
  close(): void;
  /** The address listened on. */
  readonly address: NetAddress;
}

/** Where and how a backend binds a UDP socket. */
export interface DatagramBindOptions {
  /**
   * The address to bind: an IPv4 one (`"0.0.0.0"` for all) makes an IPv4
   * socket, an IPv6 one (`"::"` for all) an IPv6 socket.
   */
  readonly hostname: string;
  /** The port; 0 for any free port. */
  readonly port: number;
  /** Lets other sockets bind the same address and port (`SO_REUSEADDR`, for multicast). */
  readonly reuseAddress: boolean;
}

/** A bound UDP socket, as a backend provides it. */
export interface NetDatagramSocket {
  /** The bound address (the real port when 0 was asked). */
  readonly address: { readonly hostname: string; readonly port: number };
  /**
   * Starts delivering datagrams to `onMessage` (the bytes are the
   * receiver's to keep). `onError` hears errors of the socket itself.
   */
  start(
    onMessage: (data: Uint8Array, host: string, port: number) => void,
    onError: (e: unknown) => void,
  ): void;
  /**
   * Sends one datagram to an address of the socket's family (IPv4 or
   * IPv6); resolves once the system took it, rejects with the system's
   * error.
   */
  send(data: Uint8Array, host: string, port: number): Promise<void>;
  /** Sets `SO_BROADCAST`. */
  setBroadcast(enabled: boolean): void;
  /** Sets the multicast time to live (`IP_MULTICAST_TTL`). */
  setMulticastTTL(ttl: number): void;
  /** Sets whether multicast sent here is looped back (`IP_MULTICAST_LOOP`). */
  setMulticastLoopback(enabled: boolean): void;
  /** Sets the interface multicast is sent from (`IP_MULTICAST_IF`). */
  setMulticastInterface(address: string): void;
  /** Joins a multicast group on an interface (`""`: the system's choice); throws if it cannot. */
  addMembership(group: string, iface: string): void;
  /** Leaves a multicast group; throws if it was not joined. */
  dropMembership(group: string, iface: string): void;
  /**
   * Closes the socket; no datagram is delivered afterwards. Resolves once
   * the system has released it (the port can be bound again); never
   * rejects.
   */
  close(): Promise<void>;
}

/**
 * What a reactor needs of the operating system. The default, used by
 * `new Reactor()`, is built on Deno's APIs.
 *
 * @example Usage
 * ```ts
 * import { Reactor, type ReactorBackend } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const base = new Reactor()._backend;
 * // A backend that counts the shutdown signal handlers installed.
 * let installed = 0;
 * const backend: ReactorBackend = {
 *   ...base,
 *   onShutdownSignal(handler) {
 *     installed++;
 *     return base.onShutdownSignal(handler);
 *   },
 * };
 * const r = new Reactor({ backend });
 * r.callWhenRunning(() => r.stop());
 * await r.run();
 * equal(installed, 1);
 * ```
 */
export interface ReactorBackend {
  /** Binds a TCP listener, synchronously; throws if it cannot. */
  listenTCP(hostname: string, port: number, backlog: number): NetListener;
  /**
   * Binds a Unix listener, synchronously, and gives the socket file `mode`
   * before it appears at `path`; throws if it cannot. Closing the listener
   * removes the file.
   */
  listenUNIX(path: string, backlog: number, mode: number): NetListener;
  /**
   * Takes the lock file of a Unix socket (`<path>.lock`, holding the process
   * id), removing a socket file left behind; returns whether it could.
   */
  lockUNIX(path: string): boolean;
  /** Removes the lock file of a Unix socket. */
  unlockUNIX(path: string): void;
  /** Connects over TCP; `signal` aborts the attempt. */
  connectTCP(
    hostname: string,
    port: number,
    signal: AbortSignal,
  ): Promise<NetStream>;
  /** Connects to a Unix socket; `signal` aborts the attempt. */
  connectUNIX(path: string, signal: AbortSignal): Promise<NetStream>;
  /**
   * Resolves a host name to one IPv4 address with the system's resolver
   * (`/etc/hosts`, then DNS), without blocking. Absent: the reactor's
   * `resolve` fails with `DNSLookupError`.
   */
  lookupHost?(name: string): Promise<string>;
  /**
   * Binds a TLS listener, synchronously (reading the key and certificate);
   * throws if it cannot. Absent: `listenSSL` fails with
   * `CannotListenError`. Accepted sockets have `handshake`.
   */
  listenTLS?(
    hostname: string,
    port: number,
    backlog: number,
    config: TLSServerConfig,
  ): NetListener;
  /**
   * Connects over TCP and starts a TLS client handshake (the handshake
   * completes with the first read or write, or `handshake()`); `signal`
   * aborts the TCP connect. Absent: `connectSSL` fails.
   */
  connectTLS?(
    hostname: string,
    port: number,
    signal: AbortSignal,
    config: TLSClientConfig,
  ): Promise<NetStream>;
  /**
   * Binds a UDP socket, synchronously; throws if it cannot. Absent:
   * `listenUDP`/`listenMulticast` fail with `CannotListenError`.
   */
  listenUDP?(options: DatagramBindOptions): NetDatagramSocket;
  /**
   * Whether `e`, thrown by `read`/`write`/`accept`, only reports that the
   * socket was closed locally (not a peer error).
   */
  isLocalClose(e: unknown): boolean;
  /**
   * Whether `e`, thrown by `accept`, means the process is out of resources
   * (descriptors, memory): the listener waits briefly before accepting
   * again.
   */
  isResourceExhausted(e: unknown): boolean;
  /**
   * Translates an error of `connectTCP`/`connectUNIX` into the Twisted
   * connect error a `clientConnectionFailed` receives
   * (`ConnectionRefusedError`, `DNSLookupError`, `TimeoutError`...).
   */
  connectError(e: unknown): Error;
  /** Translates an error of `read`/`write`/`closeWrite` into a `ConnectionLost`. */
  connectionLostReason(e: unknown): ConnectionLost;
  /**
   * Calls `handler` with the signal's name when the process is asked to
   * stop (`SIGINT`, `SIGTERM`); returns a function that removes it.
   */
  onShutdownSignal(handler: (signal: string) => void): () => void;
  /** Ends the process with `code`. */
  exit(code: number): void;
  /**
   * Makes the transport of a connected socket, for a backend that drives
   * its sockets itself (an epoll loop). Absent: the reactor uses
   * `Connection`, which reads and writes through `NetStream`'s promises.
   */
  createTransport?(
    reactor: TransportReactor,
    stream: NetStream,
    protocol: IProtocol,
    sessionno: number,
    owner: ConnectionOwner | null,
  ): StartableTransport;
  /**
   * Starts a child process, synchronously. Absent: the reactor's
   * `spawnProcess` throws. Throws if the child cannot be started (no such
   * program, no permission, no such working directory); the reactor reports
   * that to the process protocol as Twisted does.
   */
  spawnProcess?(request: SpawnRequest): ChildProcess;
}

/** How a child's descriptor 0, 1 or 2 is set up. */
export type ChildStdio = "pipe" | "inherit" | "null";

/** A child process to start, as the reactor asks a backend for it. */
export interface SpawnRequest {
  /** The program: a path, or a name looked up in `PATH`. */
  readonly executable: string;
  /** The arguments after the program's name. */
  readonly args: readonly string[];
  /** The complete environment, or `null` for the parent's. */
  readonly env: Readonly<Record<string, string>> | null;
  /** The working directory, or `null` for the parent's. */
  readonly cwd: string | null;
  /** Descriptors 0, 1 and 2. */
  readonly stdio: readonly [ChildStdio, ChildStdio, ChildStdio];
}

/** How a child process ended. */
export interface ChildExit {
  /** The exit code, or `null` if a signal ended it. */
  readonly exitCode: number | null;
  /** The number of the signal that ended it, or `null`. */
  readonly signal: number | null;
  /** The wait status: `exitCode << 8`, or the signal's number. */
  readonly status: number;
}

/** A pipe we read a child's output from. */
export interface ChildOutput {
  /** Reads the next bytes (the caller keeps them); `null` at end of stream, also after `cancel()`. */
  read(): Promise<Uint8Array | null>;
  /** Closes our end (a later write of the child fails); a pending `read` settles with `null`. */
  cancel(): Promise<void>;
}

/** A pipe we write a child's input to. */
export interface ChildInput {
  /** Writes some of `p` (perhaps not all); resolves with the count. */
  write(p: Uint8Array): Promise<number>;
  /** Closes our end once pending writes are done (the child reads end of stream); never rejects. */
  close(): Promise<void>;
}

/** A running child process, as a backend provides it. */
export interface ChildProcess {
  /** The process id. */
  readonly pid: number;
  /** Its standard input, if a pipe. */
  readonly stdin: ChildInput | null;
  /** Its standard output, if a pipe. */
  readonly stdout: ChildOutput | null;
  /** Its standard error, if a pipe. */
  readonly stderr: ChildOutput | null;
  /** Settles once the process has exited and been reaped; never rejects. */
  readonly exited: Promise<ChildExit>;
  /**
   * Sends a signal.
   *
   * @returns `false` if the process has exited already.
   * @throws {RangeError} For a signal this platform does not know.
   */
  kill(signal: ProcessSignal | number): boolean;
}

/** What a client connection tells its connector. */
export interface ConnectionOwner {
  /** The connection was lost. */
  connectionLost(reason: Failure): void;
}

/** A transport the reactor made and starts: it connects the protocol and starts reading. */
export interface StartableTransport extends ITCPTransport {
  /** Connects the protocol and starts reading (the reactor calls it once). */
  _start(): void;
}

/**
 * The reactor as its transports see it: scheduling, the backend, and the
 * bookkeeping that lets shutdown close and wait for every port and
 * connection. `Reactor` implements it; ports, connectors and
 * connections depend on this, not on `Reactor`. For backends and
 * transports, not for applications.
 *
 * @example Usage
 * ```ts
 * import { Reactor, type TransportReactor } from "@torsion/torsion/reactor";
 *
 * const r: TransportReactor = new Reactor();
 * r._nextSession();
 * ```
 */
export interface TransportReactor {
  /** The I/O backend. */
  readonly _backend: ReactorBackend;
  /** Schedules `f` after `delay` seconds (see `IReactorTime.callLater`). */
  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ): IDelayedCall;
  /** Calls `f` now if running, else once the reactor runs. */
  callWhenRunning(f: () => unknown): unknown;
  /** Registers a port or connection to close at shutdown. */
  _addResource(r: ReactorResource): void;
  /** Forgets a port or connection (it closed by itself). */
  _removeResource(r: ReactorResource): void;
  /** Tracks an I/O loop, so that shutdown can wait for it to end. */
  _track(task: Promise<unknown>): void;
  /** The next connection's session number, for log prefixes. */
  _nextSession(): number;
  /**
   * The resolver connectors ask before connecting to a host name, once
   * one was installed (`installResolver`); `null` or absent: the backend's
   * connect resolves names itself.
   */
  readonly _connectResolver?: IResolverSimple | null;
}

/**
 * Something the reactor closes when it shuts down: a port, a connector or
 * a connection.
 *
 * @example Usage
 * ```ts
 * import type { ReactorResource } from "@torsion/torsion/reactor";
 *
 * const r: ReactorResource = { _reactorShutdown() {} };
 * r._reactorShutdown();
 * ```
 */
export interface ReactorResource {
  /** Close now, as part of the reactor's shutdown. */
  _reactorShutdown(): void;
}
