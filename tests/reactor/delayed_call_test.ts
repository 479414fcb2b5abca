// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_internet.py (TimeTests,
// DelayedTests) and twisted/internet/test/test_base.py (DelayedCall): timed
// calls on a real, running reactor. (Clock's own tests are in
// clock_property_test.ts.)
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { AlreadyCalled, AlreadyCancelled } from "../../reactor/errors.ts";
import type { DelayedCall } from "../../reactor/delayed_call.ts";
import { Reactor } from "../../reactor/reactor.ts";
import { captureLog } from "../../reactor/testing/log_capture.ts";
import { signal, withReactor } from "../_reactor.ts";

/** A promise that settles once `reactor` has run two more iterations. */
function twoIterations(reactor: Reactor): Promise<void> {
  const [done, resolve] = signal();
  reactor.callLater(0, () => reactor.callLater(0, resolve));
  return done;
}

Deno.test("Reactor.callLater() calls the function with its arguments once the delay is over", async () => {
  await withReactor(async (reactor) => {
    const [called, onCall] = signal<[string, number, boolean]>();
    const call: DelayedCall = reactor.callLater(
      0.01,
      (a: string, b: number): void =>
        onCall([a, b, reactor.seconds() >= call.getTime()]),
      "a",
      1,
    );
    deepEqual(await called, ["a", 1, true]);
  });
});

Deno.test("Reactor.callLater() runs calls in the order of their times", async () => {
  await withReactor(async (reactor) => {
    const order: string[] = [];
    const [last, onLast] = signal();
    reactor.callLater(0.03, () => {
      order.push("c");
      onLast();
    });
    reactor.callLater(0.01, () => order.push("a"));
    reactor.callLater(0.02, () => order.push("b"));
    reactor.callLater(0, () => order.push("0"));
    await last;
    deepEqual(order, ["0", "a", "b", "c"]);
  });
});

Deno.test("Reactor.callLater() runs calls due at the same time in the order they were scheduled", async () => {
  await withReactor(async (reactor) => {
    // Freeze the reactor's time, so that the calls are due at exactly the
    // same time.
    const now = reactor.seconds();
    reactor.seconds = () => now;
    const order: number[] = [];
    const [last, onLast] = signal();
    for (let i = 0; i < 20; i++) reactor.callLater(0, () => order.push(i));
    reactor.callLater(0, onLast);
    await last;
    deepEqual(order, Array.from({ length: 20 }, (_, i) => i));
  });
});

Deno.test("Reactor.callLater() throws RangeError for a negative or NaN delay", () => {
  const reactor = new Reactor();
  throws(() => reactor.callLater(-1, () => {}), RangeError);
  throws(() => reactor.callLater(NaN, () => {}), RangeError);
  deepEqual(reactor.getDelayedCalls(), []);
});

Deno.test("Reactor.callLater() schedules at the reactor's seconds() plus the delay", () => {
  const reactor = new Reactor();
  reactor.seconds = () => 100;
  const call = reactor.callLater(5, () => {});
  equal(call.getTime(), 105);
  call.cancel();
});

Deno.test("Reactor.seconds() is the wall clock time in seconds", () => {
  const reactor = new Reactor();
  ok(Math.abs(reactor.seconds() - Date.now() / 1000) < 1);
});

Deno.test("DelayedCall.getTime() is about seconds() + the delay", () => {
  const reactor = new Reactor();
  const call = reactor.callLater(10, () => {});
  ok(Math.abs(call.getTime() - (Date.now() / 1000 + 10)) < 1);
  call.cancel();
});

Deno.test("DelayedCall.cancel() keeps the call from running", async () => {
  await withReactor(async (reactor) => {
    const called: string[] = [];
    const call = reactor.callLater(0, () => called.push("call"));
    call.cancel();
    await twoIterations(reactor);
    deepEqual(called, []);
    equal(call.cancelled, true);
  });
});

Deno.test("DelayedCall.cancel() throws AlreadyCancelled the second time", () => {
  const reactor = new Reactor();
  const call = reactor.callLater(0, () => {});
  call.cancel();
  throws(() => call.cancel(), AlreadyCancelled);
});

