// Copyright 2026 the Torsion authors. MIT license.
// Reporting of failures nobody handled, after Twisted's LogTests
// (twisted/test/test_defer.py). Each test uses error classes of its own, so
// that a report of another test's garbage cannot be mistaken for its own.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Deferred, DeferredList, fail, Failure } from "../../defer/mod.ts";
import { captureLog, type LogCapture } from "../../reactor/testing/mod.ts";
import { collectGarbage } from "../_defer_gc.ts";

/**
 * Drops a failing Deferred of `ControlError`, then collects garbage until its
 * report arrives (so that everything dropped before it has been collected
 * too), and removes that report.
 */
async function collectWithControl(
  captured: LogCapture,
  ControlError: new (message: string) => Error,
): Promise<void> {
  (() => {
    fail(new ControlError("control"));
  })();
  await collectGarbage(() =>
    captured.errors().some((f) => f.check(ControlError))
  );
  // A few more rounds for finalizers queued in the same collection.
  await collectGarbage(() => false, 3);
  equal(captured.flushLoggedErrors(ControlError).length, 1);
}

function errorClass(name: string): new (message: string) => Error {
  return class extends Error {
    override name = name;
  };
}

Deno.test("Deferred logs the error of a failing callback when garbage-collected", async () => {
  using captured = captureLog();
  const ZeroDivision = errorClass("ZeroDivision");
  (() => {
    const d = new Deferred<number>();
    d.addCallback(() => {
      throw new ZeroDivision("1 / 0");
    });
    d.callback(1);
  })();
  await collectGarbage(() => captured.errors().length > 0);
  const failures = captured.flushLoggedErrors(ZeroDivision);
  equal(failures.length, 1);
  ok(failures[0] instanceof Failure);
  equal(failures[0].getErrorMessage(), "1 / 0");
});

Deno.test('Deferred logs an unhandled failure as "Unhandled error in Deferred:"', async () => {
  using captured = captureLog();
  const Lost = errorClass("Lost");
  (() => {
    fail(new Lost("lost"));
  })();
  await collectGarbage(() => captured.errors().some((f) => f.check(Lost)));
  const events = captured.events.filter((e) => e.failure?.check(Lost));
  equal(events.length, 1);
  equal(events[0].message, "Unhandled error in Deferred:");
  equal(events[0].isError, true);
  captured.flushLoggedErrors(Lost);
});

Deno.test("Deferred logs an unhandled failure of a Deferred that refers to itself", async () => {
  using captured = captureLog();
  const Cycle = errorClass("Cycle");
  (() => {
    const d = new Deferred<number>();
    d.addCallback(() => {
      void d;
      throw new Cycle("in a cycle");
    });
    (d as unknown as { self: unknown }).self = d;
    d.callback(1);
  })();
  await collectGarbage(() => captured.errors().some((f) => f.check(Cycle)));
  equal(captured.flushLoggedErrors(Cycle).length, 1);
});

Deno.test("Deferred does not log an unhandled failure while the Deferred is alive", async () => {
  using captured = captureLog();
  const Kept = errorClass("Kept");
  const d = fail(new Kept("kept"));
  await collectWithControl(captured, errorClass("KeptControl"));
  deepEqual(captured.flushLoggedErrors(Kept), []);
  d.addErrback(() => null);
});

Deno.test("Deferred does not log a failure an errback handled", async () => {
  using captured = captureLog();
  const Handled = errorClass("Handled");
  (() => {
    fail(new Handled("handled")).addErrback(() => null);
  })();
  await collectWithControl(captured, errorClass("HandledControl"));
  deepEqual(captured.flushLoggedErrors(Handled), []);
});

Deno.test("Deferred logs a failure an errback passed on", async () => {
  using captured = captureLog();
  const PassedOn = errorClass("PassedOn");
  (() => {
    fail(new PassedOn("passed on")).addErrback((f) => f);
  })();
  await collectGarbage(() => captured.errors().some((f) => f.check(PassedOn)));
  equal(captured.flushLoggedErrors(PassedOn).length, 1);
});

