// Copyright 2026 the Torsion authors. MIT license.
// Write buffer limits: a transport stops reading from a peer that does not
// read what it is sent, aborts past its ceiling, and lets go of the memory
// of a closed connection.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  ConnectionAborted,
  Factory,
  Protocol,
  WriteBufferOverflow,
} from "../../../reactor/mod.ts";
import type { Connection } from "../../../reactor/transports/connection.ts";
import { captureLog, StringTransport } from "../../../reactor/testing/mod.ts";
import { signal, turn, withReactor } from "../../_reactor.ts";
import { collector, Echo, listen, Recorder } from "../../_tcp.ts";

const decoder = new TextDecoder();

/** The largest read a transport makes. */
const MAX_READ = 65536;

/** Writes `payload` to `conn` in the background; `written()` tells how far it got. */
function writeInBackground(conn: Deno.Conn, payload: Uint8Array) {
  let written = 0;
  const done = (async () => {
    while (written < payload.length) {
      written += await conn.write(
        payload.subarray(written, written + 1024 * 1024),
      );
    }
  })();
  return { done, written: () => written };
}

/**
 * Waits until `progress()` has stopped changing for `turns` turns of the
 * event loop, or `finished` has settled: evidence that the other side holds
 * back (checking that something does not happen, not waiting for an event).
 */
async function untilStalled(
  progress: () => number,
  finished: Promise<unknown>,
  turns = 50,
): Promise<void> {
  let settled = false;
  finished.then(() => settled = true, () => settled = true);
  let last = -1;
  let still = 0;
  while (!settled && still < turns) {
    await turn();
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

Deno.test("Connection stops reading from a peer that does not read, stays bounded, and echoes everything once it does", async () => {
  await withReactor(async (reactor) => {
    let server: Connection | undefined;
    let maxBuffered = 0;
    let received = 0;
    const [paused, onPaused] = signal();
    class Watched extends Echo {
      override connectionMade(): void {
        server = this.transport as unknown as Connection;
      }
      override dataReceived(data: Uint8Array): void {
        received += data.length;
        super.dataReceived(data);
        const buffered = this.transport.getWriteBufferSize();
        maxBuffered = Math.max(maxBuffered, buffered);
        if (buffered > 65536) onPaused();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Watched));
    const size = 48 * 1024 * 1024;
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 11) & 0xff;
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: n });
    try {
      const writer = writeInBackground(conn, payload);
      // The peer reads nothing: the server's buffer passes its limit...
      await paused;
      // ...and the server stops reading, so the peer's writes stall once the
      // kernels' buffers are full, long before 48 MiB.
      await untilStalled(writer.written, writer.done);
      ok(writer.written() < size, `the peer wrote all ${size} bytes`);
      ok(
        maxBuffered <= 65536 + MAX_READ,
        `the server buffered ${maxBuffered} bytes`,
      );
      ok(received < size / 2, `the server read ${received} bytes`);
      // Now the peer reads: everything comes back, intact.
      const got = new Uint8Array(size);
      let have = 0;
      while (have < size) {
        const r = await conn.read(got.subarray(have));
        if (r === null) break;
        have += r;
      }
      await writer.done;
      equal(have, size);
      ok(got.every((b, i) => b === payload[i]), "the echo is intact");
      ok(
        maxBuffered <= 65536 + MAX_READ,
        `the server buffered ${maxBuffered} bytes`,
      );
      equal(server!.getWriteBufferSize(), 0);
    } finally {
      conn.close();
    }
  });
});

