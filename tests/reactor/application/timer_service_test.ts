// Copyright 2026 the Torsion authors. MIT license.
// TimerService, ported from Twisted's TimerServiceTests
// (twisted/application/test/test_internet.py) and TimerBasicTests
// (twisted/test/test_application.py), on a Clock.
import { deepEqual, equal, ok } from "node:assert/strict";
import { Deferred } from "../../../defer/mod.ts";
import { TimerService } from "../../../reactor/application/mod.ts";
import { reactor } from "../../../reactor/default_reactor.ts";
import {
  assertNoResult,
  captureLog,
  Clock,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

class Boom extends Error {
  constructor() {
    super("boom");
    this.name = "Boom";
  }
}

Deno.test("TimerService.clock defaults to the reactor and can be set", () => {
  const timer = new TimerService(1, () => {});
  equal(timer.clock, reactor);
  const clock = new Clock();
  timer.clock = clock;
  equal(timer.clock, clock);
});

Deno.test("TimerService.startService() sets running and calls the function at once, with its arguments", () => {
  const clock = new Clock();
  const calls: [string, number][] = [];
  const timer = new TimerService(
    2,
    (s: string, n: number) => calls.push([s, n]),
    "hello",
    10,
  );
  timer.clock = clock;
  timer.startService();
  equal(timer.running, true);
  deepEqual(calls, [["hello", 10]]);
  timer.stopService();
});

Deno.test("TimerService calls the function every step seconds on its clock", () => {
  const clock = new Clock();
  const times: number[] = [];
  const timer = new TimerService(2, () => times.push(clock.seconds()));
  timer.clock = clock;
  timer.startService();
  clock.pump([1, 1, 1, 1, 1]);
  deepEqual(times, [0, 2, 4]);
  timer.stopService();
});

Deno.test("TimerService.stopService() cancels the next call and clears running", () => {
  const clock = new Clock();
  let calls = 0;
  const timer = new TimerService(2, () => calls++);
  timer.clock = clock;
  timer.startService();
  successResultOf(timer.stopService());
  equal(timer.running, false);
  deepEqual(clock.getDelayedCalls(), []);
  clock.advance(10);
  equal(calls, 1);
});

Deno.test("TimerService.stopService() waits for the call in progress", () => {
  const clock = new Clock();
  const work = new Deferred<void>();
  const timer = new TimerService(2, () => work);
  timer.clock = clock;
  timer.startService();
  const d = timer.stopService();
  assertNoResult(d);
  equal(timer.running, true);
  work.callback();
  successResultOf(d);
  equal(timer.running, false);
});

Deno.test("TimerService logs a failing call and stops the loop; stopService still fires", () => {
  const clock = new Clock();
  let calls = 0;
  const timer = new TimerService(1, () => {
    calls++;
    throw new Boom();
  });
  timer.clock = clock;
  using captured = captureLog();
  timer.startService();
  equal(captured.flushLoggedErrors(Boom).length, 1);
  clock.advance(5);
  equal(calls, 1);
  deepEqual(clock.getDelayedCalls(), []);
  equal(timer.running, true);
  successResultOf(timer.stopService());
  equal(timer.running, false);
});

Deno.test("TimerService logs a call whose Deferred fails later", () => {
  const clock = new Clock();
  const work = new Deferred<void>();
  const timer = new TimerService(1, () => work);
  timer.clock = clock;
  using captured = captureLog();
  timer.startService();
  work.errback(new Boom());
  equal(captured.flushLoggedErrors(Boom).length, 1);
  successResultOf(timer.stopService());
});

Deno.test("TimerService can be started again after a stop, with a new loop", () => {
  const clock = new Clock();
  const times: number[] = [];
  const timer = new TimerService(2, () => times.push(clock.seconds()));
  timer.clock = clock;
  timer.startService();
  timer.stopService();
  clock.advance(1);
  timer.startService();
  clock.advance(2);
  deepEqual(times, [0, 1, 3]);
  timer.stopService();
});

Deno.test("TimerService.stopService() before any start fires at once", () => {
  const timer = new TimerService(1, () => {});
  successResultOf(timer.stopService());
  equal(timer.running, false);
});

Deno.test("TimerService.step is the interval of the loop", () => {
  const timer = new TimerService(3, () => {});
  equal(timer.step, 3);
  const clock = new Clock();
  timer.clock = clock;
  timer.step = 5;
  timer.startService();
  ok(clock.getDelayedCalls()[0].getTime() === 5);
  timer.stopService();
});
