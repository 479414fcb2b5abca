// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoBackend}: the reactor backend built on Deno's APIs
 * (`Deno.listen`, `Deno.connect`, `Deno.listenTls`, `Deno.startTls`, signal
 * listeners, `Deno.exit`, `Deno.Command`), the one place besides the
 * examples and tests that calls `Deno.*`.
 *
 * @module
 */

import type {
  NetAddress,
  NetListener,
  NetStream,
  ReactorBackend,
  TLSHandshakeInfo,
} from "../../backend.ts";
import type { PemSource, TLSClientConfig } from "../../ssl.ts";
import {
  bindUnixSocket,
  lockUnixSocket,
  removeQuietly,
  unlockUnixSocket,
} from "../_unix_socket_file.ts";
import { getConnectError, getConnectionLostReason } from "./deno_errors.ts";
import { listenDenoDatagram } from "./deno_datagram.ts";
import { spawnDenoProcess } from "./deno_process.ts";

function toAddress(a: Deno.Addr): NetAddress {
  if (a.transport === "tcp" || a.transport === "udp") {
    return { transport: "tcp", hostname: a.hostname, port: a.port };
  }
  return { transport: "unix", path: (a as Deno.UnixAddr).path };
}

class DenoStream implements NetStream {
  readonly #conn: Deno.Conn;
  readonly #tcp: Deno.TcpConn | null;
  /** TCP_NODELAY as last set (Deno's default: off). */
  #noDelay = false;
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#tcp = conn.localAddr.transport === "tcp"
      ? conn as Deno.TcpConn
      : null;
    this.localAddress = toAddress(conn.localAddr);
    this.remoteAddress = toAddress(conn.remoteAddr);
    if (this.#tcp !== null) {
      const tcp = this.#tcp;
      this.startTLS = (config) => startDenoTls(tcp, config, this.#noDelay);
    }
  }

  read(p: Uint8Array): Promise<number | null> {
    return this.#conn.read(p);
  }

  write(p: Uint8Array): Promise<number> {
    return this.#conn.write(p);
  }

  closeWrite(): Promise<void> {
    return this.#conn.closeWrite();
  }

  close(): void {
    this.#conn.close();
  }

  setNoDelay(enabled: boolean): void {
    this.#tcp?.setNoDelay(enabled);
    this.#noDelay = enabled;
  }

  setKeepAlive(enabled: boolean): void {
    this.#tcp?.setKeepAlive(enabled);
  }

  /** Present on TCP sockets only (see the constructor). */
  declare startTLS?: (config: TLSClientConfig) => Promise<NetStream>;
}

/**
 * Upgrades a TCP client socket to TLS with Deno's `startTls`; the TLS
 * socket keeps the TCP socket's `TCP_NODELAY` (`noDelay`, as set before).
 */
async function startDenoTls(
  conn: Deno.TcpConn,
  config: TLSClientConfig,
  noDelay: boolean,
): Promise<NetStream> {
  const tls = await Deno.startTls(conn, {
    hostname: config.hostname,
    caCerts: config.caCerts.map(readPem),
    alpnProtocols: config.alpnProtocols?.slice(),
    unsafelyDisableHostnameVerification:
      config.unsafelyDisableHostnameVerification ?? false,
  });
  return new DenoTlsStream(tls, noDelay);
}

/** Reads a PEM source: the text itself, or the file it names. */
function readPem(source: PemSource): string {
  return typeof source === "string"
    ? source
    : Deno.readTextFileSync(source.path);
}

/**
 * A TLS socket (Deno's `TlsConn`): it has no `setNoDelay`/`setKeepAlive`
 * (no-ops here; `getNoDelay()` tells the state it was made with: set on
 * a client's TCP socket before the handshake, never on an accepted one,
 * which Deno leaves off, as `strace` shows). Reads and writes hand back Deno's own promises, as a TCP
 * socket's do (a `.catch` on each would cost every operation a promise and
 * a turn): their TLS failures are named by the backend's
 * `connectionLostReason` ("TLS error: invalid peer certificate:
 * UnknownIssuer", from Deno's `InvalidData`).
 */
class DenoTlsStream implements NetStream {
  readonly #conn: Deno.TlsConn;
  readonly #noDelay: boolean;
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;

  constructor(conn: Deno.TlsConn, noDelay: boolean) {
    this.#conn = conn;
    this.#noDelay = noDelay;
    this.localAddress = toAddress(conn.localAddr);
    this.remoteAddress = toAddress(conn.remoteAddr);
  }

  read(p: Uint8Array): Promise<number | null> {
    return this.#conn.read(p);
  }

  write(p: Uint8Array): Promise<number> {
    return this.#conn.write(p);
  }

  closeWrite(): Promise<void> {
    return this.#conn.closeWrite();
  }

  close(): void {
    this.#conn.close();
  }

  setNoDelay(_enabled: boolean): void {}

  getNoDelay(): boolean {
    return this.#noDelay;
  }

  setKeepAlive(_enabled: boolean): void {}

  async handshake(): Promise<TLSHandshakeInfo> {
    try {
      const info = await this.#conn.handshake();
      return { alpnProtocol: info.alpnProtocol };
    } catch (e) {
      throw getConnectionLostReason(e);
    }
  }
}

class DenoListener implements NetListener {
  readonly #listener: Deno.Listener;
  readonly #unlink: string | null;
  readonly address: NetAddress;

  readonly #tls: boolean;

