// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_cooperator.py (CooperatorTests,
// AliasTests, RunStateTests), on a Clock or a fake scheduler.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  Deferred,
  DeferredList,
  fail,
  type Failure,
} from "../../../defer/mod.ts";
import {
  coiterate,
  cooperate,
  type CooperativeTask,
  Cooperator,
  NotPaused,
  SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskFinished,
  TaskStopped,
  theCooperator,
} from "../../../reactor/task/cooperator.ts";
import type { IReactorTime } from "../../../reactor/interfaces.ts";
import { reactor } from "../../../reactor/default_reactor.ts";
import {
  assertNoResult,
  Clock,
  failureResultOf,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

class UnhandledException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = "UnhandledException";
  }
}

/** A scheduled tick of a {@linkcode FakeScheduler}. */
class FakeDelayedCall {
  cancelled = false;
  constructor(readonly func: () => void) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Twisted's FakeScheduler: keeps the scheduled ticks until `pump()`. */
class FakeScheduler {
  work: FakeDelayedCall[] = [];
  schedule = (thunk: () => void): FakeDelayedCall => {
    const unit = new FakeDelayedCall(thunk);
    this.work.push(unit);
    return unit;
  };
  pump(): void {
    const work = this.work;
    this.work = [];
    for (const unit of work) if (!unit.cancelled) unit.func();
  }
}

/** A termination predicate factory that ends each tick after one unit of work. */
function oneUnitPerTick(): () => boolean {
  return () => true;
}

/** Lets pending promise reactions run (microtasks only, no timers). */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

// ---------------------------------------------------------------------------
// Cooperator

Deno.test("Cooperator.coiterate() on a stopped Cooperator fails with SchedulerStopped", () => {
  const c = new Cooperator({ clock: new Clock() });
  c.stop();
  failureResultOf(c.coiterate([][Symbol.iterator]()), SchedulerStopped);
});

Deno.test("Cooperator.coiterate() on a stopped Cooperator fails the given doneDeferred", () => {
  const c = new Cooperator({ clock: new Clock() });
  c.stop();
  const done = new Deferred<Iterator<never>>();
  const d = c.coiterate([][Symbol.iterator](), done);
  equal(d, done);
  failureResultOf(done, SchedulerStopped);
});

Deno.test("Cooperator.coiterate() returns the given doneDeferred and fires it with the iterator", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const it = [1, 2][Symbol.iterator]();
  const done = new Deferred<typeof it>();
  equal(c.coiterate(it, done), done);
  clock.advance(1);
  equal(successResultOf(done), it);
});

Deno.test("Cooperator.stop() stops a running iterator before it completes", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  let value = -1;
  function* myiter(): Generator<number> {
    for (let i = 0; i < 3; i++) {
      value = i;
      yield i;
    }
  }
  const d = c.coiterate(myiter());
  c.stop();
  clock.advance(1);
  failureResultOf(d, SchedulerStopped);
  equal(value, -1);
});

Deno.test("Cooperator.stop() fails a task paused on a yielded Deferred with SchedulerStopped", () => {
  // Twisted's testStopOutstanding.
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const outstanding = new Deferred<string>();
  let resumed = false;
  function* myiter(): Generator<Deferred<string>> {
    yield outstanding;
    resumed = true;
  }
  const d = c.coiterate(myiter());
  clock.advance(1);
  assertNoResult(d);
  c.stop();
  outstanding.callback("arglebargle");
  clock.advance(1);
  failureResultOf(d, SchedulerStopped);
  equal(resumed, false);
});

Deno.test("Cooperator.stop() fails every task, not every other one", () => {
  // Twisted iterates its live task list while removing from it, and misses
  // every other task: Torsion fails them all.
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const ds = [1, 2, 3, 4, 5].map((n) => c.coiterate([n]));
  c.stop();
  for (const d of ds) failureResultOf(d, SchedulerStopped);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("Cooperator.stop() fails tasks that are paused", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const task = c.cooperate([1, 2]);
  const d = task.whenDone();
  task.pause();
  c.stop();
  failureResultOf(d, SchedulerStopped);
  task.resume();
  throws(() => task.pause(), SchedulerStopped);
});

Deno.test("Cooperator.coiterate() fails with the error the iterator throws", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  // deno-lint-ignore require-yield -- an iterator that fails on its first next()
  function* myiter(): Generator<void> {
    throw new RangeError("unexpected");
  }
  const d = c.coiterate(myiter());
  clock.advance(1);
  equal(failureResultOf(d, RangeError).getErrorMessage(), "unexpected");
});

