// Copyright 2026 the Torsion authors. MIT license.
// The raw baseline under the contract of Torsion's (and Twisted's)
// transport, written without Torsion:
// - every read lands in memory the handler may keep (a fresh 64 KiB buffer
//   after a read of 32 KiB or more, else a copy into a shared slab), as
//   dataReceived gets;
// - reading goes on while a write is pending (a peer that sends without
//   reading must not deadlock the connection), so writes are queued and
//   sent by their own loop, coalesced.
// The gap between raw_echo.ts and this server is the cost of that contract.
// Run: deno run --allow-net=127.0.0.1 bench/servers/raw_echo_owned.ts PORT
import { closeQuietly, own, type RawConn, serve, setNoDelay } from "./_raw.ts";

function concat(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function handle(conn: RawConn): Promise<void> {
  setNoDelay(conn);
  const queue: Uint8Array[] = [];
  let sending: Promise<void> | null = null;
  let failed = false;
  const send = async (): Promise<void> => {
    try {
      while (queue.length > 0 && !failed) {
        const data = queue.length === 1 ? queue.pop()! : concat(queue);
        queue.length = 0;
        let off = 0;
        while (off < data.length) off += await conn.write(data.subarray(off));
      }
    } catch {
      failed = true;
    } finally {
      sending = null;
    }
  };
  let buf = new Uint8Array(65536);
  try {
    while (!failed) {
      const n = await conn.read(buf);
      if (n === null) break;
      let data: Uint8Array;
      if (n >= 32768) {
        data = buf.subarray(0, n);
        buf = new Uint8Array(65536);
      } else {
        data = own(buf.subarray(0, n));
      }
      queue.push(data);
      sending ??= send();
    }
    await sending;
  } catch {
    // Reset or broken pipe: drop the connection.
  } finally {
    closeQuietly(conn);
  }
}

await serve("raw_echo_owned.ts", handle);