  /** A listener; a Unix one is known by `path` and removes it on close. */
  constructor(
    listener: Deno.Listener,
    path: string | null = null,
    tls = false,
  ) {
    this.#listener = listener;
    this.#unlink = path;
    this.#tls = tls;
    this.address = path === null
      ? toAddress(listener.addr)
      : { transport: "unix", path };
  }

  async accept(): Promise<NetStream> {
    const conn = await this.#listener.accept();
    return this.#tls
      ? new DenoTlsStream(conn as Deno.TlsConn, false)
      : new DenoStream(conn);
  }

  close(): void {
    this.#listener.close();
    if (this.#unlink !== null) removeQuietly(this.#unlink);
  }
}

/** Accept errors that mean "out of resources": EMFILE, ENFILE, ENOBUFS, ENOMEM. */
const RESOURCE_ERRORS = new Set(["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM"]);
const RESOURCE_ERRNOS = /os error (23|24|105|12)\)/;

/** The signals that ask a process to stop. */
const SHUTDOWN_SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM"];

/**
 * The reactor backend built on Deno's APIs, used by `new Reactor()`:
 * sockets through `Deno.listen`/`Deno.connect` (TCP and Unix), TLS through
 * `Deno.listenTls` (servers) and `Deno.connect` + `Deno.startTls` (clients,
 * so that the name verified may differ from the address connected to, and
 * `TCP_NODELAY` is set before the upgrade; accepted TLS sockets cannot set
 * it: Deno's `TlsConn` has no `setNoDelay`), Deno's errors
 * mapped onto Twisted's, `SIGINT`/`SIGTERM` through
 * `Deno.addSignalListener`, `Deno.exit`, child processes through
 * `Deno.Command`, and UDP through `node:dgram` (no `--unstable-net`
 * needed; see {@linkcode listenDenoDatagram}).
 *
 * @example Usage
 * ```ts
 * import { denoBackend, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor({ backend: denoBackend });
 * equal(reactor._backend, denoBackend);
 * ```
 */
export const denoBackend: ReactorBackend = {
  listenTCP(hostname, port, backlog) {
    return new DenoListener(
      Deno.listen({ hostname, port, transport: "tcp", tcpBacklog: backlog }),
    );
  },
  listenUNIX(path, _backlog, mode) {
    // Deno's Unix listeners always use a backlog of 1024.
    return new DenoListener(
      bindUnixSocket(
        path,
        mode,
        (tmp) => Deno.listen({ transport: "unix", path: tmp }),
        (l) => l.close(),
      ),
      path,
    );
  },
  lockUNIX: lockUnixSocket,
  listenUDP: listenDenoDatagram,
  unlockUNIX: unlockUnixSocket,
  async connectTCP(hostname, port, signal) {
    return new DenoStream(
      await Deno.connect({ hostname, port, transport: "tcp", signal }),
    );
  },
  listenTLS(hostname, port, backlog, config) {
    return new DenoListener(
      Deno.listenTls({
        hostname,
        port,
        transport: "tcp",
        tcpBacklog: backlog,
        cert: readPem(config.certificate),
        key: readPem(config.privateKey),
        alpnProtocols: config.alpnProtocols?.slice(),
      }),
      null,
      true,
    );
  },
  async connectTLS(hostname, port, signal, config) {
    const conn = await Deno.connect({
      hostname,
      port,
      transport: "tcp",
      signal,
    });
    let noDelay = false;
    try {
      conn.setNoDelay(true);
      noDelay = true;
    } catch {
      // Reset already: the handshake reports it.
    }
    try {
      return await startDenoTls(conn, config, noDelay);
    } catch (e) {
      try {
        conn.close();
      } catch {
        // Consumed by startTls.
      }
      throw e;
    }
  },
  async lookupHost(name) {
    // node:dns's lookup is getaddrinfo off the main thread: /etc/hosts
    // names resolve (Deno.resolveDns asks DNS servers only).
    const { lookup } = await import("node:dns/promises");
    const { address } = await lookup(name, { family: 4 });
    return address;
  },
  async connectUNIX(path, signal) {
    signal.throwIfAborted();
    const conn = await Deno.connect({ transport: "unix", path });
    if (signal.aborted) {
      conn.close();
      signal.throwIfAborted();
    }
    return new DenoStream(conn);
  },
  isLocalClose(e) {
    return e instanceof Deno.errors.BadResource ||
      e instanceof Deno.errors.Interrupted;
  },
  isResourceExhausted(e) {
    if (!(e instanceof Error)) return false;
    const code = (e as { code?: unknown }).code;
    return (typeof code === "string" && RESOURCE_ERRORS.has(code)) ||
      RESOURCE_ERRNOS.test(e.message);
  },
  connectError: getConnectError,
  connectionLostReason: getConnectionLostReason,
  onShutdownSignal(handler) {
    const installed: [Deno.Signal, () => void][] = [];
    for (const sig of SHUTDOWN_SIGNALS) {
      const listener = () => handler(sig);
      try {
        Deno.addSignalListener(sig, listener);
        installed.push([sig, listener]);
      } catch {
        // Not supported on this platform (SIGTERM on Windows).
      }
    }
    return () => {
      for (const [sig, listener] of installed) {
        Deno.removeSignalListener(sig, listener);
      }
    };
  },
  exit(code) {
    Deno.exit(code);
  },
  spawnProcess: spawnDenoProcess,
};
