// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// The raw line splitter under Torsion's ownership contract: like
// raw_lines.ts, but every read is first copied into memory a line handler
// may keep (a shared slab, as Torsion's transport does for reads under
// 32 KiB), and the lines are split out of that copy.
// The gap between raw_lines.ts and this server is the cost of that contract.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_lines_owned.ts PORT
const port = Number(Deno.args[0]);
if (!Number.isInteger(port) || port < 0) {
  console.error("usage: raw_lines_owned.ts PORT");
  Deno.exit(2);
}
const MAX_LENGTH = 1 << 20;
const SLAB_SIZE = 262144;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

/** Copies `data` into the shared slab; returns the copy. */
function own(data: Uint8Array): Uint8Array {
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

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function handle(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
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
      const data = own(buf.subarray(0, end));
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
    if (!(e instanceof Deno.errors.NotConnected)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    continue;
  }
  handle(conn);
}