Deno.test("DelayedCall.cancel() from inside the call throws AlreadyCalled: called is set first", async () => {
  await withReactor(async (reactor) => {
    const [checked, onChecked] = signal<[boolean, unknown]>();
    const call: DelayedCall = reactor.callLater(0, () => {
      let error: unknown;
      try {
        call.cancel();
      } catch (e) {
        error = e;
      }
      onChecked([call.called, error]);
    });
    const [called, error] = await checked;
    equal(called, true);
    ok(error instanceof AlreadyCalled);
  });
});

Deno.test("DelayedCall.cancel() after the call ran throws AlreadyCalled", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    const call = reactor.callLater(0, onRan);
    await ran;
    throws(() => call.cancel(), AlreadyCalled);
  });
});

Deno.test("DelayedCall.reset() reschedules from now", () => {
  const reactor = new Reactor();
  let now = 10;
  reactor.seconds = () => now;
  const call = reactor.callLater(5, () => {});
  equal(call.getTime(), 15);
  now = 12;
  call.reset(3);
  equal(call.getTime(), 15);
  call.reset(1);
  equal(call.getTime(), 13);
  call.cancel();
});

Deno.test("DelayedCall.reset() to 0 makes a far call run at once", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    const call = reactor.callLater(3600, onRan);
    call.reset(0);
    await ran;
    equal(call.called, true);
  });
});

Deno.test("DelayedCall.reset() to later keeps the call from running at its first time", async () => {
  await withReactor(async (reactor) => {
    const called: string[] = [];
    const call = reactor.callLater(0, () => called.push("call"));
    call.reset(3600);
    await twoIterations(reactor);
    deepEqual(called, []);
    equal(call.active(), true);
    call.cancel();
  });
});

Deno.test("DelayedCall.delay() moves the call from its scheduled time", () => {
  const reactor = new Reactor();
  let now = 10;
  reactor.seconds = () => now;
  const call = reactor.callLater(5, () => {});
  now = 12;
  call.delay(2);
  equal(call.getTime(), 17);
  call.delay(-4);
  equal(call.getTime(), 13);
  call.cancel();
});

Deno.test("DelayedCall.delay() by a negative amount makes a far call run sooner", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    const call = reactor.callLater(3600, onRan);
    call.delay(-3600);
    await ran;
    equal(call.called, true);
  });
});

Deno.test("DelayedCall.reset() and delay() throw AlreadyCancelled after cancel()", () => {
  const reactor = new Reactor();
  const call = reactor.callLater(1, () => {});
  call.cancel();
  throws(() => call.reset(1), AlreadyCancelled);
  throws(() => call.delay(1), AlreadyCancelled);
});

Deno.test("DelayedCall.reset() and delay() throw AlreadyCalled after the call ran", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    const call = reactor.callLater(0, onRan);
    await ran;
    throws(() => call.reset(1), AlreadyCalled);
    throws(() => call.delay(1), AlreadyCalled);
  });
});

Deno.test("DelayedCall.active() is true until the call has run", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal<boolean>();
    const call: DelayedCall = reactor.callLater(
      0.01,
      () => onRan(call.active()),
    );
    equal(call.active(), true);
    equal(await ran, false);
    equal(call.active(), false);
  });
});

Deno.test("DelayedCall.active() is false after cancel()", () => {
  const reactor = new Reactor();
  const call = reactor.callLater(1, () => {});
  call.cancel();
  equal(call.active(), false);
});

Deno.test("DelayedCall.toString() shows the time left, the state and the function", () => {
  const reactor = new Reactor();
  let now = 1.5;
  reactor.seconds = () => now;
  const call = reactor.callLater(10.5, function nothing() {});
  match(
    call.toString(),
    /^<DelayedCall \[10\.50*s\] called=0 cancelled=0 nothing>$/,
  );
  now = 2.5;
  call.cancel();
  match(call.toString(), /\[9\.50*s\] called=0 cancelled=1/);
});

Deno.test("Reactor logs an error thrown by a timed call and runs the next ones", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    reactor.callLater(0, () => {
      throw new RangeError("timed call failed");
    });
    reactor.callLater(0, onRan);
    await ran;
  });
  const errors = captured.flushLoggedErrors(RangeError);
  equal(errors.length, 1);
  ok(captured.events.length === 0);
  equal(errors[0].getErrorMessage(), "timed call failed");
});

