// Copyright 2026 the Torsion authors. MIT license.
// The reactor's threads (Twisted's IReactorThreads): its pool, started when
// it runs and stopped at its shutdown; callInThread; callFromThread; and a
// CPU-bound task in a worker while a LoopingCall keeps its time.
import { deepEqual, equal, ok } from "node:assert/strict";
import { LoopingCall } from "../../../reactor/mod.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import { deferToThreadPool } from "../../../reactor/threads/mod.ts";
import { newReactor, runToEnd, signal, withReactor } from "../../_reactor.ts";
import { waiting } from "./_main_side.ts";

const WORK = new URL("./_work.ts", import.meta.url).href;

Deno.test("reactor.getThreadPool() makes one pool of 0 to 10 workers, started when the reactor runs", async () => {
  const reactor = newReactor();
  const pool = reactor.getThreadPool();
  equal(reactor.getThreadPool(), pool);
  deepEqual([pool.min, pool.max, pool.started], [0, 10, false]);
  reactor.callWhenRunning(() => {
    equal(pool.started, true);
    reactor.stop();
  });
  await runToEnd(reactor);
  equal(pool.started, false);
  equal(pool.joined, true);
  equal(pool.workers, 0);
});

Deno.test("reactor.suggestThreadPoolSize() sets the pool's maximum", async () => {
  await withReactor((reactor) => {
    reactor.suggestThreadPoolSize(2);
    equal(reactor.getThreadPool().max, 2);
  });
});

Deno.test("reactor.callInThread() runs a function in the pool", async () => {
  await withReactor(async (reactor) => {
    const next = new Promise((resolve) => waiting.push(resolve));
    reactor.callInThread(WORK, "notify", "from callInThread");
    equal(await next, "from callInThread");
  });
});

Deno.test("reactor.callFromThread() runs calls on a later iteration, in order; an error is logged", async () => {
  using log = captureLog();
  await withReactor(async (reactor) => {
    const seen: number[] = [];
    const [done, onDone] = signal();
    reactor.callFromThread((n: number) => seen.push(n), 1);
    reactor.callFromThread(() => {
      throw new RangeError("in a call from a thread");
    });
    reactor.callFromThread((n: number) => seen.push(n), 2);
    reactor.callFromThread(() => onDone());
    deepEqual(seen, []);
    await done;
    deepEqual(seen, [1, 2]);
    equal(log.flushLoggedErrors(RangeError).length, 1);
  });
});

Deno.test("a CPU-bound task in a worker leaves the reactor free: a LoopingCall keeps ticking on time", async () => {
  await withReactor(async (reactor) => {
    const ticks: number[] = [];
    const lc = new LoopingCall(() => void ticks.push(performance.now()));
    lc.clock = reactor;
    lc.start(0.01);
    const loops = await deferToThreadPool<number>(
      reactor,
      reactor.getThreadPool(),
      WORK,
      "spin",
      300,
    );
    lc.stop();
    ok(loops > 0);
    // About 30 ticks in 300 ms; the machine may be busy, so ask for a third.
    ok(ticks.length >= 10, `${ticks.length} ticks`);
    let longest = 0;
    for (let i = 1; i < ticks.length; i++) {
      longest = Math.max(longest, ticks[i] - ticks[i - 1]);
    }
    ok(longest < 150, `longest gap ${longest.toFixed(1)} ms`);
  });
});

Deno.test("the reactor's shutdown waits for a running task, then leaves no worker", async () => {
  const reactor = newReactor();
  const pool = reactor.getThreadPool();
  let result: unknown = null;
  reactor.callWhenRunning(() => {
    pool.callInThreadWithCallback((_ok, v) => result = v, WORK, "spin", 50);
    reactor.stop();
  });
  await runToEnd(reactor);
  ok(typeof result === "number" && result > 0);
  equal(pool.workers, 0);
});
