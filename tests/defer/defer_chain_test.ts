// Copyright 2026 the Torsion authors. MIT license.
// The callback chain of Deferred, after Twisted's DeferredTests and
// AlreadyCalledTests (twisted/test/test_defer.py).
import {
  deepEqual,
  equal,
  match,
  notEqual,
  ok,
  throws,
} from "node:assert/strict";
import {
  AlreadyCalledError,
  Deferred,
  fail,
  Failure,
  gatherResults,
  succeed,
} from "../../defer/mod.ts";
import {
  assertNoResult,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";

class GenericError extends Error {
  override name = "GenericError";
}

Deno.test("Deferred.addCallback() passes the result to the callback", () => {
  const calls: unknown[][] = [];
  const errors: Failure[] = [];
  const d = new Deferred<string>();
  d.addCallback((...args: unknown[]) => {
    calls.push(args);
  });
  d.addErrback((f) => {
    errors.push(f);
  });
  d.callback("hello");
  deepEqual(calls, [["hello"]]);
  deepEqual(errors, []);
});

Deno.test("Deferred.addCallback() passes extra arguments after the result", () => {
  const calls: unknown[][] = [];
  const d = new Deferred<string>();
  d.addCallback(
    (...args: unknown[]) => {
      calls.push(args);
    },
    "world",
    2,
  );
  d.callback("hello");
  deepEqual(calls, [["hello", "world", 2]]);
});

Deno.test("Deferred.addErrback() passes extra arguments after the failure", () => {
  const calls: unknown[][] = [];
  const d = new Deferred<string>();
  d.addErrback((f: Failure, ...rest: unknown[]) => {
    calls.push([f.getErrorMessage(), ...rest]);
  }, "extra");
  d.errback(new GenericError("oops"));
  deepEqual(calls, [["oops", "extra"]]);
});

Deno.test("Deferred.addBoth() passes extra arguments on both paths", () => {
  const calls: unknown[][] = [];
  const record = (r: unknown, tag: string) => {
    calls.push([r instanceof Failure ? r.getErrorMessage() : r, tag]);
  };
  succeed("value").addBoth(record, "ok");
  fail(new GenericError("bad")).addBoth(record, "failed");
  deepEqual(calls, [["value", "ok"], ["bad", "failed"]]);
});

Deno.test("Deferred.addCallbacks() gives callbackArgs to the callback and errbackArgs to the errback", () => {
  const calls: unknown[][] = [];
  const cb = (r: unknown, ...a: unknown[]) => {
    calls.push(["cb", r, ...a]);
  };
  const eb = (f: Failure, ...a: unknown[]) => {
    calls.push(["eb", f.getErrorMessage(), ...a]);
  };
  succeed(1).addCallbacks(cb, eb, ["c1", "c2"], ["e1"]);
  fail(new GenericError("x")).addCallbacks(cb, eb, ["c1", "c2"], ["e1"]);
  deepEqual(calls, [["cb", 1, "c1", "c2"], ["eb", "x", "e1"]]);
});

Deno.test("Deferred runs two callbacks in order, each getting the previous result", () => {
  const seen: unknown[] = [];
  const d = new Deferred<string>();
  d.addCallback((r) => {
    seen.push(["first", r]);
    return r + "!";
  });
  d.addCallback((r) => {
    seen.push(["second", r]);
  });
  d.callback("hello");
  deepEqual(seen, [["first", "hello"], ["second", "hello!"]]);
  equal(successResultOf(d), undefined);
});

Deno.test("Deferred.addCallbacks() with a null errback passes the failure through", () => {
  const error = new GenericError("oopsie");
  const calls: unknown[] = [];
  const d = new Deferred<void>();
  d.addCallbacks(() => {
    calls.push("callback");
  }, null);
  d.errback(error);
  const received: unknown[][] = [];
  d.addErrback((...args: unknown[]) => {
    received.push(args);
  });
  deepEqual(calls, []);
  equal(received.length, 1);
  equal(received[0].length, 1);
  equal((received[0][0] as Failure).value, error);
});

Deno.test("Deferred.addCallbacks() with null callbackArgs calls the callback with the result only", () => {
  const calls: unknown[][] = [];
  const d = new Deferred<string>();
  d.addCallbacks(
    (...args: unknown[]) => {
      calls.push(args);
    },
    null,
    null as unknown as unknown[],
    [],
  );
  d.callback("hello");
  deepEqual(calls, [["hello"]]);
});

Deno.test("Deferred.addCallbacks() with null errbackArgs calls the errback with the failure only", () => {
  const calls: unknown[][] = [];
  const d = new Deferred<string>();
  d.addCallbacks(
    () => {},
    (...args: unknown[]) => {
      calls.push(args);
    },
    [],
    null as unknown as unknown[],
  );
  d.errback(new GenericError("oopsie"));
  equal(calls.length, 1);
  equal(calls[0].length, 1);
  ok(calls[0][0] instanceof Failure);
});

Deno.test("Deferred.addCallback() returns the Deferred itself", () => {
  const d = new Deferred<number>();
  equal(d.addCallback((n) => n), d);
  equal(d.addErrback(() => 0), d);
  equal(d.addBoth((r) => r), d);
  equal(d.addCallbacks((n) => n, null), d);
  d.callback(1);
  equal(successResultOf(d), 1);
});

Deno.test("Deferred.called is true once the Deferred has fired", () => {
  const d = new Deferred<number>();
  equal(d.called, false);
  d.callback(1);
  equal(d.called, true);
  const e = new Deferred<number>();
  e.errback(new GenericError("x"));
  equal(e.called, true);
  failureResultOf(e, GenericError);
});

Deno.test("Deferred.callback() runs the callbacks before it returns", () => {
  const seen: number[] = [];
  const d = new Deferred<number>();
  d.addCallback((n) => {
    seen.push(n);
  });
  d.callback(7);
  deepEqual(seen, [7]);
});

Deno.test("succeed() gives the same results as a Deferred fired with callback()", () => {
  function run(d: Deferred<number>): unknown[] {
    const seen: unknown[] = [];
    d.addCallback((n) => {
      seen.push(n);
      return n + 1;
    }).addCallback((n) => {
      seen.push(n);
    });
    return seen;
  }
  const d = new Deferred<number>();
  d.callback(41);
  deepEqual(run(succeed(41)), run(d));
  deepEqual(run(succeed(41)), [41, 42]);
});

Deno.test("succeed() runs callbacks added later synchronously", () => {
  const seen: string[] = [];
  succeed("success").addCallback((s) => {
    seen.push(s);
  });
  deepEqual(seen, ["success"]);
});

Deno.test("fail() runs errbacks added later synchronously", () => {
  const seen: string[] = [];
  fail(new GenericError("fail")).addErrback((f) => {
    seen.push(f.getErrorMessage());
  });
  deepEqual(seen, ["fail"]);
});

Deno.test("fail() keeps a given Failure object", () => {
  const failure = new Failure(new GenericError("given"));
  equal(failureResultOf(fail(failure)), failure);
});

Deno.test("Deferred.errback() wraps a bare error in a Failure", () => {
  const error = new GenericError("bare");
  const d = new Deferred<void>();
  d.errback(error);
  const f = failureResultOf(d, GenericError);
  ok(f instanceof Failure);
  equal(f.value, error);
});

Deno.test("Deferred.errback() keeps a given Failure object", () => {
  const failure = new Failure(new GenericError("given"));
  const d = new Deferred<void>();
  d.errback(failure);
  equal(failureResultOf(d), failure);
});

Deno.test("Deferred.errback() without an argument fails with an Error", () => {
  const d = new Deferred<void>();
  d.errback();
  const f = failureResultOf(d, Error);
  match(f.getErrorMessage(), /without a reason/);
});

Deno.test("Deferred.callback() with a Failure takes the errback path", () => {
  const failure = new Failure(new GenericError("as result"));
  const seen: unknown[] = [];
  const d = new Deferred<unknown>();
  d.addCallbacks(() => {
    seen.push("callback");
  }, (f) => {
    seen.push(f);
  });
  d.callback(failure);
  deepEqual(seen, [failure]);
});

Deno.test("Deferred.callback() with a Deferred hands it to the first callback without chaining", () => {
  const inner = new Deferred<number>();
  const outer = new Deferred<Deferred<number>>();
  let got: unknown;
  outer.addCallback((r) => {
    got = r;
    return "next";
  });
  outer.callback(inner);
  equal(got, inner);
  equal(successResultOf(outer), "next");
  assertNoResult(inner);
});

Deno.test("Deferred switches to errbacks when a callback throws", () => {
  const failures: Failure[] = [];
  const d = new Deferred<number>();
  d.addCallback(() => {
    throw new RangeError("division by zero");
  }).addErrback((f) => {
    failures.push(f);
  });
  d.callback(1);
  equal(failures.length, 1);
  ok(failures[0].value instanceof RangeError);
});

Deno.test("Deferred switches to errbacks when a callback returns a Failure", () => {
  const failures: Failure[] = [];
  const returned = new Failure(new RangeError("returned"));
  const d = new Deferred<number>();
  d.addCallback(() => returned).addErrback((f) => {
    failures.push(f);
  });
  d.callback(1);
  deepEqual(failures, [returned]);
});

Deno.test("Deferred switches to errbacks when a callback throws a Failure", () => {
  const thrown = new Failure(new RangeError("thrown"));
  const d = succeed(1).addCallback(() => {
    throw thrown;
  });
  equal(failureResultOf(d), thrown);
});

Deno.test("Deferred recovers when an errback returns a value", () => {
  const d = fail<string>(new GenericError("down"))
    .addErrback(() => "recovered")
    .addCallback((s) => s.toUpperCase());
  equal(successResultOf(d), "RECOVERED");
});

Deno.test("Deferred passes on the new error when an errback throws", () => {
  const d = fail(new GenericError("first")).addErrback(() => {
    throw new TypeError("second");
  });
  equal(failureResultOf(d, TypeError).getErrorMessage(), "second");
});

Deno.test("Deferred runs only one side of a callback/errback pair", () => {
  const seen: string[] = [];
  const d = new Deferred<number>();
  d.addCallbacks(() => {
    seen.push("cb1");
    throw new GenericError("from cb1");
  }, () => {
    seen.push("eb1");
  });
  d.addCallbacks(() => {
    seen.push("cb2");
  }, (f) => {
    seen.push(`eb2: ${f.getErrorMessage()}`);
    return 0;
  });
  d.addCallbacks(() => {
    seen.push("cb3");
  }, () => {
    seen.push("eb3");
  });
  d.callback(1);
  deepEqual(seen, ["cb1", "eb2: from cb1", "cb3"]);
});

Deno.test("Deferred passes an untrapped failure on unchanged", () => {
  const original = new Failure(new TypeError("not trapped"));
  const d = fail(original).addErrback((f) => {
    f.trap(RangeError);
  });
  equal(failureResultOf(d, TypeError), original);
});

Deno.test("Deferred recovers when an errback traps the failure", () => {
  const d = fail(new RangeError("trapped")).addErrback((f) => {
    f.trap(TypeError, RangeError);
    return "handled";
  });
  equal(successResultOf(d), "handled");
});

Deno.test("Deferred.pause() holds a failure until unpause()", () => {
  const seen: string[] = [];
  const d = fail(new GenericError("fail"));
  d.pause();
  d.addErrback((f) => {
    seen.push(f.getErrorMessage());
  });
  deepEqual(seen, []);
  d.unpause();
  deepEqual(seen, ["fail"]);
});

Deno.test("Deferred.pause() before callback() holds the callbacks until unpause()", () => {
  const seen: number[] = [];
  const d = new Deferred<number>();
  d.pause();
  d.addCallback((n) => {
    seen.push(n);
  });
  d.callback(1);
  deepEqual(seen, []);
  d.unpause();
  deepEqual(seen, [1]);
});

Deno.test("Deferred.unpause() before callback() lets callback() run the callbacks", () => {
  const seen: number[] = [];
  const d = new Deferred<number>();
  d.pause();
  d.addCallback((n) => {
    seen.push(n);
  });
  d.unpause();
  deepEqual(seen, []);
  d.callback(3);
  deepEqual(seen, [3]);
});

Deno.test("Deferred.paused counts pauses, and callbacks wait for every unpause()", () => {
  const seen: number[] = [];
  const d = succeed(5);
  d.pause();
  d.pause();
  equal(d.paused, 2);
  d.addCallback((n) => {
    seen.push(n);
  });
  d.unpause();
  equal(d.paused, 1);
  deepEqual(seen, []);
  d.unpause();
  equal(d.paused, 0);
  deepEqual(seen, [5]);
});

Deno.test("Deferred waits for a paused Deferred returned by a callback to be unpaused", () => {
  const seen: number[] = [];
  const d1 = new Deferred<number>();
  const d2 = new Deferred<number>();
  d2.pause();
  d1.addCallback(() => d2);
  d1.addCallback((n) => {
    seen.push(n);
  });
  d1.callback(1);
  deepEqual(seen, []);
  d2.callback(2);
  deepEqual(seen, []);
  d2.unpause();
  deepEqual(seen, [2]);
  equal(d1.paused, 0);
});

Deno.test("Deferred chains to a paused Deferred that already has a result", () => {
  const expected = {};
  const paused = new Deferred<object>();
  paused.callback(expected);
  paused.pause();
  const chained = new Deferred<void>();
  chained.addCallback(() => paused);
  chained.callback();
  const seen: unknown[] = [];
  chained.addCallback((r) => {
    seen.push(r);
  });
  deepEqual(seen, []);
  paused.unpause();
  equal(seen.length, 1);
  equal(seen[0], expected);
});

Deno.test("Deferred lets a chained Deferred run its callbacks while the waiting one is paused", () => {
  const first = new Deferred<void>();
  const second = new Deferred<void>();
  first.addCallback(() => second);
  first.callback();
  first.pause();
  second.callback();
  const seen: unknown[] = [];
  second.addCallback((r) => {
    seen.push(r);
  });
  deepEqual(seen, [null]);
});

Deno.test("Deferred runs a callback added by a callback after the callbacks already added", () => {
  const called: number[] = [];
  const d = new Deferred<void>();
  d.addCallback(() => {
    called.push(1);
    d.addCallback(() => {
      called.push(3);
    });
  });
  d.addCallback(() => {
    called.push(2);
  });
  d.callback();
  deepEqual(called, [1, 2, 3]);
});

Deno.test("Deferred does not run a callback added by a callback before that callback returns", () => {
  const called: number[] = [];
  const during: number[][] = [];
  const d = new Deferred<void>();
  d.addCallback(() => {
    called.push(1);
    d.addCallback(() => {
      called.push(2);
    });
    during.push([...called]);
  });
  d.callback();
  deepEqual(during, [[1]]);
  deepEqual(called, [1, 2]);
});

Deno.test("Deferred does not run a callback added by a callback of a fired Deferred re-entrantly", () => {
  const called: number[] = [];
  const d = succeed(0);
  d.addCallback(() => {
    d.addCallback(() => {
      called.push(2);
    });
    called.push(1);
  });
  deepEqual(called, [1, 2]);
});

Deno.test("Deferred hands the error of a callback added by a callback to the next errback", () => {
  const d = new Deferred<void>();
  d.addCallback(() => {
    d.addCallback(() => {
      throw new GenericError("callback raised exception");
    });
  });
  d.callback();
  equal(
    failureResultOf(d, GenericError).getErrorMessage(),
    "callback raised exception",
  );
});

Deno.test("Deferred takes over the result of an unfired Deferred returned by a callback once it fires", () => {
  const first = new Deferred<object>();
  const second = new Deferred<unknown>();
  second.addCallback(() => first);
  second.callback(null);
  const firstResult: unknown[] = [];
  first.addCallback((r) => {
    firstResult.push(r);
  });
  const secondResult: unknown[] = [];
  second.addCallback((r) => {
    secondResult.push(r);
  });
  deepEqual(firstResult, []);
  deepEqual(secondResult, []);
  const result = {};
  first.callback(result);
  deepEqual(firstResult, [null]);
  equal(secondResult.length, 1);
  equal(secondResult[0], result);
});

Deno.test("Deferred takes over the failure of a failed Deferred returned by a callback", () => {
  const first = fail(new RangeError("First Deferred's Failure"));
  const second = new Deferred<void>();
  second.addCallback(() => first);
  second.callback();
  const firstResult: unknown[] = [];
  first.addCallback((r) => {
    firstResult.push(r);
  });
  deepEqual(firstResult, [null]);
  failureResultOf(second, RangeError);
});

Deno.test("Deferred takes over the failure of an unfired Deferred returned by a callback once it fails", () => {
  const first = new Deferred<void>();
  const second = new Deferred<void>();
  second.addCallback(() => first);
  second.callback();
  const secondError: Failure[] = [];
  second.addErrback((f) => {
    secondError.push(f);
  });
  const firstResult: unknown[] = [];
  first.addCallback((r) => {
    firstResult.push(r);
  });
  const secondResult: unknown[] = [];
  second.addCallback((r) => {
    secondResult.push(r);
  });
  deepEqual(firstResult, []);
  deepEqual(secondResult, []);
  first.errback(new RangeError("First Deferred's Failure"));
  ok(secondError[0].check(RangeError));
  deepEqual(firstResult, [null]);
  equal(secondResult.length, 1);
});

Deno.test("Deferred waits for an unfired Deferred returned by an errback", () => {
  const inner = new Deferred<string>();
  const outer = fail<string>(new GenericError("x")).addErrback(() => inner);
  assertNoResult(outer);
  inner.callback("recovered later");
  equal(successResultOf(outer), "recovered later");
});

Deno.test("Deferred chaining is transitive", () => {
  const first = new Deferred<object>();
  const second = new Deferred<unknown>();
  second.addCallback(() => first);
  const third = new Deferred<unknown>();
  third.addCallback(() => second);
  const thirdResult: unknown[] = [];
  third.addCallback((r) => {
    thirdResult.push(r);
  });
  second.callback(null);
  third.callback(null);
  deepEqual(thirdResult, []);
  const result = {};
  first.callback(result);
  equal(thirdResult.length, 1);
  equal(thirdResult[0], result);
});

Deno.test("Deferred runs the middle Deferred's callbacks after the inner one fires and before the outer one resumes", () => {
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const inner = new Deferred<string>();
  function cb(result: string): Deferred<string> {
    results.push(["start-of-cb", result]);
    const d = succeed("inner");
    d.addCallback(() => {
      results.push(["firstCallback", "inner"]);
      return inner;
    }).addCallback((result: string) => {
      results.push(["secondCallback", result]);
      return result + result;
    }).addErrback((f) => {
      failures.push(f);
    });
    return d as Deferred<string>;
  }
  const outer = succeed("outer");
  outer.addCallback(cb);
  inner.callback("orange");
  outer.addCallback((r) => {
    results.push(r);
  });
  inner.addErrback((f) => {
    failures.push(f);
  });
  outer.addErrback((f) => {
    failures.push(f);
  });
  deepEqual(failures, []);
  deepEqual(results, [
    ["start-of-cb", "outer"],
    ["firstCallback", "inner"],
    ["secondCallback", "orange"],
    "orangeorange",
  ]);
});

Deno.test("Deferred continues the outer chain when a nested Deferred fires later", () => {
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const inner = new Deferred<string>();
  function cb(result: string): Deferred<string> {
    results.push(["start-of-cb", result]);
    const d = succeed("inner");
    d.addCallback(() => {
      results.push(["firstCallback", "inner"]);
      return inner;
    }).addCallback((result: string) => {
      results.push(["secondCallback", result]);
      return result + result;
    }).addErrback((f) => {
      failures.push(f);
    });
    return d as Deferred<string>;
  }
  const outer = succeed("outer");
  outer.addCallback(cb);
  outer.addCallback((r) => {
    results.push(r);
  });
  deepEqual(results, [["start-of-cb", "outer"], ["firstCallback", "inner"]]);
  inner.callback("orange");
  inner.addErrback((f) => {
    failures.push(f);
  });
  outer.addErrback((f) => {
    failures.push(f);
  });
  deepEqual(failures, []);
  deepEqual(results, [
    ["start-of-cb", "outer"],
    ["firstCallback", "inner"],
    ["secondCallback", "orange"],
    "orangeorange",
  ]);
});

Deno.test("Deferred applies callbacks added to a nested Deferred before it was returned", () => {
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const inner = new Deferred<unknown>();
  function cb(result: string): Deferred<unknown> {
    results.push(["start-of-cb", result]);
    const d = succeed<unknown>("inner");
    d.addCallback((result) => {
      results.push(["firstCallback", result]);
      return inner.addCallback((r) => [r]);
    });
    d.addCallback((result) => {
      results.push(["secondCallback", result]);
      return [...(result as unknown[]), ...(result as unknown[])];
    });
    d.addErrback((f) => {
      failures.push(f);
    });
    return d;
  }
  const outer = succeed("outer");
  outer.addCallback(cb);
  outer.addCallback((r) => {
    results.push(r);
  });
  deepEqual(results, [["start-of-cb", "outer"], ["firstCallback", "inner"]]);
  inner.callback("withers");
  outer.addErrback((f) => {
    failures.push(f);
  });
  inner.addErrback((f) => {
    failures.push(f);
  });
  deepEqual(failures, []);
  deepEqual(results, [
    ["start-of-cb", "outer"],
    ["firstCallback", "inner"],
    ["secondCallback", ["withers"]],
    ["withers", "withers"],
  ]);
});

Deno.test("Deferred resumes a chain whose continuation is not the first step of the awaited Deferred", () => {
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const a = new Deferred<string>();
  function cb(result: string): Deferred<unknown> {
    results.push(["cb", result]);
    const d = new Deferred<unknown>();
    d.addCallback((result) => {
      results.push(["firstCallback", result]);
      return gatherResults([a]);
    });
    d.addCallback((result) => {
      results.push(["secondCallback", result]);
    });
    d.addErrback((f) => {
      failures.push(f);
    });
    d.callback(null);
    return d;
  }
  const outer = succeed("outer");
  outer.addCallback(cb);
  outer.addErrback((f) => {
    failures.push(f);
  });
  deepEqual(results, [["cb", "outer"], ["firstCallback", null]]);
  a.callback("withers");
  deepEqual(failures, []);
  deepEqual(results, [
    ["cb", "outer"],
    ["firstCallback", null],
    ["secondCallback", ["withers"]],
  ]);
});

Deno.test("Deferred runs a callback added after a chaining callback after the chained Deferred's callbacks", () => {
  const results: unknown[] = [];
  const failures: Failure[] = [];
  const a = new Deferred<string>();
  function cb(result: string): Deferred<unknown> {
    results.push(["cb", result]);
    const d = new Deferred<unknown>();
    d.addCallback((result) => {
      results.push(["firstCallback", result]);
      return gatherResults([a]);
    });
    d.addCallback((result) => {
      results.push(["secondCallback", result]);
    });
    d.addErrback((f) => {
      failures.push(f);
    });
    d.callback(null);
    return d;
  }
  const outer = new Deferred<string>();
  outer.addCallback(cb);
  outer.addCallback(() => {
    results.push(["final", null]);
  });
  outer.addErrback((f) => {
    failures.push(f);
  });
  outer.callback("outer");
  deepEqual(results, [["cb", "outer"], ["firstCallback", null]]);
  a.callback("withers");
  deepEqual(failures, []);
  deepEqual(results, [
    ["cb", "outer"],
    ["firstCallback", null],
    ["secondCallback", ["withers"]],
    ["final", null],
  ]);
});

Deno.test("Deferred runs callbacks added to the middle of three chained Deferreds after the last fires", () => {
  const first = new Deferred<void>();
  const second = new Deferred<void>();
  const third = new Deferred<void>();
  first.addCallback(() => second);
  second.addCallback(() => third);
  second.callback();
  first.callback();
  third.callback();
  const results: unknown[] = [];
  second.addCallback((r) => {
    results.push(r);
  });
  deepEqual(results, [null]);
});

Deno.test("Deferred steals results from 10,000 already-fired Deferreds returned by callbacks", () => {
  const d = succeed(0);
  for (let i = 0; i < 10_000; i++) {
    d.addCallback((n) => succeed(n + 1));
  }
  equal(successResultOf(d), 10_000);
});

Deno.test("Deferred passes a failure out of 10,000 nested chained Deferreds", () => {
  const top = new Deferred<unknown>();
  const inners = Array.from({ length: 10_000 }, () => new Deferred<unknown>());
  top.addCallback(() => inners[0]);
  for (let i = 0; i < inners.length - 1; i++) {
    inners[i].addCallback(() => inners[i + 1]);
  }
  const last = new Deferred<unknown>();
  inners[inners.length - 1].addCallback(() => last);
  top.callback(null);
  for (const d of inners) d.callback(null);
  assertNoResult(top);
  last.errback(new GenericError("deep"));
  equal(failureResultOf(top, GenericError).getErrorMessage(), "deep");
});

Deno.test("Deferred.chainDeferred() fires the other Deferred with the result and continues with undefined", () => {
  const a = new Deferred<number>();
  const b = new Deferred<number>();
  a.chainDeferred(b);
  a.callback(5);
  equal(successResultOf(b), 5);
  equal(successResultOf(a), undefined);
});

Deno.test("Deferred.chainDeferred() fires the other Deferred with the failure", () => {
  const a = new Deferred<number>();
  const b = new Deferred<number>();
  const failure = new Failure(new GenericError("passed on"));
  a.chainDeferred(b);
  a.errback(failure);
  equal(failureResultOf(b), failure);
  equal(successResultOf(a), undefined);
});

Deno.test("Deferred.chainDeferred() records the chain in toString()", () => {
  const a = new Deferred<void>();
  const b = new Deferred<void>();
  b.chainDeferred(a);
  const id = /^<Deferred #(\d+)>$/.exec(b.toString())?.[1];
  ok(id !== undefined);
  match(
    a.toString(),
    new RegExp(`^<Deferred #\\d+ waiting on Deferred #${id}>$`),
  );
});

Deno.test("Deferred forgets an explicit chain once it is resolved", () => {
  const a = new Deferred<string>();
  const b = new Deferred<string>();
  b.chainDeferred(a);
  b.callback("done");
  match(a.toString(), /^<Deferred #\d+ current result: done>$/);
});

Deno.test("Deferred records an implicit chain in toString()", () => {
  const a = new Deferred<void>();
  const b = new Deferred<void>();
  a.addCallback(() => b);
  a.callback();
  const id = /^<Deferred #(\d+)>$/.exec(b.toString())?.[1];
  ok(id !== undefined);
  match(
    a.toString(),
    new RegExp(`^<Deferred #\\d+ waiting on Deferred #${id}>$`),
  );
});

Deno.test("Deferred.toString() names an unfired Deferred", () => {
  match(new Deferred().toString(), /^<Deferred #\d+>$/);
});

Deno.test("Deferred.toString() shows the current result", () => {
  const d = new Deferred<string>();
  d.callback("orange");
  match(d.toString(), /^<Deferred #\d+ current result: orange>$/);
});

Deno.test("Deferred.toString() shows a failure result", () => {
  const d = fail(new RangeError("bad"));
  match(
    d.toString(),
    /^<Deferred #\d+ current result: \[Failure instance: Traceback: RangeError: bad\]>$/,
  );
  failureResultOf(d, RangeError);
});

Deno.test("Deferred.toString() gives each Deferred its own number", () => {
  notEqual(new Deferred().toString(), new Deferred().toString());
});

Deno.test("Deferred.callback() after callback() throws AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.addCallbacks(() => {}, () => {});
  d.callback("hello");
  throws(() => d.callback("twice"), AlreadyCalledError);
});

Deno.test("Deferred.errback() after callback() throws AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.addCallbacks(() => {}, () => {});
  d.callback("hello");
  throws(() => d.errback(new Failure(new GenericError())), AlreadyCalledError);
});

Deno.test("Deferred.errback() after errback() throws AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.addCallbacks(() => {}, () => {});
  d.errback(new Failure(new GenericError()));
  throws(() => d.errback(new Failure(new GenericError())), AlreadyCalledError);
});

Deno.test("Deferred.callback() after errback() throws AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.addCallbacks(() => {}, () => {});
  d.errback(new Failure(new GenericError()));
  throws(() => d.callback("twice"), AlreadyCalledError);
});

Deno.test("Deferred keeps its first result when a second fire throws AlreadyCalledError", () => {
  const d = new Deferred<string>();
  d.callback("first");
  throws(() => d.callback("second"), AlreadyCalledError);
  throws(() => d.errback(new GenericError("late")), AlreadyCalledError);
  equal(successResultOf(d), "first");
});

Deno.test("AlreadyCalledError is an Error with its name set", () => {
  const d = succeed(1);
  throws(() => d.callback(2), (e: unknown) => {
    ok(e instanceof Error);
    equal((e as Error).name, "AlreadyCalledError");
    return true;
  });
});
