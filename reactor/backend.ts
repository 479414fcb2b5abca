// Copyright 2026 the Torsion authors. MIT license.
/**
 * The I/O seam: everything the reactor needs of the operating system's
 * sockets. `_deno_net.ts` implements it with `Deno.listen`/`Deno.connect`;
 * another backend (e.g. epoll through FFI) can implement it too. No other
 * module touches sockets.
 */

/** A socket address as the backend reports it. */
export type NetAddress =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "unix"; path: string };

/** A connected stream socket. */
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
  /** Sets SO_KEEPALIVE (TCP only; a no-op elsewhere). */
  setKeepAlive(enabled: boolean): void;
}

/** A listening socket. */
export interface NetListener {
  /** Waits for the next connection. Rejects once closed. */
  accept(): Promise<NetStream>;
  /** Stops listening; a pending `accept()` rejects. */
  close(): void;
  /** The address listened on. */
  readonly address: NetAddress;
}

/** What a reactor's I/O backend provides. */
export interface NetBackend {
  /** Binds a TCP listener, synchronously; throws if it cannot. */
  listenTCP(hostname: string, port: number, backlog: number): NetListener;
  /**
   * Binds a Unix listener, synchronously, and gives the socket file `mode`;
   * throws if it cannot. Closing the listener removes the file.
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
   * Whether `e`, thrown by `read`/`write`/`accept`, only reports that the
   * socket was closed locally (not a peer error).
   */
  isLocalClose(e: unknown): boolean;
}

/** Closes a socket that may be closed already. */
export function closeQuietly(stream: NetStream): void {
  try {
    stream.close();
  } catch {
    // Closed already.
  }
}
