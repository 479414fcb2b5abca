// Copyright 2026 the Torsion authors. MIT license.
// Clock: the behaviours of Twisted's ClockTests (twisted/test/test_task.py)
// not covered elsewhere, then a property test of callLater and cancel.
import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { AlreadyCalled } from "../../../reactor/errors.ts";
import type { DelayedCall } from "../../../reactor/delayed_call.ts";
import { Clock } from "../../../reactor/testing/mod.ts";

Deno.test("Clock.seconds() starts at 0", () => {
  equal(new Clock().seconds(), 0);
});

Deno.test("Clock.callLater() returns an active call due at now + delay", () => {
  const c = new Clock();
  const call = c.callLater(1, (_a: number, _b: number) => {}, 1, 2);
  equal(call.getTime(), 1);
  ok(call.active());
});

Deno.test("Clock.callLater() call can be cancelled", () => {
  const c = new Clock();
  const call = c.callLater(1, () => {});
  call.cancel();
  equal(call.active(), false);
  deepEqual(c.getDelayedCalls(), []);
});

Deno.test("Clock.callLater() returns a new call each time", () => {
  const c = new Clock();
  const call1 = c.callLater(10, () => {});
  const call2 = c.callLater(1, () => {});
  notEqual(call1, call2);
});

Deno.test("Clock.advance() runs calls once they are due", () => {
  const events: null[] = [];
  const c = new Clock();
  const call = c.callLater(2, () => events.push(null));
  c.advance(1);
  deepEqual(events, []);
  c.advance(1);
  deepEqual(events, [null]);
  equal(call.active(), false);
});

Deno.test("Clock.advance() marks a call as called before it runs: cancel() inside throws AlreadyCalled", () => {
  const c = new Clock();
  let thrown: unknown;
  const call: DelayedCall = c.callLater(1, () => {
    try {
      call.cancel();
    } catch (e) {
      thrown = e;
    }
  });
  c.advance(1);
  ok(thrown instanceof AlreadyCalled);
});

Deno.test("Clock.callLater() call can be delayed", () => {
  const events: [number, number][] = [];
  const c = new Clock();
  const call = c.callLater(
    1,
    (a: number, b: number) => events.push([a, b]),
    1,
    2,
  );
  call.delay(1);
  equal(call.getTime(), 2);
  c.advance(1.5);
  deepEqual(events, []);
  c.advance(1.0);
  deepEqual(events, [[1, 2]]);
});

Deno.test("Clock.callLater() call can be reset to a later time", () => {
  const events: number[] = [];
  const c = new Clock();
  const call = c.callLater(2, () => events.push(c.seconds()));
  c.advance(1);
  call.reset(3);
  equal(call.getTime(), 4);
  c.advance(2);
  deepEqual(events, []);
  c.advance(1);
  deepEqual(events, [4]);
});

Deno.test("Clock.callLater() call can be reset to an earlier time", () => {
  const events: number[] = [];
  const c = new Clock();
  const call = c.callLater(4, () => events.push(c.seconds()));
  call.reset(3);
  equal(call.getTime(), 3);
  c.advance(3);
  deepEqual(events, [3]);
});

Deno.test("Clock.getDelayedCalls() returns the pending calls", () => {
  const c = new Clock();
  const call = c.callLater(1, () => {});
  const call2 = c.callLater(2, () => {});
  deepEqual(new Set(c.getDelayedCalls()), new Set([call, call2]));
});

Deno.test("Clock.getDelayedCalls() is empty for a new Clock", () => {
  deepEqual(new Clock().getDelayedCalls(), []);
});

Deno.test("Clock.callLater() keeps order with a call reset later before it", () => {
  // Twisted's test_callLaterKeepsCallsOrdered.
  const result: [string, number][] = [];
  const clock = new Clock();
  const logtime = (n: string) => result.push([n, clock.seconds()]);
  const callA = clock.callLater(1.0, logtime, "a");
  callA.reset(3.0);
  clock.callLater(2.0, logtime, "b");
  clock.pump([1, 1, 1]);
  deepEqual(result, [["b", 2.0], ["a", 3.0]]);
});

Deno.test("Clock keeps order when a call is reset past a later one", () => {
  // Twisted's test_callLaterResetKeepsCallsOrdered.
  const result: [string, number][] = [];
  const clock = new Clock();
  const logtime = (n: string) => result.push([n, clock.seconds()]);
  const callA = clock.callLater(1.0, logtime, "a");
  clock.callLater(2.0, logtime, "b");
  callA.reset(3.0);
  clock.pump([1, 1, 1]);
  deepEqual(result, [["b", 2.0], ["a", 3.0]]);
});

