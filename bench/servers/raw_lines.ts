// Copyright 2026 the Torsion authors. MIT license.
// The hand-written baseline for bench/servers/lines.ts: conn.read() into a
// reused buffer, split on "\n" with a carry-over, every complete line echoed
// with its "\n", one coalesced write per read.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_lines.ts PORT
import { closeQuietly, type RawConn, serve, setNoDelay } from "./_raw.ts";

const MAX_LENGTH = 1 << 20;

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function handle(conn: RawConn): Promise<void> {
  setNoDelay(conn);
  let buf = new Uint8Array(65536);
  let out = new Uint8Array(65536);
  let have = 0;
  try {
    for (;;) {
      const n = await conn.read(buf.subarray(have));
      if (n === null) break;
      const end = have + n;
      let start = 0;
      let outLen = 0;
      const data = buf.subarray(0, end);
      let nl = data.indexOf(10, have);
      while (nl !== -1) {
        const line = data.subarray(start, nl);
        out.set(line, outLen);
        out[outLen + line.length] = 10;
        outLen += line.length + 1;
        start = nl + 1;
        nl = data.indexOf(10, start);
      }
      have = end - start;
      if (start > 0 && have > 0) buf.copyWithin(0, start, end);
      if (outLen > 0) await writeAll(conn, out.subarray(0, outLen));
      if (have === buf.length) {
        if (buf.length >= MAX_LENGTH) break;
        const grown = new Uint8Array(buf.length * 2);
        grown.set(buf);
        buf = grown;
        out = new Uint8Array(buf.length);
      }
    }
  } catch {
    // Reset or broken pipe.
  } finally {
    closeQuietly(conn);
  }
}

await serve("raw_lines.ts", handle);
