// Copyright 2026 the Torsion authors. MIT license.
// The hand-written baseline for bench/servers/echo.ts: Deno.listen, then per
// connection conn.read() into one reused 64 KiB buffer and a write-all loop.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_echo.ts PORT
import { closeQuietly, type RawConn, serve, setNoDelay } from "./_raw.ts";

async function handle(conn: RawConn): Promise<void> {
  setNoDelay(conn);
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
    closeQuietly(conn);
  }
}

await serve("raw_echo.ts", handle);
