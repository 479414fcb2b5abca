// Copyright 2026 the Torsion authors. MIT license.
// Timed calls: the reactor's callLater (one binary heap, one host timer)
// beside one host timer per call (setTimeout), and the test Clock beside a
// hand-written sorted array.
import { Reactor } from "../reactor/mod.ts";
import { Clock } from "../reactor/testing/mod.ts";
import { benchOptions } from "./_smoke.ts";

const N = 100_000;
/** Calls that actually fire (fewer: each waits for a host timer turn). */
const FIRED = 10_000;

/**
 * Delays in seconds, 1–2 s and out of order, so that the heap really sorts
 * and nothing falls due while the benchmark runs.
 */
const DELAYS = Array.from({ length: N }, (_, i) => 1 + ((i * 7919) % N) / N);

const noop = (): void => {};

/**
 * Waits for `p`, but fails after 10 s: a broken reactor must fail the
 * benchmark (and CI's smoke run), not hang it.
 */
async function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out after 10 s: ${what}`)),
          10_000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `body` on a running reactor, timing only `body`; stops it after. */
async function onRunningReactor(
  b: Deno.BenchContext,
  body: (r: Reactor) => void | Promise<void>,
): Promise<void> {
  const r = new Reactor();
  const done = r.run({ installSignalHandlers: false });
  try {
    b.start();
    await bounded(Promise.resolve(body(r)), "the timed calls");
    b.end();
  } finally {
    r.stop();
    await bounded(done, "the reactor's shutdown");
  }
}

Deno.bench({
  name: "setTimeout + clearTimeout ×100,000",
  group: "schedule-cancel",
  baseline: true,
  ...benchOptions,
  fn(b) {
    const ids: ReturnType<typeof setTimeout>[] = new Array(N);
    b.start();
    for (let i = 0; i < N; i++) ids[i] = setTimeout(noop, DELAYS[i] * 1000);
    for (let i = 0; i < N; i++) clearTimeout(ids[i]);
    b.end();
  },
});

Deno.bench({
  name: "Reactor.callLater + cancel ×100,000 (running reactor)",
  group: "schedule-cancel",
  ...benchOptions,
  async fn(b) {
    await onRunningReactor(b, (r) => {
      const calls = new Array(N);
      for (let i = 0; i < N; i++) calls[i] = r.callLater(DELAYS[i], noop);
      for (let i = 0; i < N; i++) calls[i].cancel();
      if (r.getDelayedCalls().length !== 0) throw new Error("calls left");
    });
  },
});

Deno.bench({
  name: "setTimeout(0) ×10,000, all fired",
  group: "fire",
  baseline: true,
  ...benchOptions,
  async fn() {
    let left = FIRED;
    const { promise, resolve } = Promise.withResolvers<void>();
    const f = () => {
      if (--left === 0) resolve();
    };
    for (let i = 0; i < FIRED; i++) setTimeout(f, 0);
    await promise;
  },
});

Deno.bench({
  name: "Reactor.callLater(0) ×10,000, all fired (running reactor)",
  group: "fire",
  ...benchOptions,
  async fn(b) {
    await onRunningReactor(b, async (r) => {
      let left = FIRED;
      const { promise, resolve } = Promise.withResolvers<void>();
      const f = () => {
        if (--left === 0) resolve();
      };
      for (let i = 0; i < FIRED; i++) r.callLater(0, f);
      await promise;
    });
  },
});

// A chain: each call schedules the next (a Cooperator, a LoopingCall at
// interval 0, deferLater(0)). Deno holds a setTimeout(0) for about 2 ms;
// the reactor runs due calls on the next macrotask instead.
const CHAIN = 200;

Deno.bench({
  name: "setTimeout(0) chained ×200",
  group: "chain",
  baseline: true,
  ...benchOptions,
  async fn() {
    let left = CHAIN;
    const { promise, resolve } = Promise.withResolvers<void>();
    const f = () => {
      if (--left === 0) resolve();
      else setTimeout(f, 0);
    };
    setTimeout(f, 0);
    await promise;
  },
});

Deno.bench({
  name: "Reactor.callLater(0) chained ×200 (running reactor)",
  group: "chain",
  ...benchOptions,
  async fn(b) {
    await onRunningReactor(b, async (r) => {
      let left = CHAIN;
      const { promise, resolve } = Promise.withResolvers<void>();
      const f = () => {
        if (--left === 0) resolve();
        else r.callLater(0, f);
      };
      r.callLater(0, f);
      await promise;
    });
  },
});

// Clock.advance pops the due calls off a binary heap one by one: O(n log n)
// for n calls, as sorting them is.

Deno.bench({
  name: "hand-written: sort 100,000 deadlines, run them in order",
  group: "clock-advance",
  baseline: true,
  ...benchOptions,
  fn() {
    let ran = 0;
    const f = () => ran++;
    const calls: { time: number; seq: number; f: () => void }[] = [];
    for (let i = 0; i < N; i++) calls.push({ time: DELAYS[i], seq: i, f });
    calls.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const c of calls) c.f();
    if (ran !== N) throw new Error("wrong count");
  },
});

Deno.bench({
  name: "Clock: 100,000 callLaters, one advance() runs them all",
  group: "clock-advance",
  ...benchOptions,
  fn() {
    let ran = 0;
    const f = () => ran++;
    const clock = new Clock();
    for (let i = 0; i < N; i++) clock.callLater(DELAYS[i], f);
    clock.advance(2);
    if (ran !== N) throw new Error("wrong count");
  },
});

Deno.bench({
  name: "Clock: 100,000 callLaters, 100,000 advance() steps",
  group: "clock-advance",
  ...benchOptions,
  fn() {
    let ran = 0;
    const f = () => ran++;
    const clock = new Clock();
    for (let i = 0; i < N; i++) clock.callLater((i + 1) / N, f);
    for (let i = 0; i < N; i++) clock.advance(1 / N);
    clock.advance(1); // Rounding: whatever the steps fell short of.
    if (ran !== N) throw new Error("wrong count");
  },
});
