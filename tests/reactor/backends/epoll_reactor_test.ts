// Copyright 2026 the Torsion authors. MIT license.
// What only the epoll reactor has: its wait (parked on a thread, woken by
// events, timers going on meanwhile), 10,000 connections, a peer's reset
// in the middle of a write, and every descriptor closed afterwards. The rest
// of the transport tests run on it too (`deno task test:epoll`).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import { Echo } from "../../../protocols/wire.ts";
import { EpollReactor } from "../../../reactor/backends/epoll/epoll_reactor.ts";
import { reactorFromEnvironment } from "../../../reactor/backends/reactor_from_environment.ts";
import {
  ConnectionLost,
  Factory,
  type IPv4Address,
  Protocol,
  Reactor,
} from "../../../reactor/mod.ts";
import { runToEnd, signal } from "../../_reactor.ts";

/**
 * The number of this process's open descriptors below 65,536 (`fcntl(fd,
 * F_GETFD)` succeeds on each; reading `/proc/self/fd` would need `-A`).
 */
function openDescriptors(): number {
  const libc = Deno.dlopen("libc.so.6", {
    fcntl: { parameters: ["i32", "i32"], result: "i32" },
  });
  try {
    let n = 0;
    for (let fd = 0; fd < 65_536; fd++) {
      if (libc.symbols.fcntl(fd, 1) >= 0) n++;
    }
    return n;
  } finally {
    libc.close();
  }
}

/** Runs `fn` on a fresh EpollReactor and checks no descriptor is left open. */
async function onEpoll(
  fn: (reactor: EpollReactor) => Promise<void>,
): Promise<void> {
  const before = openDescriptors();
  const reactor = new EpollReactor();
  const done = runToEnd(reactor);
  try {
    await fn(reactor);
  } finally {
    try {
      reactor.stop();
    } catch {
      // Stopped already.
    }
    await done;
  }
  equal(openDescriptors(), before, "descriptors left open");
}

function listen(reactor: Reactor, factory: Factory, backlog = 50): number {
  factory.noisy = false;
  const port = reactor.listenTCP(0, factory, {
    interface: "127.0.0.1",
    backlog,
  });
  return (port.getHost() as IPv4Address).port;
}

Deno.test("EpollReactor runs timed calls while its wait is parked", () =>
  onEpoll(async (reactor) => {
    const port = listen(reactor, Factory.forProtocol(Echo));
    ok(port > 0);
    // Nothing happens on the socket: the wait parks; the timers still run.
    const fired: number[] = [];
    const [last, onLast] = signal();
    for (const delay of [0.01, 0.02, 0.05]) {
      reactor.callLater(delay, () => {
        fired.push(delay);
        if (fired.length === 3) onLast();
      });
    }
    await last;
    deepEqual(fired, [0.01, 0.02, 0.05]);
  }));

Deno.test("EpollReactor sends a write made from another task while its wait is parked", () =>
  onEpoll(async (reactor) => {
    const [made, onMade] = signal<Protocol>();
    class Quiet extends Protocol {
      override connectionMade(): void {
        onMade(this);
      }
    }
    const port = listen(reactor, Factory.forProtocol(Quiet));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      const server = await made;
      // Let the wait park, then write from a plain timer.
      await new Promise((r) => setTimeout(r, 20));
      setTimeout(() => server.transport.write("from a timer"), 0);
      const buf = new Uint8Array(64);
      const n = await conn.read(buf);
      equal(new TextDecoder().decode(buf.subarray(0, n ?? 0)), "from a timer");
    } finally {
      conn.close();
    }
  }));

Deno.test("EpollReactor reports a peer's reset in the middle of a write as ConnectionLost, and serves on", () =>
  onEpoll(async (reactor) => {
    const [lost, onLost] = signal<Failure>();
    const [made, onMade] = signal();
    class Flood extends Protocol {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({ max: Infinity });
        // More than the socket buffers hold: the write waits for EPOLLOUT.
        this.transport.write(new Uint8Array(32 * 1024 * 1024));
        onMade();
      }
      override connectionLost(reason: Failure): void {
        onLost(reason);
      }
    }
    const port = listen(reactor, Factory.forProtocol(Flood));
    const libc = Deno.dlopen("libc.so.6", {
      socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
      connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
      setsockopt: {
        parameters: ["i32", "i32", "i32", "buffer", "u32"],
        result: "i32",
      },
      close: { parameters: ["i32"], result: "i32" },
    });
    try {
      // A blocking client socket that resets (SO_LINGER 0) when closed.
      const fd = libc.symbols.socket(2, 1, 0);
      const addr = new Uint8Array(16);
      const dv = new DataView(addr.buffer);
      dv.setUint16(0, 2, true);
      dv.setUint16(2, port, false);
      addr.set([127, 0, 0, 1], 4);
      equal(libc.symbols.connect(fd, addr, 16), 0);
      await made;
      const linger = new Uint8Array(new Int32Array([1, 0]).buffer);
      libc.symbols.setsockopt(fd, 1, 13, linger, 8);
      libc.symbols.close(fd);
    } finally {
      libc.close();
    }
    const reason = await lost;
    ok(reason.check(ConnectionLost), String(reason.value));
    // The listener serves on.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
  }));

