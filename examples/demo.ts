// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// A short tour of Deferred chains: run with `deno task start`.
import { Deferred, type Failure, gatherResults, succeed } from "../mod.ts";

function show(label: string) {
  return (value: unknown) => {
    console.log(`${label}: ${value}`);
    return value;
  };
}

// A chain: each callback's return value feeds the next one.
const d = new Deferred<number>();
d.addCallback((n) => n * 2)
  .addCallback(show("doubled"))
  .addCallback((n) => {
    throw new RangeError(`${n} is too big`);
  })
  .addErrback((f: Failure) => {
    console.log(`errback got a Failure: ${f.getErrorMessage()}`);
    return 0; // recover: back on the callback path
  })
  .addCallback(show("recovered with"));
d.callback(21);

// A callback returning a Deferred pauses the chain until that one fires.
const inner = new Deferred<string>();
const outer = succeed("outer").addCallback(() => inner).addCallback(
  show("chained"),
);
console.log(`outer paused while waiting: ${outer.paused}`);
inner.callback("inner result");

// Deferreds are awaitable.
console.log(
  `gathered: ${await gatherResults([succeed(1), succeed(2), succeed(3)])}`,
);