Deno.test("Deferred does not log the failure of a Deferred whose result was taken by chaining", async () => {
  using captured = captureLog();
  const Zoop = errorClass("Zoop");
  const errors: Failure[] = [];
  (() => {
    const d = new Deferred<void>();
    d.addCallback(() => fail(new Zoop("zoop")));
    d.callback();
    d.addErrback((f) => {
      errors.push(f);
    });
  })();
  equal(errors.length, 1);
  ok(errors[0].check(Zoop));
  await collectWithControl(captured, errorClass("ZoopControl"));
  deepEqual(captured.flushLoggedErrors(Zoop), []);
});

Deno.test("Deferred does not log a failure whose errback chained it to another Deferred", async () => {
  using captured = captureLog();
  const OhNo = errorClass("OhNo");
  (() => {
    const good = new Deferred<void>();
    fail(new OhNo("oh no")).addErrback(() => good);
  })();
  await collectWithControl(captured, errorClass("OhNoControl"));
  deepEqual(captured.flushLoggedErrors(OhNo), []);
});

Deno.test("Deferred does not log a failure handed to a promise", async () => {
  using captured = captureLog();
  const Awaited = errorClass("Awaited");
  let caught: unknown;
  await (async () => {
    try {
      await fail(new Awaited("awaited"));
    } catch (e) {
      caught = e;
    }
  })();
  ok(caught instanceof Awaited);
  await collectWithControl(captured, errorClass("AwaitedControl"));
  deepEqual(captured.flushLoggedErrors(Awaited), []);
});

Deno.test("Deferred does not log the failures a DeferredList with consumeErrors consumed", async () => {
  using captured = captureLog();
  const Consumed = errorClass("Consumed");
  const lists: unknown[] = [];
  (() => {
    const d = new Deferred<void>();
    new DeferredList([d], { consumeErrors: true }).addCallback((r) => {
      lists.push(r);
    });
    d.errback(new Consumed("consumed"));
  })();
  equal(lists.length, 1);
  await collectWithControl(captured, errorClass("ConsumedControl"));
  deepEqual(captured.flushLoggedErrors(Consumed), []);
});

Deno.test("Deferred logs a failure handed on by chainDeferred() only once", async () => {
  using captured = captureLog();
  const Chained = errorClass("Chained");
  (() => {
    const a = new Deferred<void>();
    const b = new Deferred<void>();
    a.chainDeferred(b);
    a.errback(new Chained("chained"));
  })();
  await collectWithControl(captured, errorClass("ChainedControl"));
  equal(captured.flushLoggedErrors(Chained).length, 1);
});

Deno.test("Deferred does not log a failure handled after it was left for a while", async () => {
  using captured = captureLog();
  const Late = errorClass("Late");
  const holder: { d?: Deferred<never> } = { d: fail(new Late("late")) };
  await collectWithControl(captured, errorClass("LateControl"));
  holder.d!.addErrback(() => null);
  holder.d = undefined;
  await collectWithControl(captured, errorClass("LateControl2"));
  deepEqual(captured.flushLoggedErrors(Late), []);
});

Deno.test("Deferred logs the unhandled failures still alive when the process exits", async () => {
  const mod = new URL("../../defer/mod.ts", import.meta.url).href;
  const code = `
    import { fail } from "${mod}";
    const kept = [
      fail(new RangeError("left at exit")),
      fail(new TypeError("handled")).addErrback(() => null),
    ];
    globalThis.addEventListener("unload", () => void kept);
  `;
  const { code: exitCode, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stderr);
  equal(exitCode, 0);
  equal(text.split("Unhandled error in Deferred:").length, 2, text);
  match(text, /\[-\] Unhandled error in Deferred:\n.*RangeError: left at exit/);
  ok(!text.includes("TypeError"), text);
});