Deno.test("EpollReactor sends mixed small and large writes with writev, through partial writes, in order", () =>
  onEpoll(async (reactor) => {
    // 200 pairs of a staged small write and a large one, all queued in one
    // turn: several MiB, far more than the socket takes at once.
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      pieces.push(new Uint8Array(100).fill(i & 255));
      pieces.push(new Uint8Array(50_000).fill((i + 128) & 255));
    }
    const total = pieces.reduce((n, p) => n + p.length, 0);
    class Sender extends Protocol {
      override connectionMade(): void {
        this.transport.setWriteBufferLimits({ max: Infinity });
        for (const p of pieces) this.transport.write(p);
        this.transport.loseConnection();
      }
    }
    const port = listen(reactor, Factory.forProtocol(Sender));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const got = new Uint8Array(total + 1);
    let n = 0;
    for (;;) {
      const r = await conn.read(got.subarray(n));
      if (r === null) break;
      n += r;
    }
    conn.close();
    equal(n, total);
    let at = 0;
    for (const p of pieces) {
      ok(
        got.subarray(at, at + p.length).every((b) => b === p[0]),
        `bytes at ${at}`,
      );
      at += p.length;
    }
  }));

Deno.test("EpollReactor half-closes: the peer's end of stream reaches readConnectionLost, and the reply still goes out", () =>
  onEpoll(async (reactor) => {
    const [readLost, onReadLost] = signal<string>();
    class Collect extends Protocol {
      received = "";
      override dataReceived(data: Uint8Array): void {
        this.received += new TextDecoder().decode(data);
      }
      readConnectionLost(): void {
        onReadLost(this.received);
        this.transport.write(`got ${this.received.length} bytes`);
        this.transport.loseConnection();
      }
    }
    const port = listen(reactor, Factory.forProtocol(Collect));
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("request"));
      await conn.closeWrite();
      equal(await readLost, "request");
      const reply = new Uint8Array(64);
      let n = 0;
      for (;;) {
        const r = await conn.read(reply.subarray(n));
        if (r === null) break;
        n += r;
      }
      equal(new TextDecoder().decode(reply.subarray(0, n)), "got 7 bytes");
    } finally {
      conn.close();
    }
  }));

Deno.test("EpollReactor serves 10,000 connections at once", () =>
  // The client runs in another process: its 10,000 descriptors count there.
  onEpoll(async (reactor) => {
    const count = 10_000;
    let open = 0;
    let max = 0;
    const [allGone, onAllGone] = signal();
    class Counting extends Echo {
      override connectionMade(): void {
        max = Math.max(max, ++open);
      }
      override connectionLost(): void {
        if (--open === 0) onAllGone();
      }
    }
    // A client that connects 10,000 times in a row outruns any accept loop
    // behind Twisted's default backlog of 50 (the kernel drops the SYNs
    // past it and the client retries a second later): a server expecting
    // bursts asks for a deeper queue.
    const port = listen(reactor, Factory.forProtocol(Counting), 4096);
    const client = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `
        const conns = [];
        for (let i = 0; i < ${count}; i++) {
          conns.push(await Deno.connect({ hostname: "127.0.0.1", port: ${port} }));
        }
        const buf = new Uint8Array(1);
        let echoed = 0;
        await Promise.all(conns.map(async (c) => {
          await c.write(new Uint8Array([7]));
          if ((await c.read(buf)) === 1 && buf[0] === 7) echoed++;
        }));
        console.log(echoed);
        for (const c of conns) c.close();
        `,
      ],
      stdout: "piped",
      stderr: "piped",
    });
    const out = await client.output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    equal(new TextDecoder().decode(out.stdout).trim(), String(count));
    equal(max, count);
    // Every connection ends once the client has closed them.
    await allGone;
    equal(open, 0);
  }));

Deno.test("reactorFromEnvironment() builds the default reactor without TORSION_REACTOR", () => {
  const r = reactorFromEnvironment();
  ok(r instanceof Reactor);
  ok(!(r instanceof EpollReactor));
});

Deno.test("TORSION_REACTOR=epoll,default falls back to the default reactor without --allow-ffi", async () => {
  const script = `
    const { reactorFromEnvironment, EpollReactor } = await import(${
    JSON.stringify(
      new URL("../../../reactor/mod.ts", import.meta.url).href,
    )
  });
    const r = reactorFromEnvironment();
    console.log(r instanceof EpollReactor ? "epoll" : "default");
    try {
      Deno.env.set("TORSION_REACTOR", "epoll");
      reactorFromEnvironment();
    } catch (e) {
      console.log(e.message);
    }
  `;
  // Without --allow-ffi, epoll cannot run: the default reactor is built.
  const file = await Deno.makeTempFile({ suffix: ".js" });
  let run: Deno.CommandOutput;
  try {
    await Deno.writeTextFile(file, script);
    run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--allow-env", "--allow-read", file],
      env: { TORSION_REACTOR: "epoll,default" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    await Deno.remove(file);
  }
  const lines = new TextDecoder().decode(run.stdout).trim().split("\n");
  equal(lines[0], "default", new TextDecoder().decode(run.stderr));
  equal(lines[1], "Cannot use the epoll reactor: run Deno with --allow-ffi");
});