Deno.test("Reactor logs timed-call errors as 'while handling timed call'", async () => {
  using captured = captureLog();
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    reactor.callLater(0, () => {
      throw new RangeError("timed call failed");
    });
    reactor.callLater(0, onRan);
    await ran;
  });
  deepEqual(captured.messages, ["while handling timed call"]);
  captured.flushLoggedErrors(RangeError);
});

Deno.test("Reactor runs a callLater(0) made inside a timed call on a later iteration", async () => {
  await withReactor(async (reactor) => {
    // Time stands still, so the new call is due at once; still it waits for
    // the next iteration. Between two iterations the microtask queue is
    // drained; inside one it is not.
    const now = reactor.seconds();
    reactor.seconds = () => now;
    const [seen, onSeen] = signal<boolean>();
    reactor.callLater(0, () => {
      let microtaskRan = false;
      queueMicrotask(() => {
        microtaskRan = true;
      });
      reactor.callLater(0, () => onSeen(microtaskRan));
    });
    equal(await seen, true);
  });
});

Deno.test("Reactor runs a callLater(0) made inside a timed call after the calls already due", async () => {
  await withReactor(async (reactor) => {
    // Time stands still: the new call is due at once, like the others.
    const now = reactor.seconds();
    reactor.seconds = () => now;
    const order: string[] = [];
    const [last, onLast] = signal();
    reactor.callLater(0, () => {
      order.push("first");
      reactor.callLater(0, () => {
        order.push("new");
        onLast();
      });
    });
    reactor.callLater(0, () => order.push("second"));
    await last;
    deepEqual(order, ["first", "second", "new"]);
  });
});

Deno.test("Reactor.getDelayedCalls() returns the pending calls, without cancelled or called ones", async () => {
  await withReactor(async (reactor) => {
    const [ran, onRan] = signal();
    const done = reactor.callLater(0, onRan);
    const a = reactor.callLater(3600, () => {});
    const b = reactor.callLater(3601, () => {});
    const c = reactor.callLater(3602, () => {});
    b.cancel();
    await ran;
    const pending = reactor.getDelayedCalls();
    equal(pending.length, 2);
    ok(pending.includes(a) && pending.includes(c));
    ok(!pending.includes(done));
    a.cancel();
    c.cancel();
    deepEqual(reactor.getDelayedCalls(), []);
  });
});

Deno.test("Reactor.getDelayedCalls() includes calls scheduled inside a timed call, unless cancelled", async () => {
  await withReactor(async (reactor) => {
    const [seen, onSeen] = signal<[boolean, boolean]>();
    reactor.callLater(0, () => {
      const kept = reactor.callLater(3600, () => {});
      const dropped = reactor.callLater(3600, () => {});
      dropped.cancel();
      const pending = reactor.getDelayedCalls();
      onSeen([pending.includes(kept), pending.includes(dropped)]);
      kept.cancel();
    });
    deepEqual(await seen, [true, false]);
  });
});

Deno.test("Reactor.callLater() with a delay beyond the host timer's range does not run early", async () => {
  await withReactor(async (reactor) => {
    const called: string[] = [];
    // About 35 days: more than a setTimeout can wait (2**31 - 1 ms).
    const far = reactor.callLater(3e6, () => called.push("far"));
    await twoIterations(reactor);
    deepEqual(called, []);
    far.cancel();
  });
});

Deno.test("Reactor runs the calls left after many cancellations, in time order", async () => {
  await withReactor(async (reactor) => {
    const ran: number[] = [];
    const expected: number[] = [];
    const calls: DelayedCall[] = [];
    // Schedule with the time frozen, so that only the delays order the calls.
    let frozen: number | null = reactor.seconds();
    reactor.seconds = () => frozen ?? Reactor.prototype.seconds.call(reactor);
    for (let i = 0; i < 200; i++) {
      // Times 0..19 ms, many ties; cancel every other call.
      const delay = (i % 20) / 1000;
      calls.push(reactor.callLater(delay, () => ran.push(i)));
    }
    frozen = null;
    for (let i = 0; i < 200; i += 2) calls[i].cancel();
    for (let t = 0; t < 20; t++) {
      for (let i = t; i < 200; i += 20) if (i % 2 === 1) expected.push(i);
    }
    const [last, onLast] = signal();
    reactor.callLater(0.02, onLast);
    await last;
    deepEqual(ran, expected);
  });
});
