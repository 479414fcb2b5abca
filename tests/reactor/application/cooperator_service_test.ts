// Copyright 2026 the Torsion authors. MIT license.
// CooperatorService: a Cooperator that runs while the service runs.
import { equal, ok } from "node:assert/strict";
import { CooperatorService } from "../../../reactor/application/mod.ts";
import { SchedulerStopped } from "../../../reactor/task/cooperator.ts";
import {
  assertNoResult,
  Clock,
  failureResultOf,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

function serviceOnClock(): [CooperatorService, Clock] {
  const service = new CooperatorService();
  const clock = new Clock();
  service.coop.clock = clock;
  return [service, clock];
}

Deno.test("CooperatorService runs nothing before it starts", () => {
  const [service, clock] = serviceOnClock();
  const d = service.coiterate([1, 2, 3]);
  clock.advance(1);
  assertNoResult(d);
  equal(service.running, false);
  service.stopService();
  failureResultOf(d, SchedulerStopped);
});

Deno.test("CooperatorService.startService() runs the iterators and sets running", () => {
  const [service, clock] = serviceOnClock();
  const work = [1, 2, 3];
  const d = service.coiterate(work);
  service.startService();
  equal(service.running, true);
  clock.advance(1);
  equal(successResultOf(d), work);
  service.stopService();
});

Deno.test("CooperatorService.stopService() fails unfinished iterators with SchedulerStopped and clears running", () => {
  const [service, clock] = serviceOnClock();
  service.startService();
  function* endless(): Generator<void> {
    // Each unit of work takes 4 ms of the clock: a tick ends after three.
    for (;;) {
      clock.rightNow += 0.004;
      yield;
    }
  }
  const d = service.coiterate(endless());
  clock.advance(0.001);
  assertNoResult(d);
  service.stopService();
  equal(service.running, false);
  ok(failureResultOf(d, SchedulerStopped));
  equal(clock.getDelayedCalls().length, 0);
});
