// Copyright 2026 the Torsion authors. MIT license.
// DeferredList, gatherResults and FirstError, after Twisted's DeferredTests,
// DeferredListEmptyTests and FirstErrorTests (twisted/test/test_defer.py).
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  CancelledError,
  Deferred,
  DeferredList,
  type DeferredListEntry,
  fail,
  Failure,
  FirstError,
  gatherResults,
  succeed,
} from "../../defer/mod.ts";
import {
  assertNoResult,
  captureLog,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";

class GenericError extends Error {
  override name = "GenericError";
}

function fakeCallbackCanceller(d: Deferred<string>): void {
  d.callback("Callback Result");
}

/** Turns result entries into `[ok, value-or-message]` pairs for comparison. */
function summary(
  entries: (DeferredListEntry<unknown> | undefined)[],
): unknown[] {
  return entries.map((e) =>
    e === undefined
      ? undefined
      : e[0]
      ? [true, e[1]]
      : [false, (e[1] as Failure).getErrorMessage()]
  );
}

Deno.test("DeferredList fires with [success, result] pairs in input order", () => {
  const defr1 = new Deferred<string>();
  const defr2 = new Deferred<string>();
  const defr3 = new Deferred<string>();
  const dl = new DeferredList([defr1, defr2, defr3]);
  const result: DeferredListEntry<string>[] = [];
  dl.addCallbacks((entries) => {
    result.push(...entries);
  });
  defr1.callback("1");
  defr2.addErrback(() => null);
  defr2.errback(new GenericError("2"));
  defr3.callback("3");
  deepEqual(summary(result), [[true, "1"], [false, "2"], [true, "3"]]);
  ok(result[1][1] instanceof Failure);
});

Deno.test("DeferredList orders results by input, not by firing order", () => {
  const ds = [new Deferred<number>(), new Deferred<number>()];
  const dl = new DeferredList(ds);
  ds[1].callback(2);
  assertNoResult(dl);
  ds[0].callback(1);
  deepEqual(successResultOf(dl), [[true, 1], [true, 2]]);
});

Deno.test("DeferredList fires with an empty list at once when given no Deferreds", () => {
  const result: unknown[] = [];
  new DeferredList([]).addCallbacks((r) => {
    result.push(r);
  });
  deepEqual(result, [[]]);
});

Deno.test("DeferredList with fireOnOneCallback never fires when given no Deferreds", () => {
  const dl = new DeferredList([], { fireOnOneCallback: true });
  assertNoResult(dl);
  equal(dl.called, false);
});

Deno.test("DeferredList with fireOnOneErrback fires with an empty list at once when given no Deferreds", () => {
  const dl = new DeferredList([], { fireOnOneErrback: true });
  deepEqual(successResultOf(dl), []);
});

Deno.test("DeferredList with both fireOnOne flags fires with the first success", () => {
  const ds = [new Deferred<string>(), new Deferred<string>()];
  const dl = new DeferredList<string, unknown>(ds, {
    fireOnOneCallback: true,
    fireOnOneErrback: true,
  });
  ds[1].callback("b");
  ds[0].errback(new GenericError("a"));
  deepEqual(successResultOf(dl), ["b", 1]);
  failureResultOf(ds[0], GenericError);
});

Deno.test("DeferredList with both fireOnOne flags fails with the first failure", () => {
  const ds = [new Deferred<string>(), new Deferred<string>()];
  const dl = new DeferredList<string, unknown>(ds, {
    fireOnOneCallback: true,
    fireOnOneErrback: true,
    consumeErrors: true,
  });
  ds[1].errback(new GenericError("b"));
  ds[0].callback("a");
  equal((failureResultOf(dl, FirstError).value as FirstError).index, 1);
});

Deno.test("DeferredList with fireOnOneErrback fails with FirstError on the first failure", () => {
  const defr1 = new Deferred<string>();
  const defr2 = new Deferred<string>();
  const defr3 = new Deferred<string>();
  const dl = new DeferredList([defr1, defr2, defr3], {
    fireOnOneErrback: true,
  });
  const result: Failure[] = [];
  dl.addErrback((f) => {
    result.push(f);
  });
  defr2.addErrback(() => null);
  defr1.callback("1");
  equal(result.length, 0);
  defr2.errback(new GenericError("from def2"));
  equal(result.length, 1);
  const aFailure = result[0];
  equal(aFailure.type, FirstError);
  const firstError = aFailure.value as FirstError;
  equal(firstError.subFailure.type, GenericError);
  equal(firstError.subFailure.getErrorMessage(), "from def2");
  equal(firstError.index, 1);
  assertNoResult(defr3);
});

Deno.test("DeferredList leaves failures on the inputs' own chains by default", () => {
  const d1 = new Deferred<void>();
  const dl = new DeferredList([d1]);
  const errorTrap: Failure[] = [];
  d1.addErrback((f) => {
    errorTrap.push(f);
  });
  const resultLists: DeferredListEntry<void>[][] = [];
  dl.addCallback((r) => {
    resultLists.push(r);
  });
  d1.errback(new GenericError("Bang"));
  equal(errorTrap[0].getErrorMessage(), "Bang");
  equal(resultLists.length, 1);
  equal((resultLists[0][0][1] as Failure).getErrorMessage(), "Bang");
});

Deno.test("DeferredList with consumeErrors continues the inputs' chains with undefined", () => {
  const d1 = new Deferred<void>();
  const dl = new DeferredList([d1], { consumeErrors: true });
  const errorTrap: Failure[] = [];
  const after: unknown[] = [];
  d1.addCallbacks((r) => {
    after.push(r);
  }, (f) => {
    errorTrap.push(f);
  });
  const resultLists: DeferredListEntry<void>[][] = [];
  dl.addCallback((r) => {
    resultLists.push(r);
  });
  d1.errback(new GenericError("Bang"));
  deepEqual(errorTrap, []);
  deepEqual(after, [undefined]);
  equal(resultLists.length, 1);
  equal((resultLists[0][0][1] as Failure).getErrorMessage(), "Bang");
});

Deno.test("DeferredList with consumeErrors still fails with FirstError under fireOnOneErrback", () => {
  const d1 = new Deferred<void>();
  const dl = new DeferredList([d1, new Deferred<void>()], {
    consumeErrors: true,
    fireOnOneErrback: true,
  });
  d1.errback(new GenericError("Bang"));
  equal(successResultOf(d1), undefined);
  const f = failureResultOf(dl, FirstError);
  equal((f.value as FirstError).subFailure.getErrorMessage(), "Bang");
});

Deno.test("DeferredList with fireOnOneErrback fails at once on an input that already failed", () => {
  const d1 = new Deferred<void>();
  const d2 = new Deferred<void>();
  d1.errback(new GenericError("Bang"));
  const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
  const result: Failure[] = [];
  dl.addErrback((f) => {
    result.push(f);
  });
  equal(result.length, 1);
  equal((result[0].value as FirstError).index, 0);
  d1.addErrback(() => null);
});

Deno.test("DeferredList fires at once when every input has already fired", () => {
  const d1 = new Deferred<number>();
  const d2 = new Deferred<number>();
  d1.errback(new GenericError("Bang"));
  d2.callback(2);
  const dl = new DeferredList([d1, d2]);
  const result: unknown[] = [];
  dl.addCallback((r) => {
    result.push(summary(r));
  });
  deepEqual(result, [[[false, "Bang"], [true, 2]]]);
  d1.addErrback(() => null);
});

Deno.test("DeferredList with fireOnOneCallback fires with [result, index] on the first success", () => {
  const ds = [new Deferred<string>(), new Deferred<string>()];
  const dl = new DeferredList<string, [string, number]>(ds, {
    fireOnOneCallback: true,
  });
  ds[1].callback("second");
  deepEqual(successResultOf(dl), ["second", 1]);
  assertNoResult(ds[0]);
});

Deno.test("DeferredList with fireOnOneCallback fires at once on an input that already succeeded", () => {
  const dl = new DeferredList<number, [number, number]>(
    [new Deferred<number>(), succeed(9)],
    { fireOnOneCallback: true },
  );
  deepEqual(successResultOf(dl), [9, 1]);
});

Deno.test("DeferredList with fireOnOneCallback fires with the list when every input failed", () => {
  const ds = [new Deferred<number>(), new Deferred<number>()];
  const dl = new DeferredList(ds, {
    fireOnOneCallback: true,
    consumeErrors: true,
  });
  ds[0].errback(new GenericError("a"));
  assertNoResult(dl);
  ds[1].errback(new GenericError("b"));
  deepEqual(summary(successResultOf(dl)), [[false, "a"], [false, "b"]]);
});

Deno.test("DeferredList keeps recording results after it fired", () => {
  const ds = [new Deferred<number>(), new Deferred<number>()];
  const dl = new DeferredList(ds, { fireOnOneCallback: true });
  ds[0].callback(1);
  ds[1].callback(2);
  equal(dl.finishedCount, 2);
  deepEqual(dl.resultList, [[true, 1], [true, 2]]);
  deepEqual(successResultOf(dl), [1, 0]);
});

Deno.test("DeferredList sees what earlier callbacks of an input made of its result", () => {
  const d = new Deferred<number>();
  d.addCallback((n) => n * 10);
  const dl = new DeferredList([d]);
  const later: unknown[] = [];
  d.addCallback((n) => {
    later.push(n);
  });
  d.callback(4);
  deepEqual(successResultOf(dl), [[true, 40]]);
  deepEqual(later, [40]);
});

Deno.test("DeferredList.cancel() cancels every input", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo]);
  dl.cancel();
  failureResultOf(deferredOne, CancelledError);
  failureResultOf(deferredTwo, CancelledError);
  deepEqual(summary(successResultOf(dl)), [
    [false, "Deferred was cancelled"],
    [false, "Deferred was cancelled"],
  ]);
});

