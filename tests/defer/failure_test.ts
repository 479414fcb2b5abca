// Copyright 2026 the Torsion authors. MIT license.
// Failure, after Twisted's FailureTests and GetTracebackTests
// (twisted/test/test_failure.py), for what applies to JavaScript errors.
import {
  deepEqual,
  equal,
  match,
  notEqual,
  ok,
  throws,
} from "node:assert/strict";
import { Deferred, Failure } from "../../defer/mod.ts";
import { failureResultOf } from "../../reactor/testing/mod.ts";

class NotImplementedError extends RangeError {
  override name = "NotImplementedError";
}

/** A value that cannot be turned into a string. */
const unprintable = {
  toString(): string {
    throw new Error("You cannot make a string out of me.");
  },
};

/** An error whose message cannot be read. */
class BrokenMessage extends Error {
  override get message(): string {
    throw new Error("no message");
  }
}

/** An error class whose name cannot be read. */
class BrokenType extends Error {
  static override get name(): string {
    throw new Error("no name");
  }
}

function makeError(): RangeError {
  return new RangeError("made here");
}

Deno.test("Failure.trap() returns the first matching type", () => {
  const f = new Failure(new NotImplementedError("test"));
  const error = f.trap(SyntaxError, RangeError);
  equal(error, RangeError);
  equal(f.type, NotImplementedError);
});

Deno.test("Failure.trap() of a matching type leaves the value alone", () => {
  const e = new RangeError();
  const f = new Failure(e);
  f.trap(RangeError);
  equal(f.value, e);
});

Deno.test("Failure.trap() throws the Failure itself when nothing matches", () => {
  const f = new Failure(new TypeError("untrapped"));
  throws(() => f.trap(RangeError, SyntaxError), (e: unknown) => e === f);
});

Deno.test("Failure.trap() matches class names given as strings", () => {
  const f = new Failure(new NotImplementedError("named"));
  equal(f.trap("RangeError"), "RangeError");
  throws(() => f.trap("TypeError"), (e: unknown) => e === f);
});

Deno.test("Failure made from a Failure has the same value", () => {
  const e = new RangeError();
  const f1 = new Failure(e);
  const f2 = new Failure(f1);
  equal(f2.value, e);
  equal(f2.type, RangeError);
  equal(f2.getTraceback(), f1.getTraceback());
});

Deno.test("Failure made from what Failure.trap() threw has the original value", () => {
  const e = new RangeError();
  const f1 = new Failure(e);
  let f2: Failure | undefined;
  try {
    f1.trap(SyntaxError);
  } catch (thrown) {
    f2 = new Failure(thrown);
  }
  equal(f2?.value, e);
});

Deno.test("Failure.check() returns the first matching argument", () => {
  const f = new Failure(new NotImplementedError("x"));
  equal(f.check(TypeError, RangeError, Error), RangeError);
  equal(f.check(Error, RangeError), Error);
});

Deno.test("Failure.check() returns null when nothing matches", () => {
  const f = new Failure(new TypeError("x"));
  equal(f.check(RangeError, SyntaxError), null);
  equal(f.check(), null);
});

Deno.test("Failure.check() matches class names along the prototype chain", () => {
  const f = new Failure(new NotImplementedError("x"));
  equal(f.check("NotImplementedError"), "NotImplementedError");
  equal(f.check("TypeError", "Error"), "Error");
  equal(f.check("Nope"), null);
});

Deno.test("Failure.check() of a thrown non-object matches no class", () => {
  const f = new Failure("a string");
  equal(f.check(Error), null);
  equal(f.check("String"), "String");
});

Deno.test("Failure.parents lists the class names of the value, most derived first", () => {
  const f = new Failure(new NotImplementedError("x"));
  deepEqual(f.parents, ["NotImplementedError", "RangeError", "Error"]);
});

Deno.test("Failure.type is the class of the value", () => {
  equal(new Failure(new TypeError()).type, TypeError);
  equal(new Failure("text").type, String);
  equal(new Failure(null).type, null);
  equal(new Failure(undefined).type, null);
});

Deno.test("Failure.count numbers failures in the order they were made", () => {
  const a = new Failure(new Error());
  const b = new Failure(new Error());
  const c = new Failure(a);
  ok(b.count > a.count);
  ok(c.count > b.count);
});

Deno.test("Failure.getErrorMessage() gives the message of an error", () => {
  equal(
    new Failure(new RangeError("out of range")).getErrorMessage(),
    "out of range",
  );
});

Deno.test("Failure.getErrorMessage() gives the string form of a thrown non-error", () => {
  equal(new Failure("ono!").getErrorMessage(), "ono!");
  equal(new Failure(42).getErrorMessage(), "42");
  equal(new Failure(undefined).getErrorMessage(), "undefined");
});

Deno.test("Failure.getErrorMessage() does not throw for a value that cannot be printed", () => {
  equal(new Failure(unprintable).getErrorMessage(), "<unprintable value>");
  equal(
    new Failure(new BrokenMessage()).getErrorMessage(),
    "<unprintable value>",
  );
  equal(
    new Failure(Object.create(null)).getErrorMessage(),
    "<unprintable value>",
  );
});

