// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// The hand-written baseline for bench/servers/echo.ts: Deno.listen, then per
// connection conn.read() into one reused 64 KiB buffer and a write-all loop.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_echo.ts PORT
const port = Number(Deno.args[0]);
if (!Number.isInteger(port) || port < 0) {
  console.error("usage: raw_echo.ts PORT");
  Deno.exit(2);
}

async function handle(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  const buf = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      let off = 0;
      while (off < n) off += await conn.write(buf.subarray(off, n));
    }
  } catch {
    // Reset or broken pipe: drop the connection.
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
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