Deno.test("DeferredList.cancel() fires the list with what the inputs' cancellers gave", () => {
  const deferredOne = new Deferred<string>(fakeCallbackCanceller);
  const deferredTwo = new Deferred<string>();
  const dl = new DeferredList([deferredOne, deferredTwo]);
  dl.cancel();
  failureResultOf(deferredTwo, CancelledError);
  const result = successResultOf(dl);
  equal(result[0][0], true);
  equal(result[0][1], "Callback Result");
  equal(result[1][0], false);
  ok((result[1][1] as Failure).check(CancelledError));
});

Deno.test("DeferredList.cancel() with fireOnOneCallback cancels every input", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo], {
    fireOnOneCallback: true,
  });
  dl.cancel();
  failureResultOf(deferredOne, CancelledError);
  failureResultOf(deferredTwo, CancelledError);
  equal(successResultOf(dl).length, 2);
});

Deno.test("DeferredList.cancel() with fireOnOneCallback fires with the success a canceller gave", () => {
  const deferredOne = new Deferred<string>(fakeCallbackCanceller);
  const deferredTwo = new Deferred<string>();
  const dl = new DeferredList<string, [string, number]>(
    [deferredOne, deferredTwo],
    { fireOnOneCallback: true },
  );
  dl.cancel();
  failureResultOf(deferredTwo, CancelledError);
  deepEqual(successResultOf(dl), ["Callback Result", 0]);
});

