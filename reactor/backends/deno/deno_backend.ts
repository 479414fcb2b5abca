// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode denoBackend}: the reactor backend built on Deno's APIs
 * (`Deno.listen`, `Deno.connect`, signal listeners, `Deno.exit`,
 * `Deno.Command`), the one place besides the examples and tests that calls
 * `Deno.*`.
 *
 * @module
 */

import type {
  NetAddress,
  NetListener,
  NetStream,
  ReactorBackend,
} from "../../backend.ts";
import {
  bindUnixSocket,
  lockUnixSocket,
  removeQuietly,
  unlockUnixSocket,
} from "../_unix_socket_file.ts";
import { getConnectError, getConnectionLostReason } from "./deno_errors.ts";
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
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#tcp = conn.localAddr.transport === "tcp"
      ? conn as Deno.TcpConn
      : null;
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

  setNoDelay(enabled: boolean): void {
    this.#tcp?.setNoDelay(enabled);
  }

  setKeepAlive(enabled: boolean): void {
    this.#tcp?.setKeepAlive(enabled);
  }
}

class DenoListener implements NetListener {
  readonly #listener: Deno.Listener;
  readonly #unlink: string | null;
  readonly address: NetAddress;

  /** A listener; a Unix one is known by `path` and removes it on close. */
  constructor(listener: Deno.Listener, path: string | null = null) {
    this.#listener = listener;
    this.#unlink = path;
    this.address = path === null
      ? toAddress(listener.addr)
      : { transport: "unix", path };
  }

  async accept(): Promise<NetStream> {
    return new DenoStream(await this.#listener.accept());
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
 * sockets through `Deno.listen`/`Deno.connect` (TCP and Unix), Deno's errors
 * mapped onto Twisted's, `SIGINT`/`SIGTERM` through
 * `Deno.addSignalListener`, `Deno.exit`, and child processes through
 * `Deno.Command`.
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
  unlockUNIX: unlockUnixSocket,
  async connectTCP(hostname, port, signal) {
    return new DenoStream(
      await Deno.connect({ hostname, port, transport: "tcp", signal }),
    );
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
