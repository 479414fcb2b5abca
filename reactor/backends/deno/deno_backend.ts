// Copyright 2026 the Torsion authors. MIT license.
/**
 * The Deno backend of the I/O seam: the one module that calls
 * `Deno.listen` and `Deno.connect`.
 */

import type {
  NetAddress,
  NetBackend,
  NetListener,
  NetStream,
} from "./_net_backend.ts";

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

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

/** The backend built on `Deno.listen`/`Deno.connect`. */
export const denoNet: NetBackend = {
  listenTCP(hostname, port, backlog) {
    return new DenoListener(
      Deno.listen({ hostname, port, transport: "tcp", tcpBacklog: backlog }),
    );
  },
  listenUNIX(path, _backlog, mode) {
    // Bound in a private directory (mode 0700) beside `path`, given its mode
    // there, then linked into place: no one can connect before the mode is
    // set, whatever the umask. link() fails on an existing path as bind()
    // would. Deno's Unix listeners always use a backlog of 1024.
    const slash = path.lastIndexOf("/");
    const dir = slash === -1 ? "." : slash === 0 ? "/" : path.slice(0, slash);
    const hidden = Deno.makeTempDirSync({ dir, prefix: ".torsion-" });
    const bound = `${hidden}/socket`;
    try {
      const listener = Deno.listen({ transport: "unix", path: bound });
      try {
        Deno.chmodSync(bound, mode);
        Deno.linkSync(bound, path);
      } catch (e) {
        listener.close();
        throw e instanceof Deno.errors.AlreadyExists
          ? new Deno.errors.AddrInUse(`Address already in use: ${path}`)
          : e;
      }
      return new DenoListener(listener, path);
    } finally {
      removeQuietly(bound);
      removeQuietly(hidden);
    }
  },
  lockUNIX(path) {
    try {
      Deno.writeTextFileSync(`${path}.lock`, String(Deno.pid), {
        createNew: true,
      });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return false;
      throw e;
    }
    removeQuietly(path);
    return true;
  },
  unlockUNIX(path) {
    removeQuietly(`${path}.lock`);
  },
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
};