Deno.test("DeferredList.cancel() with fireOnOneErrback fails with the first CancelledError", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo], {
    fireOnOneErrback: true,
  });
  dl.cancel();
  failureResultOf(deferredOne, CancelledError);
  failureResultOf(deferredTwo, CancelledError);
  const firstError = failureResultOf(dl, FirstError).value as FirstError;
  ok(firstError.subFailure.check(CancelledError));
  equal(firstError.index, 0);
});

Deno.test("DeferredList.cancel() with fireOnOneErrback succeeds when every canceller calls back", () => {
  const deferredOne = new Deferred<string>(fakeCallbackCanceller);
  const deferredTwo = new Deferred<string>(fakeCallbackCanceller);
  const dl = new DeferredList([deferredOne, deferredTwo], {
    fireOnOneErrback: true,
  });
  dl.cancel();
  deepEqual(successResultOf(dl), [
    [true, "Callback Result"],
    [true, "Callback Result"],
  ]);
});

Deno.test("DeferredList.cancel() cancels only the Deferreds given to it", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const argumentList = [deferredOne, deferredTwo];
  const dl = new DeferredList(argumentList);
  const deferredThree = new Deferred<void>();
  argumentList.push(deferredThree);
  dl.cancel();
  failureResultOf(deferredOne, CancelledError);
  failureResultOf(deferredTwo, CancelledError);
  assertNoResult(deferredThree);
  equal(successResultOf(dl).length, 2);
});

Deno.test("DeferredList.cancel() logs an error thrown by a canceller and cancels the other inputs", () => {
  using captured = captureLog();
  const deferredOne = new Deferred<void>(() => {
    throw new RangeError("test");
  });
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo]);
  dl.cancel();
  failureResultOf(deferredTwo, CancelledError);
  const errors = captured.flushLoggedErrors(RangeError);
  equal(errors.length, 1);
  deepEqual(captured.messages, []);
  assertNoResult(deferredOne);
  assertNoResult(dl);
});

Deno.test("DeferredList.cancel() does nothing once fireOnOneCallback fired the list", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo], {
    fireOnOneCallback: true,
  });
  deferredOne.callback();
  dl.cancel();
  assertNoResult(deferredTwo);
  deepEqual(successResultOf(dl), [undefined, 0]);
});

Deno.test("DeferredList.cancel() does nothing once fireOnOneErrback failed the list", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const dl = new DeferredList([deferredOne, deferredTwo], {
    fireOnOneErrback: true,
  });
  deferredOne.errback(new GenericError("test"));
  dl.cancel();
  assertNoResult(deferredTwo);
  failureResultOf(deferredOne, GenericError);
  failureResultOf(dl, FirstError);
});

