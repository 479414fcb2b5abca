// Copyright 2026 the Torsion authors. MIT license.
// Deferreds and promises (await, then/catch/finally, asPromise, fromPromise,
// promises returned by callbacks), and maybeDeferred/execute/ensureDeferred,
// after Twisted's DeferredTests.test_maybeDeferred*, EnsureDeferredTests and
// DeferredFutureAdapterTests (twisted/test/test_defer.py).
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  CancelledError,
  Deferred,
  ensureDeferred,
  execute,
  fail,
  Failure,
  maybeDeferred,
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

/** Lets pending promise reactions run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("Deferred can be awaited for its result", async () => {
  equal(await succeed(42), 42);
});

Deno.test("Deferred awaited rejects with the failure's error, not the Failure", async () => {
  const error = new GenericError("awaited");
  await rejects(
    async () => {
      await fail(error);
    },
    (e: unknown) => e === error,
  );
});

Deno.test("Deferred awaited before it fires resolves once it fires", async () => {
  const d = new Deferred<string>();
  const p = (async () => await d)();
  d.callback("later");
  equal(await p, "later");
});

Deno.test("Deferred awaited keeps its result for callbacks added later", async () => {
  const d = succeed("kept");
  equal(await d, "kept");
  equal(successResultOf(d), "kept");
});

Deno.test("Deferred awaited keeps its failure for errbacks added later", async () => {
  const d = fail(new GenericError("kept"));
  await rejects(async () => await d, GenericError);
  equal(failureResultOf(d, GenericError).getErrorMessage(), "kept");
});

Deno.test("Deferred.then() runs its handler on a later microtask", async () => {
  let ran = false;
  const p = succeed(1).then(() => {
    ran = true;
  });
  equal(ran, false);
  await p;
  equal(ran, true);
});

Deno.test("Deferred.then() gives a promise of the handler's result", async () => {
  equal(await succeed(2).then((n) => n + 1), 3);
});

Deno.test("Deferred.then() gives the failure's error to the rejection handler", async () => {
  const error = new GenericError("then");
  const got = await fail(error).then(() => "no", (e) => e);
  equal(got, error);
});

Deno.test("Deferred.catch() handles the failure's error", async () => {
  equal(
    await fail(new GenericError("caught")).catch((e) => (e as Error).message),
    "caught",
  );
});

Deno.test("Deferred.catch() passes a result through", async () => {
  equal(await succeed(5).catch(() => 0), 5);
});

Deno.test("Deferred.finally() runs on success and keeps the result", async () => {
  let ran = 0;
  equal(
    await succeed("v").finally(() => {
      ran++;
    }),
    "v",
  );
  equal(ran, 1);
});

Deno.test("Deferred.finally() runs on failure and keeps the failure", async () => {
  let ran = 0;
  await rejects(
    fail(new GenericError("f")).finally(() => {
      ran++;
    }),
    GenericError,
  );
  equal(ran, 1);
});

Deno.test("Deferred.asPromise() resolves with a result given later", async () => {
  const d = new Deferred<number>();
  const p = d.asPromise();
  d.callback(9);
  equal(await p, 9);
  equal(successResultOf(d), 9);
});

Deno.test("Deferred.asPromise() rejects with the failure's error", async () => {
  const d = new Deferred<number>();
  const p = d.asPromise();
  const error = new RangeError("r");
  d.errback(error);
  await rejects(p, (e: unknown) => e === error);
  failureResultOf(d, RangeError);
});

Deno.test("Deferred.asPromise() sees the result at its place in the chain", async () => {
  const d = new Deferred<number>();
  d.addCallback((n) => n * 2);
  const p = d.asPromise();
  d.addCallback((n) => n + 1);
  d.callback(10);
  equal(await p, 20);
  equal(successResultOf(d), 21);
});

Deno.test("Deferred works with Promise.all()", async () => {
  const later = new Deferred<number>();
  const all = Promise.all([succeed(1), later]);
  later.callback(2);
  deepEqual(await all, [1, 2]);
});

Deno.test("Deferred.fromPromise() fires with the promise's value", async () => {
  const d = Deferred.fromPromise(Promise.resolve("value"));
  assertNoResult(d);
  await nextTurn();
  equal(successResultOf(d), "value");
});

Deno.test("Deferred.fromPromise() fails with the promise's rejection", async () => {
  const error = new GenericError("rejected");
  const d = Deferred.fromPromise(Promise.reject(error));
  await nextTurn();
  equal(failureResultOf(d, GenericError).value, error);
});

Deno.test("Deferred.fromPromise() cancelled fails with CancelledError and ignores the promise's outcome", async () => {
  using captured = captureLog();
  const { promise, resolve } = Promise.withResolvers<string>();
  const d = Deferred.fromPromise(promise);
  d.cancel();
  failureResultOf(d, CancelledError);
  resolve("too late");
  await nextTurn();
  deepEqual(captured.events, []);
});

Deno.test("Deferred.fromPromise() logs a promise outcome that comes after the Deferred was fired by hand", async () => {
  using captured = captureLog();
  const { promise, resolve } = Promise.withResolvers<string>();
  const d = Deferred.fromPromise(promise);
  d.callback("by hand");
  resolve("from the promise");
  await nextTurn();
  equal(successResultOf(d), "by hand");
  equal(captured.flushLoggedErrors("AlreadyCalledError").length, 1);
});

Deno.test("Deferred waits for a promise returned by a callback", async () => {
  const { promise, resolve } = Promise.withResolvers<string>();
  const d = succeed(1).addCallback(() => promise);
  equal(d.paused, 1);
  assertNoResult(d);
  resolve("resolved");
  await nextTurn();
  equal(successResultOf(d), "resolved");
});

Deno.test("Deferred fails with the rejection of a promise returned by a callback", async () => {
  const error = new GenericError("async failure");
  const d = succeed(1).addCallback(() => Promise.reject(error));
  await nextTurn();
  equal(failureResultOf(d, GenericError).value, error);
});

Deno.test("Deferred waits for an async callback", async () => {
  const seen: unknown[] = [];
  const d = succeed(2)
    .addCallback(async (n) => {
      await nextTurn();
      return n * 3;
    })
    .addCallback((n) => {
      seen.push(n);
    });
  deepEqual(seen, []);
  await d;
  deepEqual(seen, [6]);
});

Deno.test("Deferred waits for a custom thenable returned by a callback", () => {
  let onResolve: ((v: string) => void) | undefined;
  const thenable: PromiseLike<string> = {
    then(resolve) {
      onResolve = resolve as (v: string) => void;
      return this as unknown as PromiseLike<never>;
    },
  };
  const d = succeed(1).addCallback(() => thenable);
  assertNoResult(d);
  ok(onResolve);
  onResolve("from thenable");
  equal(successResultOf(d), "from thenable");
});

Deno.test("Deferred.cancel() on a Deferred waiting for a promise fails it and ignores the promise's outcome", async () => {
  using captured = captureLog();
  const { promise, resolve } = Promise.withResolvers<string>();
  const d = succeed(1).addCallback(() => promise);
  d.cancel();
  failureResultOf(d, CancelledError);
  resolve("too late");
  await nextTurn();
  deepEqual(captured.events, []);
  equal(successResultOf(d), undefined);
});

Deno.test("maybeDeferred() fires with the function's return value", () => {
  const result = {};
  const results: unknown[] = [];
  const errors: Failure[] = [];
  maybeDeferred(() => result).addCallbacks((r) => {
    results.push(r);
  }, (f) => {
    errors.push(f);
  });
  deepEqual(errors, []);
  equal(results.length, 1);
  equal(results[0], result);
});

Deno.test("maybeDeferred() passes the arguments to the function", () => {
  const d = maybeDeferred((x: number) => x + 5, 10);
  equal(successResultOf(d), 15);
});

Deno.test("maybeDeferred() fails with what the function throws", () => {
  const d = maybeDeferred((x: unknown) => {
    if (typeof x !== "number") throw new TypeError(`not a number: ${x}`);
    return x + 5;
  }, "10");
  equal(failureResultOf(d, TypeError).getErrorMessage(), "not a number: 10");
});

Deno.test("maybeDeferred() fails with a Failure the function returns", () => {
  const expected = new Failure(new TypeError("returned"));
  const errors: Failure[] = [];
  maybeDeferred(() => expected).addErrback((f) => {
    errors.push(f);
  });
  equal(errors.length, 1);
  equal(errors[0], expected);
});

Deno.test("maybeDeferred() returns a Deferred the function returns", () => {
  const d1 = new Deferred<string>();
  const d2 = maybeDeferred(() => d1);
  equal(d2, d1);
  d1.callback("Success");
  equal(successResultOf(d2), "Success");
});

Deno.test("maybeDeferred() passes on the failure of a Deferred the function returns", () => {
  const d1 = new Deferred<void>();
  const d2 = maybeDeferred(() => d1);
  d1.errback(new Failure(new RangeError()));
  failureResultOf(d2, RangeError);
});

Deno.test("maybeDeferred() wraps a promise the function returns", async () => {
  const d = maybeDeferred(() => Promise.resolve("async"));
  ok(d instanceof Deferred);
  equal(await d, "async");
});

Deno.test("maybeDeferred() fails with the rejection of an async function", async () => {
  const d = maybeDeferred(async () => {
    await nextTurn();
    throw new GenericError("async throw");
  });
  await rejects(d.asPromise(), GenericError);
  failureResultOf(d, GenericError);
});

Deno.test("execute() fires with the function's return value", () => {
  equal(successResultOf(execute((a: number, b: number) => a + b, 2, 3)), 5);
});

Deno.test("execute() fails with what the function throws", () => {
  const d = execute(() => {
    throw new GenericError("executed");
  });
  equal(failureResultOf(d, GenericError).getErrorMessage(), "executed");
});

Deno.test("execute() does not chain a Deferred the function returns", () => {
  const inner = new Deferred<number>();
  let got: unknown;
  execute(() => inner).addCallback((r) => {
    got = r;
    return null;
  });
  equal(got, inner);
  assertNoResult(inner);
});

Deno.test("ensureDeferred() returns a Deferred as it is", () => {
  const d1 = new Deferred<void>();
  equal(ensureDeferred(d1), d1);
});

Deno.test("ensureDeferred() turns a promise into a Deferred", async () => {
  async function run(): Promise<string> {
    const res = await succeed("foo");
    return res;
  }
  const r = run();
  ok(r instanceof Promise);
  const d = ensureDeferred(r);
  ok(d instanceof Deferred);
  equal(await d, "foo");
  equal(successResultOf(d), "foo");
});

Deno.test("ensureDeferred() fails with the rejection of a promise", async () => {
  const d = ensureDeferred(Promise.reject(new GenericError("no")));
  await nextTurn();
  failureResultOf(d, GenericError);
});

Deno.test("ensureDeferred() turns a plain value into a fired Deferred", () => {
  const d = ensureDeferred("something");
  ok(d instanceof Deferred);
  equal(successResultOf(d), "something");
});

Deno.test("ensureDeferred() of an async function can be cancelled", async () => {
  using captured = captureLog();
  const { promise, resolve } = Promise.withResolvers<void>();
  const d = ensureDeferred((async () => {
    await promise;
    return "done";
  })());
  d.cancel();
  failureResultOf(d, CancelledError);
  resolve();
  await nextTurn();
  deepEqual(captured.events, []);
  match(d.toString(), /current result: undefined/);
});
