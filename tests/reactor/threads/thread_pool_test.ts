// Copyright 2026 the Torsion authors. MIT license.
// ThreadPool and deferToThreadPool on real Workers: results, errors and
// their stacks, maxThreads, cancelling a queued task, transfers, calls from
// a worker to the reactor's thread, stop() (Twisted's test_threads.py and
// test_threadpool.py, as far as they apply to Workers).
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { CancelledError, type Deferred, Failure } from "../../../defer/mod.ts";
import {
  callFromThread,
  deferToThreadPool,
  type ThreadCallReactor,
  ThreadPool,
  transfer,
} from "../../../reactor/threads/mod.ts";
import { withReactor } from "../../_reactor.ts";
import { recorded, waiting } from "./_main_side.ts";

const WORK = new URL("./_work.ts", import.meta.url).href;

/** Fires Deferreds at once, with no reactor. */
const DIRECT: ThreadCallReactor = {
  callFromThread(f, ...args) {
    f(...args);
  },
};

/** The Failure a Deferred fails with. */
function failureOf<T>(d: Deferred<T>): Promise<Failure> {
  return new Promise((resolve, reject) => {
    d.addCallbacks(
      (v) => reject(new Error(`expected a failure, got ${String(v)}`)),
      (f) => resolve(f),
    );
  });
}

/** A flag a worker can wait on, and the function that raises it. */
function flag(): [SharedArrayBuffer, () => void] {
  const sab = new SharedArrayBuffer(4);
  return [sab, () => {
    const a = new Int32Array(sab);
    Atomics.store(a, 0, 1);
    Atomics.notify(a, 0);
  }];
}

/** The next value record() gets in the reactor's thread. */
function nextRecord(): Promise<unknown> {
  return new Promise((resolve) => waiting.push(resolve));
}

/** Runs `fn` with a started pool on a running reactor; stops both. */
async function withPool(
  options: ConstructorParameters<typeof ThreadPool>[0],
  fn: (
    run: <T>(name: string, ...args: unknown[]) => Deferred<T>,
    pool: ThreadPool,
  ) => Promise<void>,
): Promise<void> {
  await withReactor(async (reactor) => {
    const pool = new ThreadPool({ reactor, ...options });
    pool.start();
    try {
      await fn(
        <T>(name: string, ...args: unknown[]) =>
          deferToThreadPool<T>(reactor, pool, WORK, name, ...args),
        pool,
      );
    } finally {
      await pool.stop();
    }
    equal(pool.workers, 0);
  });
}

Deno.test("deferToThreadPool() fires with the result of a function run in a worker", async () => {
  await withPool({}, async (run) => {
    equal(await run("add", 2, 3), 5);
    equal(await run("addLater", 20, 22), 42);
  });
});

Deno.test("deferToThreadPool() fails with the worker's RangeError: class, message and worker-side stack", async () => {
  await withPool({}, async (run) => {
    const f = await failureOf(run("failRange", "too big"));
    ok(f.check(RangeError));
    const e = f.value as RangeError;
    equal(e.message, "too big");
    ok(e.stack!.includes("failRange"), e.stack);
    ok(e.stack!.includes("_work.ts"), e.stack);
  });
});

Deno.test("deferToThreadPool() keeps the name of an error class of the worker's own", async () => {
  await withPool({}, async (run) => {
    const f = await failureOf(run("failCustom"));
    const e = f.value as Error;
    ok(e instanceof Error);
    equal(e.name, "ParseFailure");
    equal(e.message, "bad input at 3");
    ok(e.stack!.startsWith("ParseFailure: bad input at 3"), e.stack);
  });
});

Deno.test("deferToThreadPool() fails with a thrown non-Error value, a rejection, an uncloneable result", async () => {
  await withPool({}, async (run) => {
    deepEqual((await failureOf(run("failValue"))).value, { code: 7 });
    ok((await failureOf(run("failLater"))).check(TypeError));
    const f = await failureOf(run("uncloneable"));
    equal((f.value as Error).name, "DataCloneError");
  });
});

Deno.test("deferToThreadPool() fails for a missing export or module, and throws for a relative URL", async () => {
  await withPool({}, async (run, pool) => {
    const f = await failureOf(run("noSuchExport"));
    ok(f.check(TypeError));
    ok(f.getErrorMessage().includes("noSuchExport"), f.getErrorMessage());
    const missing = new URL("./_no_such_module.ts", import.meta.url).href;
    const g = await failureOf(
      deferToThreadPool(DIRECT, pool, missing, "f"),
    );
    ok(g.getErrorMessage().includes("_no_such_module.ts"));
    throws(
      () =>
        deferToThreadPool({ callFromThread: () => {} }, pool, "./x.ts", "f"),
      TypeError,
    );
  });
});

Deno.test("an argument that cannot be cloned fails the Deferred", async () => {
  await withPool({}, async (run) => {
    const f = await failureOf(run("add", () => 1, 2));
    equal((f.value as Error).name, "DataCloneError");
  });
});

Deno.test("ThreadPool runs at most maxThreads tasks at once; the others wait in order", async () => {
  const flags = [flag(), flag(), flag(), flag()];
  try {
    await withPool({ maxThreads: 2 }, async (run, pool) => {
      const ds = flags.map(([sab], i) => run<string>("waitFor", sab, `t${i}`));
      equal(pool.working, 2);
      equal(pool.queued, 2);
      equal(pool.workers, 2);
      const done: string[] = [];
      for (const d of ds) {
        d.addCallback((v) => {
          done.push(v);
          return v;
        });
      }
      flags[0][1]();
      equal(await ds[0], "t0");
      // t2 took t0's worker; t1 still blocks the other.
      equal(pool.queued, 1);
      equal(pool.working, 2);
      flags[2][1]();
      equal(await ds[2], "t2");
      flags[3][1]();
      flags[1][1]();
      deepEqual(await Promise.all(ds), ["t0", "t1", "t2", "t3"]);
      equal(pool.workers, 2);
      deepEqual(done.slice(0, 2), ["t0", "t2"]);
    });
  } finally {
    // A task still blocked would hold stop() forever.
    for (const [, release] of flags) release();
  }
});