Deno.test("DeferredList.cancel() does nothing once the list fired", () => {
  let calls = 0;
  const d = new Deferred<number>(() => {
    calls++;
  });
  const dl = new DeferredList([d]);
  d.callback(1);
  dl.cancel();
  equal(calls, 0);
  deepEqual(successResultOf(dl), [[true, 1]]);
});

Deno.test("Deferred.cancel() on a Deferred waiting for a DeferredList cancels the list's inputs", () => {
  const input = new Deferred<number>();
  const outer = new Deferred<unknown>();
  outer.addCallback(() => new DeferredList([input]));
  outer.callback(null);
  outer.cancel();
  failureResultOf(input, CancelledError);
  const entries = successResultOf(outer) as DeferredListEntry<number>[];
  equal(entries.length, 1);
  equal(entries[0][0], false);
});

Deno.test("gatherResults() fires with the values in input order", () => {
  const results: number[][] = [];
  gatherResults([succeed(1), succeed(2)]).addCallback((r) => {
    results.push(r);
  });
  deepEqual(results, [[1, 2]]);
});

Deno.test("gatherResults() fires with an empty list when given no Deferreds", () => {
  deepEqual(successResultOf(gatherResults([])), []);
});

Deno.test("gatherResults() waits for every input", () => {
  const a = new Deferred<string>();
  const b = new Deferred<string>();
  const d = gatherResults([a, b]);
  b.callback("b");
  assertNoResult(d);
  a.callback("a");
  deepEqual(successResultOf(d), ["a", "b"]);
});

Deno.test("gatherResults() fails with a FirstError when an input fails", () => {
  const errors: Failure[] = [];
  const dl = [succeed(1), fail<number>(new RangeError("bad"))];
  gatherResults(dl).addErrback((f) => {
    errors.push(f);
  });
  equal(errors.length, 1);
  ok(errors[0] instanceof Failure);
  const firstError = errors[0].value as FirstError;
  ok(firstError instanceof FirstError);
  equal(firstError.index, 1);
  equal(firstError.subFailure.type, RangeError);
  dl[1].addErrback(() => 1);
});

Deno.test("gatherResults() reports the index of the first input to fail, not the first in order", () => {
  const ds = [new Deferred<void>(), new Deferred<void>(), new Deferred<void>()];
  const d = gatherResults(ds, true);
  ds[2].errback(new GenericError("third"));
  ds[0].errback(new GenericError("first"));
  const firstError = failureResultOf(d, FirstError).value as FirstError;
  equal(firstError.index, 2);
  equal(firstError.subFailure.getErrorMessage(), "third");
});

Deno.test("gatherResults() with consumeErrors continues failing inputs with undefined", () => {
  const dgood = succeed(1);
  const dbad = fail<number>(new RangeError("oh noes"));
  const d = gatherResults([dgood, dbad], true);
  const unconsumedErrors: Failure[] = [];
  dbad.addErrback((f) => {
    unconsumedErrors.push(f);
  });
  const gatheredErrors: Failure[] = [];
  d.addErrback((f) => {
    gatheredErrors.push(f);
  });
  deepEqual([unconsumedErrors.length, gatheredErrors.length], [0, 1]);
  ok(gatheredErrors[0].value instanceof FirstError);
  const firstError = (gatheredErrors[0].value as FirstError).subFailure;
  ok(firstError.value instanceof RangeError);
});

Deno.test("gatherResults() cancel() cancels every input", () => {
  const deferredOne = new Deferred<void>();
  const deferredTwo = new Deferred<void>();
  const result = gatherResults([deferredOne, deferredTwo]);
  result.cancel();
  failureResultOf(deferredOne, CancelledError);
  failureResultOf(deferredTwo, CancelledError);
  const firstError = failureResultOf(result, FirstError).value as FirstError;
  ok(firstError.subFailure.check(CancelledError));
});

Deno.test("gatherResults() cancel() fires with the values every canceller gave", () => {
  const deferredOne = new Deferred<string>(fakeCallbackCanceller);
  const deferredTwo = new Deferred<string>(fakeCallbackCanceller);
  const result = gatherResults([deferredOne, deferredTwo]);
  result.cancel();
  deepEqual(successResultOf(result), ["Callback Result", "Callback Result"]);
});

Deno.test("FirstError message names the index and the sub-failure's message", () => {
  const f = new Failure(new RangeError("some text"));
  const error = new FirstError(f, 3);
  equal(error.message, "FirstError[#3, some text]");
  equal(error.name, "FirstError");
});

Deno.test("FirstError keeps the sub-failure, its index, and the error as its cause", () => {
  const inner = new RangeError("bar");
  const f = new Failure(inner);
  const error = new FirstError(f, 9);
  equal(error.subFailure, f);
  equal(error.index, 9);
  equal(error.cause, inner);
  ok(error instanceof Error);
});