Deno.test("Cooperator.coiterate() fails when a yielded Deferred fails later", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  function* myiter(): Generator<Deferred<void>> {
    const d = new Deferred<void>();
    clock.callLater(5, () => d.errback(new RangeError("later")));
    yield d;
  }
  const d = c.coiterate(myiter());
  clock.advance(1);
  assertNoResult(d);
  clock.advance(5);
  equal(failureResultOf(d, RangeError).getErrorMessage(), "later");
});

Deno.test("Cooperator.coiterate() fails when a yielded Deferred has already failed", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  function* myiter(): Generator<Deferred<never>> {
    yield fail(new RangeError("already"));
  }
  const d = c.coiterate(myiter());
  clock.advance(1);
  failureResultOf(d, RangeError);
});

Deno.test("Cooperator runs its tasks round robin", () => {
  // Twisted's testCooperation.
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const out: unknown[] = [];
  function* myiter(things: Iterable<unknown>): Generator<void> {
    for (const th of things) {
      out.push(th);
      yield;
    }
  }
  const groups: unknown[][] = [["a", "b", "c"], [1, 2, 3], ["d", "e", "f"], [
    4,
    5,
    6,
  ]];
  const ds = groups.map((g) => c.coiterate(myiter(g)));
  let finished = false;
  new DeferredList(ds).addCallback(() => {
    finished = true;
  });
  clock.advance(1);
  ok(finished);
  deepEqual(out, ["a", 1, "d", 4, "b", 2, "e", 5, "c", 3, "f", 6]);
});

Deno.test("Cooperator ends a tick when the termination predicate says so", () => {
  // Twisted's testResourceExhaustion.
  const scheduler = new FakeScheduler();
  let stopped = false;
  const output: number[] = [];
  function* myiter(): Generator<number> {
    for (let i = 0; i < 100; i++) {
      output.push(i);
      if (i === 9) stopped = true;
      yield i;
    }
  }
  const c = new Cooperator({
    scheduler: scheduler.schedule,
    terminationPredicateFactory: () => () => stopped,
  });
  c.coiterate(myiter()).addErrback((f) => {
    f.trap(SchedulerStopped);
  });
  scheduler.pump();
  deepEqual(output, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  c.stop();
});

Deno.test("Cooperator's default time slice ends a tick after 0.01 s on its clock", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const stepsAt: number[] = [];
  function* slow(): Generator<void> {
    for (let i = 0; i < 5; i++) {
      stepsAt.push(clock.seconds());
      clock.rightNow += 0.004; // each unit of work takes 4 ms
      yield;
    }
  }
  c.coiterate(slow());
  clock.advance(1);
  // Units at 1, 1.004 and 1.008; after the third, 0.012 s have passed.
  equal(stepsAt.length, 3);
  clock.advance(1);
  equal(stepsAt.length, 5);
});

Deno.test("Cooperator's default scheduler calls clock.callLater with a tiny delay", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const task = c.cooperate([1]);
  const calls = clock.getDelayedCalls();
  equal(calls.length, 1);
  equal(calls[0].getTime(), 0.00000001);
  task.stop();
});

Deno.test("Cooperator.clock defaults to the reactor and can be set", () => {
  const c = new Cooperator();
  equal(c.clock, reactor);
  const clock = new Clock();
  c.clock = clock;
  equal(c.clock, clock);
  const task = c.cooperate([1]);
  equal(clock.getDelayedCalls().length, 1);
  task.stop();
});

