// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_task.py (ReactTests,
// ReactCoroutineFunctionTests) on the same kind of fake reactor driven by a
// Clock, plus a few runs on a real Reactor.
import { deepEqual, equal, ok, strictEqual } from "node:assert/strict";
import { Deferred } from "../../../defer/deferred.ts";
import { fail, succeed } from "../../../defer/succeed.ts";
import { ReactorNotRunning } from "../../../reactor/errors.ts";
import type { ITriggerId, TriggerPhase } from "../../../reactor/interfaces.ts";
import { react, type ReactReactor } from "../../../reactor/task/react.ts";
import { Reactor } from "../../../reactor/reactor.ts";
import { Clock } from "../../../reactor/testing/clock.ts";
import { captureLog } from "../../../reactor/testing/log_capture.ts";
import { turn } from "../../_reactor.ts";

type Call = [(...args: never[]) => unknown, unknown[]];

/**
 * Twisted's `_FakeReactor`: `run()` runs the `callWhenRunning` functions,
 * then advances its Clock from call to call until stopped, then runs the
 * shutdown triggers, all synchronously.
 */
class FakeReactor implements ReactReactor {
  readonly clock: Clock = new Clock();
  running = false;
  /** Every stop() call, successful or not. */
  stopCalls = 0;
  /** The stop() calls that stopped the reactor. */
  stops = 0;
  #whenRunning: Call[] | null = [];
  #shutdown: { before: Call[]; during: Call[] } | null = {
    before: [],
    during: [],
  };

  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ) {
    return this.clock.callLater(delay, f, ...args);
  }

  seconds(): number {
    return this.clock.seconds();
  }

  callWhenRunning<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId | undefined {
    if (this.#whenRunning === null) {
      f(...args);
      return undefined;
    }
    this.#whenRunning.push([f as Call[0], args]);
    return { eventType: "startup", phase: "after" };
  }

  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    eventType: string,
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId {
    if (phase === "after" || eventType !== "shutdown") {
      throw new Error(`unexpected trigger: ${phase} ${eventType}`);
    }
    this.#shutdown![phase].push([f as Call[0], args]);
    return { eventType, phase };
  }

  async run(): Promise<void> {
    this.running = true;
    const whenRunning = this.#whenRunning!;
    this.#whenRunning = null;
    for (const [f, args] of whenRunning) {
      (f as (...a: unknown[]) => unknown)(...args);
    }
    while (this.running) {
      let calls = this.clock.getDelayedCalls();
      if (calls.length === 0) {
        // An async main resumes from a promise job, not from the Deferred's
        // callback as a Python coroutine does: let those jobs run first.
        await turn();
        if (!this.running) break;
        calls = this.clock.getDelayedCalls();
        if (calls.length === 0) throw new Error("No DelayedCalls left");
      }
      this.clock.advance(calls[0].getTime() - this.seconds());
    }
    const triggers = this.#shutdown!;
    this.#shutdown = null;
    for (const [f, args] of [...triggers.before, ...triggers.during]) {
      (f as (...a: unknown[]) => unknown)(...args);
    }
  }

  stop(): void {
    this.stopCalls++;
    if (!this.running) throw new ReactorNotRunning();
    this.running = false;
    this.stops++;
  }
}

class ExpectedException extends Error {
  constructor() {
    super("expected");
    this.name = "ExpectedException";
  }
}

/** Runs react() on `reactor`; returns the exit codes it reported. */
async function exitCodes(
  main: (reactor: ReactReactor) => unknown,
  reactor: ReactReactor,
): Promise<number[]> {
  const codes: number[] = [];
  await react(main, [], { reactor, exit: (code) => codes.push(code) });
  return codes;
}

/** `reactor` without signal handlers, as react() sees it. */
function quiet(reactor: Reactor): ReactReactor {
  return {
    run: () => reactor.run({ installSignalHandlers: false }),
    stop: () => reactor.stop(),
    callWhenRunning: <A extends unknown[]>(
      f: (...args: A) => unknown,
      ...args: A
    ) => reactor.callWhenRunning(f, ...args),
    addSystemEventTrigger: <A extends unknown[]>(
      phase: TriggerPhase,
      eventType: string,
      f: (...args: A) => unknown,
      ...args: A
    ) => reactor.addSystemEventTrigger(phase, eventType, f, ...args),
  };
}