Deno.test("Failure.raiseException() throws the wrapped error with its stack", () => {
  const e = makeError();
  const stack = e.stack;
  const f = new Failure(e);
  throws(() => f.raiseException(), (thrown: unknown) => {
    equal(thrown, e);
    equal((thrown as Error).stack, stack);
    match(stack!, /at makeError /);
    return true;
  });
});

Deno.test("Failure.raiseException() throws a thrown non-error as it is", () => {
  throws(
    () => new Failure("plain").raiseException(),
    (e: unknown) => e === "plain",
  );
});

Deno.test("Failure.getTraceback() gives the stack of the error", () => {
  const tb = new Failure(makeError()).getTraceback();
  match(tb, /^RangeError: made here\n/);
  match(tb, /at makeError /);
});

Deno.test('Failure.getTraceback() with "verbose" gives the full stack', () => {
  const f = new Failure(makeError());
  equal(f.getTraceback("verbose"), f.getTraceback());
});

Deno.test('Failure.getTraceback() with "brief" gives the type and message', () => {
  equal(
    new Failure(makeError()).getTraceback("brief"),
    "RangeError: made here",
  );
});

Deno.test("Failure.getTraceback() throws RangeError for an unknown detail", () => {
  const f = new Failure(makeError());
  throws(
    () => f.getTraceback("noisia" as "brief"),
    (e: unknown) => e instanceof RangeError && /"noisia"/.test(e.message),
  );
});

Deno.test("Failure.getTraceback() follows the cause chain", () => {
  const inner = new TypeError("inner");
  const outer = new RangeError("outer", { cause: inner });
  const tb = new Failure(outer).getTraceback();
  match(tb, /^RangeError: outer\n[\s\S]*\nCaused by:\nTypeError: inner\n/);
});

Deno.test("Failure.getTraceback() stops at a cycle in the cause chain", () => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  a.cause = b;
  const tb = new Failure(a).getTraceback();
  equal(tb.split("Caused by:").length, 2);
});

Deno.test("Failure.getTraceback() of a thrown non-error gives where the Failure was made", () => {
  function makeFailure(): Failure {
    return new Failure("plain string");
  }
  const tb = makeFailure().getTraceback();
  match(tb, /^String: plain string\n/);
  match(tb, /at makeFailure /);
});

Deno.test("Failure.getTraceback() gives a string for a value that cannot be printed", () => {
  const f = new Failure(unprintable);
  for (const detail of ["brief", "default", "verbose"] as const) {
    equal(typeof f.getTraceback(detail), "string");
  }
  equal(f.getTraceback("brief"), "Object: <unprintable value>");
});

Deno.test("Failure.getTraceback() gives a string for an error whose message cannot be read", () => {
  const f = new Failure(new BrokenMessage());
  for (const detail of ["brief", "default", "verbose"] as const) {
    equal(typeof f.getTraceback(detail), "string");
  }
});

Deno.test("Failure.getTraceback() gives a string for an error class whose name cannot be read", () => {
  const f = new Failure(new BrokenType("x"));
  for (const detail of ["brief", "default", "verbose"] as const) {
    equal(typeof f.getTraceback(detail), "string");
  }
  equal(f.getTraceback("brief"), "<unprintable value>: x");
});

Deno.test("Failure.toString() gives the type and message", () => {
  equal(
    new Failure(new RangeError("division by zero")).toString(),
    "[Failure instance: Traceback: RangeError: division by zero]",
  );
});

Deno.test("Failure.toString() does not throw for a value that cannot be printed", () => {
  equal(
    new Failure(unprintable).toString(),
    "[Failure instance: Traceback: Object: <unprintable value>]",
  );
  equal(
    new Failure(new BrokenType("x")).toString(),
    "[Failure instance: Traceback: <unprintable value>: x]",
  );
});

Deno.test("Failure.cleanFailure() keeps the stack text of the error and its causes", () => {
  const cause = new TypeError("cause");
  const e = new RangeError("outer", { cause });
  const stacks = [e.stack, cause.stack];
  const f = new Failure(e);
  const before = f.getTraceback();
  f.cleanFailure();
  deepEqual([e.stack, cause.stack], stacks);
  equal(f.getTraceback(), before);
});

Deno.test("Failure.cleanFailure() leaves a frozen error alone", () => {
  const e = Object.freeze(new RangeError("frozen"));
  const stack = e.stack;
  new Failure(e).cleanFailure();
  equal(e.stack, stack);
});

Deno.test("Deferred fails with a thrown value that cannot be printed", () => {
  const d = new Deferred<void>();
  d.addCallback(() => {
    throw unprintable;
  });
  d.callback();
  const f = failureResultOf(d);
  equal(f.value, unprintable);
  notEqual(f.getTraceback(), "");
});

Deno.test("Deferred fails with a thrown object without a prototype", () => {
  const odd = Object.create(null);
  const d = new Deferred<void>();
  d.addCallback(() => {
    throw odd;
  });
  d.callback();
  const f = failureResultOf(d);
  equal(f.value, odd);
  equal(f.type, null);
  equal(f.getErrorMessage(), "<unprintable value>");
});