Deno.test("Cooperator passes its clock to the termination predicate factory and the scheduler", () => {
  const clock = new Clock();
  const seen: IReactorTime[] = [];
  const c = new Cooperator({
    clock,
    terminationPredicateFactory: (cl) => {
      seen.push(cl);
      return () => true;
    },
    scheduler: (f, cl) => {
      seen.push(cl);
      return cl.callLater(1, f);
    },
  });
  const d = c.coiterate([1]);
  clock.advance(1);
  clock.advance(1);
  successResultOf(d);
  deepEqual(seen, [clock, clock, clock, clock]);
});

Deno.test("Cooperator.coiterate() from a whenDone callback schedules only one tick", () => {
  // Twisted's testCallbackReCoiterate.
  const calls: FakeDelayedCall[] = [];
  const c = new Cooperator({
    scheduler: (f) => {
      if (calls.length > 0) throw new Error("scheduled twice");
      const call = new FakeDelayedCall(f);
      calls.push(call);
      return call;
    },
    terminationPredicateFactory: oneUnitPerTick,
  });
  const done: unknown[] = [];
  c.coiterate([]).addCallback(() => {
    c.coiterate([]).addBoth((r) => {
      done.push(r);
    });
  });
  let work = 0;
  while (done.length === 0) {
    work++;
    while (calls.length > 0) {
      calls.shift()!.func();
      work++;
    }
    if (work > 50) throw new Error("Cooperator took too long");
  }
  deepEqual(done, [[]]);
});

Deno.test("Cooperator cancels its scheduled tick when the last task is removed", () => {
  // Twisted's test_removingLastTaskStopsScheduledCall.
  let call: FakeDelayedCall | null = null;
  const coop = new Cooperator({
    scheduler: (f) => call = new FakeDelayedCall(f),
  });
  const task1 = coop.cooperate([1, 2]);
  const task2 = coop.cooperate([1, 2]);
  const first = call!;
  ok(first !== null);
  task1.stop();
  equal(first.cancelled, false);
  task2.stop();
  equal(first.cancelled, true);
  coop.cooperate([1, 2]);
  ok(call !== first);
  equal(call!.cancelled, false);
  coop.stop();
});

Deno.test("Cooperator.running is true when started on creation", () => {
  const c = new Cooperator({ clock: new Clock() });
  equal(c.running, true);
});

Deno.test("Cooperator.running is false when created with started = false", () => {
  const c = new Cooperator({ clock: new Clock(), started: false });
  equal(c.running, false);
});

Deno.test("Cooperator.running is true after start()", () => {
  const c = new Cooperator({ clock: new Clock(), started: false });
  c.start();
  equal(c.running, true);
  c.stop();
});

Deno.test("Cooperator.running is false after stop()", () => {
  const c = new Cooperator({ clock: new Clock(), started: false });
  c.start();
  c.stop();
  equal(c.running, false);
});

Deno.test("Cooperator created with started = false runs no task until start()", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock, started: false });
  const d = c.coiterate([1, 2, 3]);
  deepEqual(clock.getDelayedCalls(), []);
  clock.advance(1);
  assertNoResult(d);
  c.start();
  clock.advance(1);
  successResultOf(d);
});

Deno.test("Cooperator.start() after stop() accepts new tasks", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  c.stop();
  c.start();
  const d = c.coiterate([1]);
  clock.advance(1);
  successResultOf(d);
});

Deno.test("Cooperator.coiterate() takes an iterable and fires with it", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const items = new Set([1, 2, 3]);
  const d = c.coiterate(items);
  clock.advance(1);
  equal(successResultOf(d), items);
});

Deno.test("Cooperator pauses a task on a yielded promise until it resolves", async () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const log: string[] = [];
  let resolve!: () => void;
  function* steps(): Generator<unknown> {
    log.push("before");
    yield new Promise<void>((r) => resolve = r);
    log.push("after");
  }
  const d = c.coiterate(steps());
  clock.advance(1);
  deepEqual(log, ["before"]);
  deepEqual(clock.getDelayedCalls(), []);
  resolve();
  await flushMicrotasks();
  clock.advance(1);
  deepEqual(log, ["before", "after"]);
  successResultOf(d);
});

