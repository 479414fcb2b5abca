// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// What the raw servers share: the port argument (and `--tls` after it), the
// accept loop, closing a connection, and (for the contract baselines) a copy
// into owned memory.
import { CERT_FILE, KEY_FILE, wantsTLS } from "./_tls.ts";

/** A connection of a raw server: TCP, or TLS with `--tls`. */
export type RawConn = Deno.TcpConn | Deno.TlsConn;

/**
 * Listens on 127.0.0.1 at the port given as first argument (0: any), prints
 * the port, and hands each accepted connection to `handle`, which closes it
 * through {@linkcode closeQuietly}. With `--tls` after the port it listens
 * with `Deno.listenTls` and the tests' key and certificate (`_tls.ts`).
 * Exits with 2 on a bad argument.
 */
export async function serve(
  name: string,
  handle: (conn: RawConn) => Promise<void>,
): Promise<never> {
  const port = Number(Deno.args[0]);
  if (!Number.isInteger(port) || port < 0) {
    console.error(`usage: ${name} PORT [--tls]`);
    Deno.exit(2);
  }
  const listener: Deno.Listener<RawConn> = wantsTLS()
    ? Deno.listenTls({
      hostname: "127.0.0.1",
      port,
      cert: await Deno.readTextFile(CERT_FILE),
      key: await Deno.readTextFile(KEY_FILE),
    })
    : Deno.listen({ hostname: "127.0.0.1", port });
  console.log((listener.addr as Deno.NetAddr).port);
  for (;;) {
    let conn: RawConn;
    try {
      conn = await listener.accept();
    } catch (e) {
      // A client that resets before accept() makes it throw NotConnected.
      if (!(e instanceof Deno.errors.NotConnected)) {
        await new Promise((r) => setTimeout(r, 10));
      }
      continue;
    }
    handle(conn);
  }
}

/**
 * Sets `TCP_NODELAY` on a TCP connection; a `TlsConn` has no
 * `setNoDelay` (Torsion's accepted TLS connections cannot set it either).
 */
export function setNoDelay(conn: RawConn): void {
  if ("setNoDelay" in conn) conn.setNoDelay(true);
}

/** Closes `conn`, ignoring that it may be closed already. */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

const SLAB_SIZE = 262144;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

/**
 * Copies `data` into memory a handler may keep: a view of a shared slab, as
 * Torsion's transport does for reads under 32 KiB.
 */
export function own(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n > SLAB_SIZE) return data.slice();
  if (slabUsed + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const start = slabUsed;
  slab.set(data, start);
  slabUsed = (start + n + 7) & ~7;
  return new Uint8Array(slab.buffer, start, n);
}