Deno.test("cancelling the Deferred of a queued task drops it; a running task runs to completion", async () => {
  recorded.length = 0;
  const [sab, release] = flag();
  try {
    await withPool({ maxThreads: 1 }, async (run, pool) => {
      const running = run("waitThenNotify", sab, "running");
      const queued = run("notify", "queued");
      equal(pool.queued, 1);
      queued.cancel();
      equal(pool.queued, 0);
      ok((await failureOf(queued)).check(CancelledError));
      running.cancel();
      ok((await failureOf(running)).check(CancelledError));
      const next = nextRecord();
      release();
      // The running task still ran to its end (it records "running").
      equal(await next, "running");
    });
  } finally {
    release();
  }
  deepEqual(recorded, ["running"]);
});

Deno.test("transfer() moves an argument's buffer to the worker and a result's buffer back", async () => {
  await withPool({}, async (run) => {
    const bytes = new Uint8Array(100_000).fill(1);
    equal(await run("measure", bytes), 100_000_000);
    equal(bytes.byteLength, 100_000, "copied, not moved");
    const moved = new Uint8Array(100_000).fill(1);
    equal(await run("measure", transfer(moved)), 100_000_000);
    equal(moved.byteLength, 0, "moved: detached here");
    const back = await run<Uint8Array>("makeBuffer", 5);
    deepEqual(back, new Uint8Array(5).fill(7));
  });
});

Deno.test("callFromThread() in a worker runs a function in the reactor's thread", async () => {
  await withPool({}, async (run) => {
    const next = nextRecord();
    equal(await run("notify", "hello"), "sent");
    equal(await next, "hello");
  });
});

Deno.test("blockingCallFromThread() in a worker waits for the reactor's thread: values, Deferreds, errors", async () => {
  await withPool({}, async (run) => {
    equal(await run("askMain", 4), 41);
    equal(await run("askMainLater", 3), 30);
    equal(await run("askMainFailing"), "RangeError: main side says no");
    equal(await run("relativeRefused"), "TypeError");
  });
});

Deno.test("callFromThread() outside a pool worker throws", () => {
  throws(
    () => callFromThread(WORK, "add", 1, 2),
    /not running in a ThreadPool worker/,
  );
});

Deno.test("ThreadPool names its workers after the pool", async () => {
  await withPool({ name: "hashers", maxThreads: 1 }, async (run) => {
    deepEqual(await run("spinAndName", 0, "x"), ["hashers-1", "x"]);
  });
});

Deno.test("ThreadPool keeps tasks until start(), and starts minThreads workers", async () => {
  const pool = new ThreadPool({ minThreads: 2, maxThreads: 3 });
  const result = Promise.withResolvers<unknown>();
  pool.callInThreadWithCallback(
    (_ok, v) => result.resolve(v),
    WORK,
    "add",
    1,
    1,
  );
  equal(pool.workers, 0);
  equal(pool.queued, 1);
  pool.start();
  equal(pool.workers, 2);
  equal(await result.promise, 2);
  await pool.stop();
  equal(pool.workers, 0);
});

Deno.test("ThreadPool.stop() finishes running and queued tasks, then drops new ones", async () => {
  const pool = new ThreadPool({ maxThreads: 1 });
  pool.start();
  const results: unknown[] = [];
  for (const n of [1, 2, 3]) {
    pool.callInThreadWithCallback(
      (_ok, v) => results.push(v),
      WORK,
      "add",
      n,
      0,
    );
  }
  const stopped = pool.stop();
  pool.callInThreadWithCallback((_ok, v) => results.push(v), WORK, "add", 9, 0);
  await stopped;
  deepEqual(results, [1, 2, 3]);
  equal(pool.workers, 0);
  equal(pool.queued, 0);
});

Deno.test("ThreadPool.stop() before start() drops the waiting tasks", async () => {
  const pool = new ThreadPool();
  let called = false;
  pool.callInThreadWithCallback(() => called = true, WORK, "add", 1, 1);
  await pool.stop();
  equal(called, false);
  equal(pool.workers, 0);
});

Deno.test("ThreadPool.adjustPoolsize() starts workers up to min and ends idle ones beyond max", async () => {
  const pool = new ThreadPool({ maxThreads: 4 });
  pool.start();
  pool.adjustPoolsize(3, 4);
  equal(pool.workers, 3);
  pool.adjustPoolsize(0, 1);
  equal(pool.workers, 1);
  throws(() => pool.adjustPoolsize(2, 1), RangeError);
  throws(() => new ThreadPool({ minThreads: -1 }), RangeError);
  await pool.stop();
  equal(pool.workers, 0);
});

Deno.test("callInThread() logs an error thrown in the worker", async () => {
  const { captureLog } = await import("../../../reactor/testing/mod.ts");
  using log = captureLog();
  const pool = new ThreadPool();
  pool.start();
  pool.callInThread(WORK, "failRange", "logged");
  await pool.stop();
  const errors = log.flushLoggedErrors(RangeError);
  equal(errors.length, 1);
  equal(errors[0].getErrorMessage(), "logged");
});

Deno.test("a Failure from a worker is a Failure of the rebuilt error", async () => {
  await withPool({}, async (run) => {
    const f = await failureOf(run("failRange", "x"));
    ok(f instanceof Failure);
    await rejects(Promise.resolve(run("failRange", "y")), RangeError);
  });
});