Deno.test("Cooperator fails a task whose yielded promise rejects", async () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  function* steps(): Generator<unknown> {
    yield Promise.reject(new RangeError("rejected"));
  }
  const d = c.coiterate(steps());
  clock.advance(1);
  await flushMicrotasks();
  equal(failureResultOf(d, RangeError).getErrorMessage(), "rejected");
});

Deno.test("Cooperator passes on the failure of a yielded Deferred once the task was stopped", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const yielded = new Deferred<void>();
  const task = c.cooperate([yielded]);
  const done = task.whenDone();
  clock.advance(1);
  task.stop();
  failureResultOf(done, TaskStopped);
  yielded.errback(new UnhandledException("late"));
  equal(
    failureResultOf(yielded, UnhandledException).getErrorMessage(),
    "late",
  );
});

// ---------------------------------------------------------------------------
// The global Cooperator

Deno.test("cooperate() runs the iterator on the global Cooperator", () => {
  const saved = theCooperator.clock;
  const clock = new Clock();
  theCooperator.clock = clock;
  try {
    const seen: number[] = [];
    const doit = function* (): Generator<number> {
      yield 1;
      yield 2;
      yield 3;
      seen.push(4);
    };
    const task = cooperate(doit());
    let done = false;
    task.whenDone().addCallback(() => {
      done = true;
    });
    equal(clock.getDelayedCalls().length, 1);
    clock.advance(1);
    ok(done);
    deepEqual(seen, [4]);
    deepEqual(clock.getDelayedCalls(), []);
  } finally {
    theCooperator.clock = saved;
  }
});

Deno.test("coiterate() runs the iterator on the global Cooperator", () => {
  const saved = theCooperator.clock;
  const clock = new Clock();
  theCooperator.clock = clock;
  try {
    const items = [1, 2, 3];
    const d = coiterate(items);
    assertNoResult(d);
    clock.advance(1);
    equal(successResultOf(d), items);
  } finally {
    theCooperator.clock = saved;
  }
});

Deno.test("theCooperator is a running Cooperator on the reactor", () => {
  ok(theCooperator instanceof Cooperator);
  equal(theCooperator.running, true);
  equal(theCooperator.clock, reactor);
});

// ---------------------------------------------------------------------------
// CooperativeTask (Twisted's RunStateTests): a fake scheduler, one unit of
// work per tick.

interface RunState {
  scheduler: FakeScheduler;
  cooperator: Cooperator;
  task: CooperativeTask<Generator<unknown>>;
  work: unknown[];
  iterator: Generator<unknown>;
  deferNext(): void;
  stopNext(): void;
  dieNext(): void;
}

function runState(): RunState {
  let doDeferNext = false;
  let doStopNext = false;
  let doDieNext = false;
  const work: unknown[] = [];
  function* worker(): Generator<unknown> {
    let i = 0;
    while (true) {
      i++;
      if (doDeferNext) {
        doDeferNext = false;
        const d = new Deferred<unknown>();
        work.push(d);
        yield d;
      } else if (doStopNext) {
        return;
      } else if (doDieNext) {
        throw new UnhandledException();
      } else {
        work.push(i);
        yield i;
      }
    }
  }
  const scheduler = new FakeScheduler();
  const cooperator = new Cooperator({
    scheduler: scheduler.schedule,
    terminationPredicateFactory: oneUnitPerTick,
  });
  const iterator = worker();
  const task = cooperator.cooperate(iterator);
  cooperator.start();
  return {
    scheduler,
    cooperator,
    task,
    work,
    iterator,
    deferNext: () => doDeferNext = true,
    stopNext: () => doStopNext = true,
    dieNext: () => doDieNext = true,
  };
}

Deno.test("CooperativeTask.pause() stops its work and resume() starts it again on a later tick", () => {
  const s = runState();
  s.scheduler.pump();
  deepEqual(s.work, [1]);
  s.scheduler.pump();
  deepEqual(s.work, [1, 2]);
  s.task.pause();
  s.scheduler.pump();
  deepEqual(s.work, [1, 2]);
  s.task.resume();
  deepEqual(s.work, [1, 2]);
  s.scheduler.pump();
  deepEqual(s.work, [1, 2, 3]);
  s.task.stop();
});