Deno.test("Clock keeps order when a call is reset from inside another call", () => {
  // Twisted's test_callLaterResetInsideCallKeepsCallsOrdered.
  const result: [string, number][] = [];
  const clock = new Clock();
  const logtime = (n: string) => result.push([n, clock.seconds()]);
  const callB = clock.callLater(2.0, logtime, "b");
  clock.callLater(1.0, () => callB.reset(3.0));
  clock.callLater(3.0, logtime, "c");
  clock.pump(Array(10).fill(0.5));
  deepEqual(result, [["c", 3.0], ["b", 4.0]]);
});

Deno.test("Clock runs calls due at the same time in the order they were scheduled", () => {
  const clock = new Clock();
  const order: number[] = [];
  for (let i = 0; i < 5; i++) clock.callLater(1, () => order.push(i));
  clock.advance(1);
  deepEqual(order, [0, 1, 2, 3, 4]);
});

Deno.test("Clock.advance() runs a zero-delay call scheduled during the advance", () => {
  const clock = new Clock();
  const order: string[] = [];
  clock.callLater(1, () => {
    order.push("first");
    clock.callLater(0, () => order.push("second"));
  });
  clock.advance(1);
  deepEqual(order, ["first", "second"]);
});

Deno.test("Clock.advance() runs a late call with the clock already at the new time", () => {
  const clock = new Clock();
  let at = -1;
  clock.callLater(1, () => at = clock.seconds());
  clock.advance(5);
  equal(at, 5);
});

Deno.test("Clock.advance() propagates an error thrown by a call and keeps the rest pending", () => {
  const clock = new Clock();
  let later = false;
  clock.callLater(1, () => {
    throw new RangeError("boom");
  });
  clock.callLater(2, () => later = true);
  throws(() => clock.advance(2), RangeError);
  equal(later, false);
  clock.advance(0);
  equal(later, true);
});

Deno.test("Clock.pump() advances by each amount in turn", () => {
  const clock = new Clock();
  const seen: number[] = [];
  for (const t of [1, 2, 3]) {
    clock.callLater(t, () => seen.push(clock.seconds()));
  }
  clock.pump([1.5, 1, 1]);
  deepEqual(seen, [1.5, 2.5, 3.5]);
  equal(clock.seconds(), 3.5);
});

// ---------------------------------------------------------------------------
// Property

interface Planned {
  delay: number;
  /** Cancel before any time passes. */
  cancelEarly: boolean;
  /** When it runs, cancel this other call (by index) if still active. */
  victim: number | null;
}

const delayArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 80 }).map((n) => n / 4),
  fc.double({ min: 0, max: 30, noNaN: true }),
);

const plannedArb: fc.Arbitrary<Planned> = fc.record({
  delay: delayArb,
  cancelEarly: fc.boolean(),
  victim: fc.option(fc.nat({ max: 59 }), { nil: null }),
});

Deno.test("Clock.callLater() calls fire in time order, each at most once, none cancelled", () => {
  fc.assert(
    fc.property(
      fc.array(plannedArb, { maxLength: 60 }),
      fc.array(fc.double({ min: 0, max: 8, noNaN: true }), { maxLength: 12 }),
      (plan, steps) => {
        const clock = new Clock();
        const fired: { index: number; time: number; now: number }[] = [];
        const cancelled = new Set<number>();
        const calls: DelayedCall[] = [];
        plan.forEach((p, index) => {
          calls.push(clock.callLater(p.delay, () => {
            fired.push({
              index,
              time: calls[index].getTime(),
              now: clock.seconds(),
            });
            const v = p.victim;
            if (v !== null && v < calls.length && calls[v].active()) {
              calls[v].cancel();
              cancelled.add(v);
            }
          }));
        });
        plan.forEach((p, index) => {
          if (p.cancelEarly) {
            calls[index].cancel();
            cancelled.add(index);
          }
        });
        for (const s of steps) clock.advance(s);
        clock.advance(31); // past every delay: everything left runs

        // Each at most once, and none that was cancelled.
        const indexes = fired.map((f) => f.index);
        equal(new Set(indexes).size, indexes.length);
        for (const i of indexes) {
          ok(!cancelled.has(i), `cancelled call ${i} fired`);
        }
        // Every call neither cancelled nor fired... does not exist.
        equal(indexes.length + cancelled.size, plan.length);
        // Time order, ties in scheduling order; never before their time.
        for (let k = 1; k < fired.length; k++) {
          const a = fired[k - 1];
          const b = fired[k];
          ok(
            a.time < b.time || (a.time === b.time && a.index < b.index),
            `call ${b.index} (at ${b.time}) fired after ${a.index} (at ${a.time})`,
          );
        }
        for (const f of fired) ok(f.now >= f.time);
        for (const call of calls) equal(call.active(), false);
        deepEqual(clock.getDelayedCalls(), []);
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("Clock.callLater() refuses a NaN delay, which would break its heap", () => {
  const clock = new Clock();
  throws(() => clock.callLater(NaN, () => {}), RangeError);
  equal(clock.getDelayedCalls().length, 0);
});