Deno.test("Connection aborts with WriteBufferOverflow past its ceiling, and the listener lives on", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    class Pusher extends Protocol {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({ max: 4 * 1024 * 1024 });
        // Writes that no input drives (a broadcast, a feed): reading paused
        // or not, they reach the buffer.
        const push = () => {
          if (!this.transport.connected) return;
          this.transport.write(new Uint8Array(256 * 1024));
          reactor.callLater(0, push);
        };
        push();
      }
      override dataReceived(data: Uint8Array): void {
        this.transport.write(data);
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Pusher));
    // A peer that never reads.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: n });
    try {
      const reason = await lost;
      ok(reason.check(ConnectionAborted));
      ok(reason.value instanceof WriteBufferOverflow);
      equal(reason.value.limit, 4 * 1024 * 1024);
      ok(reason.value.buffered > 4 * 1024 * 1024);
      ok(
        captured.events.some((e) =>
          e.isError &&
          e.message === "Aborting a connection whose peer does not read"
        ),
      );
      equal(captured.flushLoggedErrors(WriteBufferOverflow).length, 1);
    } finally {
      conn.close();
    }
    // The listener still serves a peer that reads.
    class Quiet extends Echo {}
    const [, m] = listen(reactor, Factory.forProtocol(Quiet));
    const c = collector("ok", 2);
    reactor.connectTCP("127.0.0.1", m, new Recorder(c.Collector));
    await c.lost;
    equal(decoder.decode(c.bytes()), "ok");
  });
});

Deno.test("Connection with pauseReading false reads on past its limit", async () => {
  await withReactor(async (reactor) => {
    let maxBuffered = 0;
    const [enough, onEnough] = signal();
    class Unbounded extends Echo {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({ pauseReading: false });
      }
      override dataReceived(data: Uint8Array): void {
        super.dataReceived(data);
        maxBuffered = Math.max(
          maxBuffered,
          this.transport.getWriteBufferSize(),
        );
        if (maxBuffered > 1024 * 1024) onEnough();
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Unbounded));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: n });
    const payload = new Uint8Array(24 * 1024 * 1024);
    const writer = writeInBackground(conn, payload);
    try {
      // Without the pause, the server buffers well past its high mark.
      await enough;
      ok(maxBuffered > 1024 * 1024);
    } finally {
      conn.close();
      await writer.done.catch(() => {});
    }
  });
});

Deno.test("Connection lets go of the buffers of a connection lost with writes pending", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error("Cannot check collection: run with --v8-flags=--expose-gc");
  }
  const refs: WeakRef<Uint8Array>[] = [];
  await withReactor(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    class Pusher extends Protocol {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({ max: 8 * 1024 * 1024 });
        const push = () => {
          if (!this.transport.connected) return;
          const chunk = new Uint8Array(512 * 1024);
          refs.push(new WeakRef(chunk));
          this.transport.write(chunk);
          reactor.callLater(0, push);
        };
        push();
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const [, n] = listen(reactor, Factory.forProtocol(Pusher));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: n });
    using _captured = captureLog();
    ok((await lost).check(WriteBufferOverflow));
    conn.close();
  });
  ok(refs.length > 16);
  for (let i = 0; i < 5 && refs.some((r) => r.deref() !== undefined); i++) {
    await turn();
    gc();
  }
  deepEqual(
    refs.filter((r) => r.deref() !== undefined).length,
    0,
    "every queued buffer was collected",
  );
});

Deno.test("StringTransport.setWriteBufferLimits() checks max >= high >= low >= 0 as a transport does", () => {
  const t = new StringTransport();
  throws(() => t.setWriteBufferLimits({ low: 70_000 }), RangeError);
  throws(() => t.setWriteBufferLimits({ high: 10, max: 5 }), RangeError);
  throws(() => t.setWriteBufferLimits({ low: -1 }), RangeError);
  throws(() => t.setWriteBufferLimits({ high: NaN }), TypeError);
  t.setWriteBufferLimits({ high: 1024, low: 256 });
  deepEqual(t.getWriteBufferLimits(), {
    high: 1024,
    low: 256,
    max: 16 * 1024 * 1024,
    pauseReading: true,
  });
  t.setWriteBufferLimits({ pauseReading: false, max: Infinity });
  deepEqual(t.getWriteBufferLimits(), {
    high: 1024,
    low: 256,
    max: Infinity,
    pauseReading: false,
  });
});