Deno.test("CooperativeTask.resume() throws NotPaused unless paused", () => {
  const s = runState();
  throws(() => s.task.resume(), NotPaused);
  s.task.pause();
  s.task.resume();
  throws(() => s.task.resume(), NotPaused);
  s.task.stop();
});

Deno.test("CooperativeTask.pause() nests: two pauses need two resumes", () => {
  const s = runState();
  s.task.pause();
  s.scheduler.pump();
  deepEqual(s.work, []);
  s.task.pause();
  s.scheduler.pump();
  deepEqual(s.work, []);
  s.task.resume();
  s.scheduler.pump();
  deepEqual(s.work, []);
  s.task.resume();
  s.scheduler.pump();
  deepEqual(s.work, [1]);
  s.task.stop();
});

Deno.test("CooperativeTask paused while waiting on a Deferred needs both the Deferred and resume()", () => {
  const s = runState();
  s.deferNext();
  s.scheduler.pump();
  equal(s.work.length, 1);
  ok(s.work[0] instanceof Deferred);
  s.scheduler.pump();
  equal(s.work.length, 1);
  s.task.pause();
  s.scheduler.pump();
  equal(s.work.length, 1);
  s.task.resume();
  s.scheduler.pump();
  equal(s.work.length, 1);
  (s.work[0] as Deferred<string>).callback("STUFF!");
  s.scheduler.pump();
  equal(s.work.length, 2);
  equal(s.work[1], 2);
  s.task.stop();
});

Deno.test("CooperativeTask.whenDone() gives a new Deferred per call, each fired with the iterator", () => {
  const s = runState();
  const d1 = s.task.whenDone();
  const d2 = s.task.whenDone();
  ok(d1 !== d2);
  const results1: unknown[] = [];
  const results2: unknown[] = [];
  const final1: unknown[] = [];
  const final2: unknown[] = [];
  d1.addCallback((r) => {
    results1.push(r);
    return 1;
  }).addCallback((r) => {
    final1.push(r);
  });
  d2.addCallback((r) => {
    results2.push(r);
    return 2;
  }).addCallback((r) => {
    final2.push(r);
  });
  s.stopNext();
  s.scheduler.pump();
  deepEqual(results1, [s.iterator]);
  equal(results2[0], s.iterator);
  deepEqual(final1, [1]);
  deepEqual(final2, [2]);
});

Deno.test("CooperativeTask.whenDone() fails with the error the iterator throws", () => {
  const s = runState();
  const d = s.task.whenDone();
  s.dieNext();
  s.scheduler.pump();
  failureResultOf(d, UnhandledException);
});

Deno.test("CooperativeTask.whenDone() fails with TaskStopped after stop()", () => {
  const s = runState();
  const d = s.task.whenDone();
  const errors: Failure[] = [];
  d.addErrback((f) => {
    errors.push(f);
  });
  s.task.stop();
  equal(errors.length, 1);
  equal(errors[0].check(TaskStopped), TaskStopped);
});

Deno.test("CooperativeTask.whenDone() fires at once when the iterator is already exhausted", () => {
  const s = runState();
  s.stopNext();
  s.scheduler.pump();
  const results: unknown[] = [];
  s.task.whenDone().addCallback((r) => {
    results.push(r);
  });
  deepEqual(results, [s.iterator]);
});

Deno.test("CooperativeTask.stop() removes it from the run; later stop() and pause() throw TaskStopped", () => {
  const s = runState();
  s.task.stop();
  s.scheduler.pump();
  deepEqual(s.work, []);
  throws(() => s.task.stop(), TaskStopped);
  throws(() => s.task.pause(), TaskStopped);
  s.scheduler.pump();
  deepEqual(s.work, []);
});

