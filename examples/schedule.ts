// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Scheduling a call for the future with `react()` (Twisted's "Scheduling
 * tasks for the future" howto): `f("hello, world")` runs 3.5 seconds after it
 * was scheduled, its result is printed, and the process exits by itself once
 * the Deferred has fired — `react()` stops the reactor and exits with 0 (or
 * with 1, logging the error, if it had failed).
 *
 *     deno run examples/schedule.ts          # waits 3.5 s
 *     deno run examples/schedule.ts --fast   # waits 0.035 s
 */
import { deferLater, react } from "../reactor/mod.ts";

function f(s: string): string {
  return `This will run 3.5 seconds after it was scheduled: ${s}`;
}

const scale = Deno.args.includes("--fast") ? 0.01 : 1;

react((reactor) => {
  const d = deferLater(reactor, 3.5 * scale, f, "hello, world");
  d.addCallback((result) => console.log(result));
  return d;
});
