// Copyright 2026 the Torsion authors. MIT license.
// The epoll wait loop on its own, with libc's epoll_pwait2 (a short wait in
// the kernel before parking) and without it (older glibc or kernels: a
// spin), and with a kernel that lacks the call (ENOSYS): events come
// through, timers run meanwhile, and stop() wakes a parked wait.
import { deepEqual, equal, ok } from "node:assert/strict";
import { EpollLoop } from "../../../reactor/backends/epoll/_epoll_loop.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  ENOSYS,
  EPOLLIN,
  type Libc,
  openLibc,
} from "../../../reactor/backends/epoll/_libc.ts";
import { signal } from "../../_reactor.ts";

/** The three ways the loop can find `epoll_pwait2`. */
const VARIANTS: [string, (libc: Libc) => Libc][] = [
  ["with epoll_pwait2", (libc) => libc],
  [
    "without epoll_pwait2 (spinning)",
    (libc) => ({ ...libc, epoll_pwait2: null }),
  ],
  ["with a kernel that lacks epoll_pwait2 (ENOSYS)", (libc) => {
    const errnoAt = new Int32Array(1);
    return {
      ...libc,
      epoll_pwait2: () => {
        // What the kernel says: -1 with errno ENOSYS.
        errnoAt[0] = ENOSYS;
        return -1;
      },
      __errno_location: () => Deno.UnsafePointer.of(errnoAt),
    };
  }],
];

for (const [name, adapt] of VARIANTS) {
  Deno.test(`EpollLoop ${name} delivers events in bursts and apart, runs timers, and stops`, async () => {
    const opened = openLibc();
    const libc = adapt(opened.libc);
    const loop = new EpollLoop(libc);
    const efd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const one = new Uint8Array(new BigUint64Array([1n]).buffer);
    const drain = new Uint8Array(8);
    const seen: number[] = [];
    let next = signal();
    try {
      const token = loop.add(efd, EPOLLIN, {
        onEvents: () => {
          libc.read(efd, drain, 8);
          seen.push(seen.length);
          next[1]();
        },
      });
      const running = loop.start();
      // Right after an event (the short wait or the spin), and long after
      // one (parked): both come through.
      for (const pause of [0, 0, 5, 0, 30]) {
        next = signal();
        await new Promise((r) => setTimeout(r, pause));
        libc.write(efd, one, 8);
        await next[0];
      }
      deepEqual(seen, [0, 1, 2, 3, 4]);
      // A timer runs while the loop waits.
      const [fired, onFired] = signal();
      setTimeout(onFired, 1);
      await fired;
      loop.remove(efd, token);
      loop.stop();
      await running;
      equal(loop.idle, true);
    } finally {
      libc.close(efd);
      loop.close();
      opened.close();
    }
  });
}

/**
 * A loop holding the JavaScript thread for `holdMs` after each event of an
 * eventfd it watches; `fire()` makes one such event and resolves once the
 * loop has dispatched it.
 */
async function withHoldingLoop(
  holdMs: number,
  nextDue: (() => number) | undefined,
  body: (fire: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const opened = openLibc();
  const libc = opened.libc;
  const loop = new EpollLoop(libc, holdMs);
  const efd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  const one = new Uint8Array(new BigUint64Array([1n]).buffer);
  const drain = new Uint8Array(8);
  let dispatched = signal();
  const token = loop.add(efd, EPOLLIN, {
    onEvents: () => {
      libc.read(efd, drain, 8);
      dispatched[1]();
    },
  });
  const running = loop.start(nextDue);
  try {
    await body(() => {
      dispatched = signal();
      libc.write(efd, one, 8);
      return dispatched[0];
    });
    loop.remove(efd, token);
  } finally {
    loop.stop();
    await running;
    libc.close(efd);
    loop.close();
    opened.close();
  }
}

// The hold is a minute here: each of these would take that long if the
// loop held the thread through what should end its wait.
const LONG_HOLD_MS = Number(Deno.env.get("HOLD") ?? 60_000);

Deno.test("EpollLoop: Deno's own sockets are served while the loop's descriptors are never idle", async () => {
  const opened = openLibc();
  const libc = opened.libc;
  const loop = new EpollLoop(libc);
  const efd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  const one = new Uint8Array(new BigUint64Array([1n]).buffer);
  const drain = new Uint8Array(8);
  // Each event makes the next: the loop always has one ready, up to a
  // bound that ends the test if Deno's sockets starve.
  const BOUND = 3_000_000;
  let events = 0;
  let stopped = false;
  const [exhausted, onExhausted] = signal();
  const token = loop.add(efd, EPOLLIN, {
    onEvents: () => {
      libc.read(efd, drain, 8);
      if (!stopped && ++events < BOUND) libc.write(efd, one, 8);
      else onExhausted();
    },
  });
  const running = loop.start();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    libc.write(efd, one, 8);
    const exchange = (async () => {
      for (let i = 0; i < 3; i++) {
        const accepted = listener.accept();
        const client = await Deno.connect({
          hostname: "127.0.0.1",
          port: listener.addr.port,
        });
        const server = await accepted;
        await client.write(new Uint8Array([i]));
        const got = new Uint8Array(1);
        equal(await server.read(got), 1);
        deepEqual([...got], [i]);
        client.close();
        server.close();
      }
      return events;
    })();
    const at = await Promise.race([exchange, exhausted.then(() => BOUND)]);
    ok(at < BOUND, "Deno's sockets starved while epoll events kept coming");
    stopped = true;
    await exhausted;
  } finally {
    loop.remove(efd, token);
    loop.stop();
    await running;
    libc.close(efd);
    loop.close();
    opened.close();
  }
});

Deno.test("EpollLoop: the hold on the thread ends when the next reactor timer is due", async () => {
  let due = Infinity;
  await withHoldingLoop(LONG_HOLD_MS, () => due, async (fire) => {
    const started = performance.now();
    await fire();
    due = performance.now() + 20;
    // Only a hop lets this timer run; the hold ends at `due`.
    await new Promise((r) => setTimeout(r, 20));
    ok(performance.now() - started < LONG_HOLD_MS / 2);
  });
});

Deno.test("EpollLoop: promise callbacks queued by a handler run before the next batch", async () => {
  await withHoldingLoop(LONG_HOLD_MS, undefined, async (fire) => {
    const started = performance.now();
    // Each round's promise settles inside the hold (no macrotask hop).
    for (let i = 0; i < 5; i++) await fire();
    ok(performance.now() - started < LONG_HOLD_MS / 2);
  });
});
