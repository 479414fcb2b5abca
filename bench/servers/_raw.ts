// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// What the raw servers share: the port argument, the accept loop, closing a
// connection, and (for the contract baselines) a copy into owned memory.

/**
 * Listens on 127.0.0.1 at the port given as first argument (0: any), prints
 * the port, and hands each accepted connection to `handle`, which closes it
 * through {@linkcode closeQuietly}. Exits with 2 on a bad argument.
 */
export async function serve(
  name: string,
  handle: (conn: Deno.TcpConn) => Promise<void>,
): Promise<never> {
  const port = Number(Deno.args[0]);
  if (!Number.isInteger(port) || port < 0) {
    console.error(`usage: ${name} PORT`);
    Deno.exit(2);
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  console.log((listener.addr as Deno.NetAddr).port);
  for (;;) {
    let conn: Deno.TcpConn;
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
