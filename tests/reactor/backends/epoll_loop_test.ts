// Copyright 2026 the Torsion authors. MIT license.
// The epoll wait loop on its own, with libc's epoll_pwait2 (a short wait in
// the kernel before parking) and without it (older glibc or kernels: a
// spin), and with a kernel that lacks the call (ENOSYS): events come
// through, timers run meanwhile, and stop() wakes a parked wait.
import { deepEqual, equal } from "node:assert/strict";
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
