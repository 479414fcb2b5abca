// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// The raw baseline under Torsion's ownership contract: like raw_echo.ts, but
// every read lands in memory the handler may keep (a fresh 64 KiB buffer
// after a read of 32 KiB or more, else a copy), as Torsion's dataReceived
// gets.
// The gap between raw_echo.ts and this server is the cost of that contract.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_echo_owned.ts PORT
const port = Number(Deno.args[0]);
if (!Number.isInteger(port) || port < 0) {
  console.error("usage: raw_echo_owned.ts PORT");
  Deno.exit(2);
}

async function handle(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  let buf = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      // Bytes the handler may keep: hand the buffer over (and take a new
      // one) for a large read, copy a small one.
      let data: Uint8Array;
      if (n >= 32768) {
        data = buf.subarray(0, n);
        buf = new Uint8Array(65536);
      } else {
        data = buf.slice(0, n);
      }
      let off = 0;
      while (off < n) off += await conn.write(data.subarray(off, n));
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