// --- On the fake reactor ---

Deno.test("react() runs the reactor until main's Deferred fires, then exits with 0", async () => {
  const r = new FakeReactor();
  const timePassed: boolean[] = [];
  const codes = await exitCodes(() => {
    const finished = new Deferred<void>();
    r.callLater(1, () => timePassed.push(true));
    r.callLater(2, () => finished.callback(undefined));
    return finished;
  }, r);
  deepEqual(codes, [0]);
  deepEqual(timePassed, [true]);
  equal(r.seconds(), 2);
});

Deno.test("react() stops at once when main's Deferred has fired already", async () => {
  const r = new FakeReactor();
  const codes = await exitCodes(() => succeed(undefined), r);
  deepEqual(codes, [0]);
  equal(r.seconds(), 0);
});

Deno.test("react() exits with 1 and logs the error when main's Deferred fails later", async () => {
  using captured = captureLog();
  const r = new FakeReactor();
  const codes = await exitCodes(() => {
    const finished = new Deferred<void>();
    r.callLater(1, () => finished.errback(new ExpectedException()));
    return finished;
  }, r);
  deepEqual(codes, [1]);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
});

Deno.test("react() exits with 1 at once when main's Deferred has failed already", async () => {
  using captured = captureLog();
  const r = new FakeReactor();
  const codes = await exitCodes(() => fail(new ExpectedException()), r);
  deepEqual(codes, [1]);
  equal(r.seconds(), 0);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
});

Deno.test("react() logs main's failure as 'main function encountered error'", async () => {
  using captured = captureLog();
  await exitCodes(() => fail(new ExpectedException()), new FakeReactor());
  deepEqual(captured.messages, ["main function encountered error"]);
  captured.flushLoggedErrors(ExpectedException);
});

Deno.test("react() does not stop the reactor again when main's Deferred fires during shutdown", async () => {
  const r = new FakeReactor();
  const codes = await exitCodes(() => {
    r.callLater(1, () => r.stop());
    const finished = new Deferred<void>();
    r.addSystemEventTrigger(
      "during",
      "shutdown",
      () => finished.callback(undefined),
    );
    return finished;
  }, r);
  deepEqual(codes, [0]);
  equal(r.seconds(), 1);
  equal(r.stopCalls, 1);
});

Deno.test("react() does not stop the reactor again when main's Deferred fails during shutdown", async () => {
  using captured = captureLog();
  const r = new FakeReactor();
  const codes = await exitCodes(() => {
    r.callLater(1, () => r.stop());
    const finished = new Deferred<void>();
    r.addSystemEventTrigger(
      "during",
      "shutdown",
      () => finished.errback(new ExpectedException()),
    );
    return finished;
  }, r);
  deepEqual(codes, [1]);
  equal(r.seconds(), 1);
  equal(r.stopCalls, 1);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
});

Deno.test("react() passes argv to main after the reactor", async () => {
  const r = new FakeReactor();
  const args: unknown[] = [];
  const codes: number[] = [];
  await react(
    (reactor, x: number, y: number, z: number) => {
      args.push(reactor, x, y, z);
      return succeed(undefined);
    },
    [1, 2, 3],
    { reactor: r, exit: (code) => codes.push(code) },
  );
  deepEqual(codes, [0]);
  strictEqual(args[0], r);
  deepEqual(args.slice(1), [1, 2, 3]);
});

Deno.test("react() handles the reactor stopped just before main's Deferred fires", async () => {
  const r = new FakeReactor();
  const codes = await exitCodes(() => {
    const d = new Deferred<void>();
    r.callWhenRunning(() => {
      r.stop();
      d.callback(undefined);
    });
    return d;
  }, r);
  deepEqual(codes, [0]);
  equal(r.stops, 1);
});

