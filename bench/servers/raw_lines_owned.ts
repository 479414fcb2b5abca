// Copyright 2026 the Torsion authors. MIT license.
// The raw line splitter under the contract of Torsion's transport: like
// raw_lines.ts, but every read is first copied into memory a line handler
// may keep (a shared slab, as Torsion's transport does for reads under
// 32 KiB) and the lines are split out of that copy, and reading goes on
// while a write is pending (the echoed lines are double-buffered).
// The gap between raw_lines.ts and this server is the cost of that contract.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_lines_owned.ts PORT
import { closeQuietly, own, type RawConn, serve, setNoDelay } from "./_raw.ts";

const MAX_LENGTH = 1 << 20;
async function handle(conn: RawConn): Promise<void> {
  setNoDelay(conn);
  let buf = new Uint8Array(65536);
  // Lines echoed are appended to `fill`; the send loop swaps it with
  // `spare` and writes it, so reading goes on while a write is pending.
  let fill = new Uint8Array(65536);
  let spare = new Uint8Array(65536);
  let fillLen = 0;
  let sending: Promise<void> | null = null;
  let failed = false;
  const send = async (): Promise<void> => {
    try {
      while (fillLen > 0 && !failed) {
        const data = fill.subarray(0, fillLen);
        [fill, spare] = [spare, fill];
        fillLen = 0;
        let off = 0;
        while (off < data.length) off += await conn.write(data.subarray(off));
      }
    } catch {
      failed = true;
    } finally {
      sending = null;
    }
  };
  let have = 0;
  try {
    while (!failed) {
      const n = await conn.read(buf.subarray(have));
      if (n === null) break;
      const end = have + n;
      let start = 0;
      const data = own(buf.subarray(0, end));
      let nl = data.indexOf(10, have);
      while (nl !== -1) {
        const line = data.subarray(start, nl);
        if (fillLen + line.length + 1 > fill.length) {
          const grown = new Uint8Array((fillLen + line.length + 1) * 2);
          grown.set(fill.subarray(0, fillLen));
          fill = grown;
        }
        fill.set(line, fillLen);
        fill[fillLen + line.length] = 10;
        fillLen += line.length + 1;
        start = nl + 1;
        nl = data.indexOf(10, start);
      }
      have = end - start;
      if (start > 0 && have > 0) buf.copyWithin(0, start, end);
      if (fillLen > 0) sending ??= send();
      if (have === buf.length) {
        if (buf.length >= MAX_LENGTH) break;
        const grown = new Uint8Array(buf.length * 2);
        grown.set(buf);
        buf = grown;
      }
    }
    await sending;
  } catch {
    // Reset or broken pipe.
  } finally {
    closeQuietly(conn);
  }
}

await serve("raw_lines_owned.ts", handle);