Deno.test("CooperativeTask.resume() on a paused, stopped task does nothing", () => {
  const s = runState();
  s.task.pause();
  s.task.stop();
  s.task.resume();
  s.scheduler.pump();
  deepEqual(s.work, []);
  deepEqual(s.scheduler.work, []);
});

Deno.test("CooperativeTask.stop() while waiting on a Deferred: it is not resumed when that fires", () => {
  const s = runState();
  s.deferNext();
  s.scheduler.pump();
  const d = s.work.pop() as Deferred<number>;
  const results: unknown[] = [];
  d.addBoth((r) => {
    results.push(r);
  });
  s.scheduler.pump();
  s.task.stop();
  s.scheduler.pump();
  d.callback(7);
  s.scheduler.pump();
  // The Cooperator consumed the Deferred's result.
  deepEqual(results, [undefined]);
  deepEqual(s.work, []);
});

Deno.test("CooperativeTask.stop() on an exhausted task throws TaskDone", () => {
  const s = runState();
  s.stopNext();
  s.scheduler.pump();
  throws(() => s.task.stop(), TaskDone);
});

Deno.test("CooperativeTask.stop() on a failed task throws TaskFailed", () => {
  const s = runState();
  s.task.whenDone().addErrback(() => {});
  s.dieNext();
  s.scheduler.pump();
  throws(() => s.task.stop(), TaskFailed);
});

Deno.test("CooperativeTask is removed before its whenDone callbacks run, so they may stop the Cooperator", () => {
  // Twisted's test_stopCooperatorReentrancy.
  const s = runState();
  const phases: unknown[] = [];
  s.task.whenDone().addCallback((r) => {
    phases.push(r);
    s.cooperator.stop();
    phases.push("done");
  });
  s.stopNext();
  s.scheduler.pump();
  deepEqual(phases, [s.iterator, "done"]);
});

// ---------------------------------------------------------------------------
// Errors

Deno.test("Cooperator errors have Twisted's names and hierarchy", () => {
  const cases: [Error, string, (new () => Error)[]][] = [
    [new SchedulerError(), "SchedulerError", []],
    [new SchedulerStopped(), "SchedulerStopped", [SchedulerError]],
    [new TaskFinished(), "TaskFinished", [SchedulerError]],
    [new TaskDone(), "TaskDone", [TaskFinished, SchedulerError]],
    [new TaskStopped(), "TaskStopped", [TaskFinished, SchedulerError]],
    [new TaskFailed(), "TaskFailed", [TaskFinished, SchedulerError]],
    [new NotPaused(), "NotPaused", [SchedulerError]],
  ];
  for (const [error, name, bases] of cases) {
    equal(error.name, name);
    ok(error.message.length > 0, name);
    for (const base of bases) {
      ok(error instanceof base, `${name} < ${base.name}`);
    }
  }
});

Deno.test("Cooperator.stop() from a unit of work runs no other task's work in that tick", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const out: string[] = [];
  function* stopper(): Generator<void> {
    out.push("stopper");
    c.stop();
    yield;
  }
  function* other(name: string): Generator<void> {
    while (true) {
      out.push(name);
      yield;
    }
  }
  const ds = [
    c.coiterate(stopper()),
    c.coiterate(other("a")),
    c.coiterate(other("b")),
  ];
  clock.advance(1);
  deepEqual(out, ["stopper"]);
  for (const d of ds) failureResultOf(d, SchedulerStopped);
  deepEqual(clock.getDelayedCalls(), []);
});

Deno.test("Cooperator.stop() skips a task that an earlier task's whenDone callback finished", () => {
  const clock = new Clock();
  const c = new Cooperator({ clock });
  const first = c.cooperate([1]);
  const second = c.cooperate([2]);
  const errors: string[] = [];
  first.whenDone().addErrback((f) => {
    errors.push(f.getErrorMessage());
    second.stop();
  });
  second.whenDone().addErrback((f) => {
    errors.push((f.value as Error).name);
  });
  c.stop();
  deepEqual(errors, [new SchedulerStopped().message, "TaskStopped"]);
  throws(() => second.stop(), TaskStopped);
});