Deno.test("react() exits with 0 when the reactor is stopped and main's Deferred never fires", async () => {
  const r = new FakeReactor();
  const codes = await exitCodes(() => {
    r.callLater(1, () => r.stop());
    return new Deferred<void>();
  }, r);
  deepEqual(codes, [0]);
});

Deno.test("react() stops the reactor exactly once when main succeeds", async () => {
  const r = new FakeReactor();
  await exitCodes(() => {
    const d = new Deferred<void>();
    r.callLater(1, () => d.callback(undefined));
    return d;
  }, r);
  equal(r.stopCalls, 1);
  equal(r.stops, 1);
});

Deno.test("react() calls main before the reactor runs", async () => {
  const r = new FakeReactor();
  const seen: boolean[] = [];
  await exitCodes(() => {
    seen.push(r.running);
    return succeed(undefined);
  }, r);
  deepEqual(seen, [false]);
});

Deno.test("react() runs an async main until it returns", async () => {
  const r = new FakeReactor();
  const timePassed: boolean[] = [];
  const codes = await exitCodes(async () => {
    const finished = new Deferred<string>();
    r.callLater(1, () => timePassed.push(true));
    r.callLater(2, () => finished.callback("done"));
    return await finished;
  }, r);
  deepEqual(codes, [0]);
  deepEqual(timePassed, [true]);
  equal(r.seconds(), 2);
});

Deno.test("react() exits with 1 when an async main throws", async () => {
  using captured = captureLog();
  const r = new FakeReactor();
  const codes = await exitCodes(async () => {
    const finished = new Deferred<void>();
    r.callLater(1, () => finished.errback(new ExpectedException()));
    await finished;
  }, r);
  deepEqual(codes, [1]);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
});

Deno.test("react() exits with 1 when main throws synchronously", async () => {
  using captured = captureLog();
  const codes = await exitCodes(() => {
    throw new ExpectedException();
  }, new FakeReactor());
  deepEqual(codes, [1]);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
});

// --- On a real reactor ---

Deno.test("react() on a Reactor exits with 0 once main's promise resolves, after the shutdown", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("after", "shutdown", () => {
    events.push("after shutdown");
  });
  await react(
    () =>
      new Promise<string>((resolve) =>
        reactor.callLater(0.01, () => resolve("done"))
      ),
    [],
    { reactor: quiet(reactor), exit: (code) => events.push(`exit ${code}`) },
  );
  deepEqual(events, ["after shutdown", "exit 0"]);
  equal(reactor.running, false);
});

Deno.test("react() on a Reactor exits with 1 and logs when main's promise rejects", async () => {
  using captured = captureLog();
  const reactor = new Reactor();
  const codes: number[] = [];
  await react(
    () =>
      new Promise<void>((_, reject) =>
        reactor.callLater(0, () => reject(new ExpectedException()))
      ),
    [],
    { reactor: quiet(reactor), exit: (code) => codes.push(code) },
  );
  deepEqual(codes, [1]);
  equal(captured.flushLoggedErrors(ExpectedException).length, 1);
  deepEqual(captured.messages, []);
});

Deno.test("react() on a Reactor calls main before the reactor runs", async () => {
  const reactor = new Reactor();
  const seen: boolean[] = [];
  const codes: number[] = [];
  await react(
    () => {
      seen.push(reactor.running);
      return "a plain value";
    },
    [],
    { reactor: quiet(reactor), exit: (code) => codes.push(code) },
  );
  deepEqual(seen, [false]);
  deepEqual(codes, [0]);
});

Deno.test("react() on a Reactor stopped elsewhere exits with 0 after the shutdown", async () => {
  const reactor = new Reactor();
  const codes: number[] = [];
  await react(
    () => {
      reactor.callLater(0, () => reactor.stop());
      return new Deferred<void>();
    },
    [],
    { reactor: quiet(reactor), exit: (code) => codes.push(code) },
  );
  deepEqual(codes, [0]);
  ok(!reactor.running);
});
