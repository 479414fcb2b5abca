// Copyright 2026 the Torsion authors. MIT license.
// Property tests of Deferred and its helpers against plain models: the
// results of a callback chain do not depend on when the steps are added (before
// or after the Deferred fires, while it is paused, while it waits for a
// chained Deferred), and the lists, the queue, the lock and the semaphore
// behave like simple arrays and counters.
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  CancelledError,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  fail,
  Failure,
  FirstError,
  gatherResults,
  QueueOverflow,
  QueueUnderflow,
  succeed,
} from "../../defer/mod.ts";

const NUM_RUNS = { numRuns: 1000 };

// --- Callback chains -------------------------------------------------------

type Side = "callback" | "errback" | "both" | "pair";
type Action =
  | "pass"
  | "add"
  | "throw"
  | "throwFailure"
  | "returnFailure"
  | "returnFired"
  | "returnFailed"
  | "trapOther"
  | "returnLater";

interface Step {
  side: Side;
  action: Action;
  arg: number;
}

type Outcome = { ok: true; v: number } | { ok: false; msg: string };

interface ChainResult {
  log: string[];
  final: string;
}

const SYNC_ACTIONS: Action[] = [
  "pass",
  "add",
  "throw",
  "throwFailure",
  "returnFailure",
  "returnFired",
  "returnFailed",
  "trapOther",
];

function stepArb(actions: Action[]): fc.Arbitrary<Step> {
  return fc.record({
    side: fc.constantFrom<Side>("callback", "errback", "both", "pair"),
    action: fc.constantFrom(...actions),
    arg: fc.integer({ min: -5, max: 5 }),
  });
}

const fireArb: fc.Arbitrary<Outcome> = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map((v): Outcome => ({ ok: true, v })),
  fc.constant<Outcome>({ ok: false, msg: "fired" }),
);

function describe(o: Outcome): string {
  return o.ok ? `ok ${o.v}` : `err ${o.msg}`;
}

/** What an action turns its input into, in the model. */
function applyAction(step: Step, i: number, input: Outcome): Outcome {
  switch (step.action) {
    case "pass":
    case "trapOther":
      return input;
    case "add":
      return { ok: true, v: input.ok ? input.v + step.arg : step.arg };
    case "throw":
      return { ok: false, msg: `thrown ${i}` };
    case "throwFailure":
      return { ok: false, msg: `thrown failure ${i}` };
    case "returnFailure":
      return { ok: false, msg: `returned ${i}` };
    case "returnFired":
      return { ok: true, v: input.ok ? input.v * 2 : step.arg };
    case "returnFailed":
      return { ok: false, msg: `inner ${i}` };
    case "returnLater":
      return laterOutcome(step, i, input);
  }
}

/** The outcome a Deferred returned by a "returnLater" step fires with. */
function laterOutcome(step: Step, i: number, input: Outcome): Outcome {
  return step.arg % 2 === 0
    ? { ok: true, v: (input.ok ? input.v : step.arg) + 100 }
    : { ok: false, msg: `later ${i}` };
}

function sideName(step: Step, input: Outcome): string {
  return step.side === "pair" ? (input.ok ? "cb" : "eb") : step.side;
}

/** The model: a chain run as a plain loop over the steps. */
function model(steps: Step[], fire: Outcome): ChainResult {
  let current = fire;
  const log: string[] = [];
  steps.forEach((step, i) => {
    const runs = step.side === "both" || step.side === "pair" ||
      (step.side === "callback") === current.ok;
    if (!runs) return;
    log.push(`${i} ${sideName(step, current)} ${describe(current)}`);
    current = applyAction(step, i, current);
  });
  return { log, final: describe(current) };
}

function toOutcome(r: unknown): Outcome {
  return r instanceof Failure
    ? { ok: false, msg: r.getErrorMessage() }
    : { ok: true, v: r as number };
}

/** Builds the Deferreds and the steps of a chain, recording what each step sees. */
class ChainRunner {
  readonly d = new Deferred<number>();
  readonly log: string[] = [];
  /** Fires the Deferreds that "returnLater" steps returned, oldest first. */
  readonly outstanding: (() => void)[] = [];
  #final: string | undefined;

  add(step: Step, i: number): void {
    const d = this.d as Deferred<unknown>;
    const fn = (name: string) => (r: unknown) => this.#run(step, i, name, r);
    switch (step.side) {
      case "callback":
        d.addCallback(fn("callback"));
        break;
      case "errback":
        d.addErrback(fn("errback"));
        break;
      case "both":
        d.addBoth(fn("both"));
        break;
      case "pair":
        d.addCallbacks(fn("cb"), fn("eb"));
        break;
    }
  }

  fire(outcome: Outcome): void {
    if (outcome.ok) this.d.callback(outcome.v);
    else this.d.errback(new Error(outcome.msg));
  }

  fireOutstanding(): boolean {
    const next = this.outstanding.shift();
    if (next === undefined) return false;
    next();
    return true;
  }

  /** Fires the Deferreds the chain waits for until it waits for none. */
  drain(): void {
    while (this.fireOutstanding());
  }

  /** Adds a last step that records the final result. */
  finish(): ChainResult {
    (this.d as Deferred<unknown>).addBoth((r) => {
      this.#final = describe(toOutcome(r));
      return null;
    });
    ok(this.#final !== undefined, "the chain did not finish");
    return { log: this.log, final: this.#final };
  }

  #run(step: Step, i: number, name: string, r: unknown): unknown {
    const input = toOutcome(r);
    this.log.push(`${i} ${name} ${describe(input)}`);
    switch (step.action) {
      case "pass":
        return r;
      case "add":
        return input.ok ? input.v + step.arg : step.arg;
      case "throw":
        throw new Error(`thrown ${i}`);
      case "throwFailure":
        throw new Failure(new Error(`thrown failure ${i}`));
      case "returnFailure":
        return new Failure(new Error(`returned ${i}`));
      case "returnFired":
        return succeed(input.ok ? input.v * 2 : step.arg);
      case "returnFailed":
        return fail(new Error(`inner ${i}`));
      case "trapOther":
        if (r instanceof Failure) r.trap(TypeError);
        return r;
      case "returnLater": {
        const inner = new Deferred<number>();
        const outcome = laterOutcome(step, i, input);
        this.outstanding.push(() => {
          if (outcome.ok) inner.callback(outcome.v);
          else inner.errback(new Error(outcome.msg));
        });
        return inner;
      }
    }
  }
}

Deno.test("Deferred gives the same results whether steps are added before or after it fires", () => {
  fc.assert(
    fc.property(
      fc.array(stepArb(SYNC_ACTIONS), { maxLength: 12 }),
      fireArb,
      fc.nat(),
      (steps, fire, split) => {
        const k = split % (steps.length + 1);
        const runner = new ChainRunner();
        steps.slice(0, k).forEach((s, i) => runner.add(s, i));
        runner.fire(fire);
        steps.slice(k).forEach((s, i) => runner.add(s, k + i));
        const expected = model(steps, fire);
        // Every step has run by now: none waits for a later step.
        deepEqual(runner.log, expected.log);
        deepEqual(runner.finish(), expected);
      },
    ),
    NUM_RUNS,
  );
});

Deno.test("Deferred gives the same results when paused and unpaused at any point", () => {
  fc.assert(
    fc.property(
      fc.array(stepArb(SYNC_ACTIONS), { maxLength: 10 }),
      fireArb,
      fc.nat(),
      fc.nat(),
      fc.nat(),
      (steps, fire, split, pauseSeed, unpauseSeed) => {
        // Events: add each step, with the fire among them.
        const k = split % (steps.length + 1);
        const events = steps.length + 1;
        const pauseAt = pauseSeed % (events + 1);
        const unpauseAt = pauseAt + unpauseSeed % (events + 1 - pauseAt);
        const runner = new ChainRunner();
        let logAtPause = -1;
        for (let e = 0; e <= events; e++) {
          if (e === pauseAt) {
            runner.d.pause();
            logAtPause = runner.log.length;
          }
          if (e === unpauseAt) {
            // Nothing ran while paused.
            equal(runner.log.length, logAtPause);
            runner.d.unpause();
          }
          if (e === events) break;
          if (e < k) runner.add(steps[e], e);
          else if (e === k) runner.fire(fire);
          else runner.add(steps[e - 1], e - 1);
        }
        equal(runner.d.paused, 0);
        const expected = model(steps, fire);
        deepEqual(runner.log, expected.log);
        deepEqual(runner.finish(), expected);
      },
    ),
    NUM_RUNS,
  );
});

Deno.test("Deferred gives the same results whatever steps are added while it waits for a chained Deferred", () => {
  fc.assert(
    fc.property(
      fc.array(stepArb([...SYNC_ACTIONS, "returnLater", "returnLater"]), {
        maxLength: 10,
      }),
      fireArb,
      fc.nat(),
      fc.array(fc.boolean(), { maxLength: 30 }),
      (steps, fire, split, schedule) => {
        const k = split % (steps.length + 1);
        const runner = new ChainRunner();
        // Before and after the fire, steps are added one by one, and each
        // scheduled `true` fires the Deferred the chain waits for, if any.
        const adds: (() => void)[] = [
          ...steps.slice(0, k).map((s, i) => () => runner.add(s, i)),
          () => runner.fire(fire),
          ...steps.slice(k).map((s, i) => () => runner.add(s, k + i)),
        ];
        for (const fireInner of schedule) {
          if (fireInner && runner.fireOutstanding()) continue;
          adds.shift()?.();
        }
        for (const add of adds) add();
        runner.drain();
        const expected = model(steps, fire);
        deepEqual(runner.log, expected.log);
        deepEqual(runner.finish(), expected);
      },
    ),
    NUM_RUNS,
  );
});

Deno.test("Deferred passes extra arguments after the result wherever the step is added", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer(), { maxLength: 5 }),
      fc.boolean(),
      fc.boolean(),
      (args, before, failing) => {
        const d = new Deferred<string>();
        const seen: unknown[][] = [];
        const record = (r: unknown, ...rest: number[]) => {
          seen.push([r instanceof Failure ? "failure" : r, ...rest]);
          return null;
        };
        const add = () => d.addBoth(record, ...args);
        if (before) add();
        if (failing) d.errback(new Error("x"));
        else d.callback("value");
        if (!before) add();
        deepEqual(seen, [[failing ? "failure" : "value", ...args]]);
      },
    ),
    NUM_RUNS,
  );
});

// --- DeferredList and gatherResults ------------------------------------------

const outcomesArb = fc.array(fireArb, { maxLength: 8 }).chain((outcomes) =>
  fc.tuple(
    fc.constant(outcomes),
    fc.shuffledSubarray([...outcomes.keys()], {
      minLength: outcomes.length,
      maxLength: outcomes.length,
    }),
  )
);

function fireAll(
  ds: Deferred<number>[],
  outcomes: Outcome[],
  order: number[],
  each?: (i: number) => void,
): void {
  for (const i of order) {
    const o = outcomes[i];
    if (o.ok) ds[i].callback(o.v);
    else ds[i].errback(new Error(`${o.msg} ${i}`));
    each?.(i);
  }
}

Deno.test("DeferredList fires once every input fired, with the outcomes in input order", () => {
  fc.assert(
    fc.property(outcomesArb, ([outcomes, order]) => {
      const ds = outcomes.map(() => new Deferred<number>());
      const dl = new DeferredList(ds, { consumeErrors: true });
      let fired: unknown;
      dl.addCallback((entries) => {
        fired = entries.map(([success, r]) =>
          success ? describe({ ok: true, v: r as number }) : describe({
            ok: false,
            msg: (r as Failure).getErrorMessage(),
          })
        );
      });
      let count = 0;
      fireAll(ds, outcomes, order, () => {
        count++;
        equal(dl.called, count === ds.length);
      });
      deepEqual(
        fired,
        outcomes.map((o, i) =>
          describe(o.ok ? o : { ok: false, msg: `${o.msg} ${i}` })
        ),
      );
    }),
    NUM_RUNS,
  );
});

Deno.test("DeferredList with fireOnOneCallback fires with the first success in firing order", () => {
  fc.assert(
    fc.property(outcomesArb, ([outcomes, order]) => {
      const ds = outcomes.map(() => new Deferred<number>());
      const dl = new DeferredList<number, unknown>(ds, {
        fireOnOneCallback: true,
        consumeErrors: true,
      });
      let fired: unknown;
      dl.addCallback((r) => {
        fired = r;
      });
      fireAll(ds, outcomes, order);
      const first = order.find((i) => outcomes[i].ok);
      if (first !== undefined) {
        deepEqual(fired, [(outcomes[first] as { v: number }).v, first]);
      } else if (ds.length > 0) {
        equal((fired as unknown[]).length, ds.length);
      } else {
        equal(dl.called, false);
      }
    }),
    NUM_RUNS,
  );
});

Deno.test("gatherResults() gives the values in input order or the first failure in firing order", () => {
  fc.assert(
    fc.property(outcomesArb, ([outcomes, order]) => {
      const ds = outcomes.map(() => new Deferred<number>());
      let result: Outcome | undefined;
      let values: number[] | undefined;
      let index: number | undefined;
      gatherResults(ds, true).addCallbacks((vs) => {
        values = vs;
      }, (f) => {
        const e = f.value as FirstError;
        ok(e instanceof FirstError);
        index = e.index;
        result = { ok: false, msg: e.subFailure.getErrorMessage() };
      });
      fireAll(ds, outcomes, order);
      const firstFailure = order.find((i) => !outcomes[i].ok);
      if (firstFailure === undefined) {
        deepEqual(values, outcomes.map((o) => (o as { v: number }).v));
      } else {
        equal(index, firstFailure);
        deepEqual(result, {
          ok: false,
          msg: `${
            (outcomes[firstFailure] as { msg: string }).msg
          } ${firstFailure}`,
        });
      }
    }),
    NUM_RUNS,
  );
});

// --- DeferredQueue -----------------------------------------------------------

type QueueOp =
  | { type: "put"; v: number }
  | { type: "get" }
  | { type: "cancel"; i: number };

const queueOpArb: fc.Arbitrary<QueueOp> = fc.oneof(
  fc.integer().map((v): QueueOp => ({ type: "put", v })),
  fc.constant<QueueOp>({ type: "get" }),
  fc.nat().map((i): QueueOp => ({ type: "cancel", i })),
);

const limitArb = fc.option(fc.integer({ min: 0, max: 3 }), {
  nil: undefined,
});

Deno.test("DeferredQueue behaves like a FIFO of objects and a FIFO of waiting gets", () => {
  fc.assert(
    fc.property(
      limitArb,
      limitArb,
      fc.array(queueOpArb, { maxLength: 30 }),
      (size, backlog, ops) => {
        const queue = new DeferredQueue<number>(size, backlog);
        const gets: Deferred<number>[] = [];
        const got: (string | undefined)[] = [];
        // The model.
        const pending: number[] = [];
        const waiting: number[] = [];
        const expected: (string | undefined)[] = [];
        for (const op of ops) {
          if (op.type === "put") {
            let thrown: unknown;
            try {
              queue.put(op.v);
            } catch (e) {
              thrown = e;
            }
            if (waiting.length > 0) {
              expected[waiting.shift()!] = `value ${op.v}`;
            } else if (size === undefined || pending.length < size) {
              pending.push(op.v);
            } else {
              ok(thrown instanceof QueueOverflow);
              continue;
            }
            equal(thrown, undefined);
          } else if (op.type === "get") {
            let d: Deferred<number> | undefined;
            let thrown: unknown;
            try {
              d = queue.get();
            } catch (e) {
              thrown = e;
            }
            const id = gets.length;
            if (pending.length > 0) {
              expected[id] = `value ${pending.shift()}`;
            } else if (backlog === undefined || waiting.length < backlog) {
              waiting.push(id);
            } else {
              ok(thrown instanceof QueueUnderflow);
              continue;
            }
            ok(d !== undefined);
            gets.push(d);
            d.addCallbacks((v) => {
              got[id] = `value ${v}`;
            }, (f) => {
              got[id] = f.check(CancelledError) ? "cancelled" : "other";
            });
          } else if (gets.length > 0) {
            const id = op.i % gets.length;
            gets[id].cancel();
            const w = waiting.indexOf(id);
            if (w !== -1) {
              waiting.splice(w, 1);
              expected[id] = "cancelled";
            }
          }
          deepEqual(got, expected);
          deepEqual(queue.pending, pending);
          equal(queue.waiting.length, waiting.length);
        }
      },
    ),
    NUM_RUNS,
  );
});

// --- DeferredLock and DeferredSemaphore --------------------------------------

type LockOp = { type: "acquire" } | { type: "release" } | {
  type: "cancel";
  i: number;
};

const lockOpArb: fc.Arbitrary<LockOp> = fc.oneof(
  fc.constant<LockOp>({ type: "acquire" }),
  fc.constant<LockOp>({ type: "release" }),
  fc.nat().map((i): LockOp => ({ type: "cancel", i })),
);

interface Primitive {
  acquire(): Deferred<unknown>;
  release(): void;
  readonly waiting: Deferred<unknown>[];
}

/**
 * Checks `primitive` against a counter of holders with a FIFO of waiters:
 * grants happen in the order asked, at most `limit` at once, and cancelled
 * waiters leave the line.
 */
function checkPrimitive(
  primitive: Primitive,
  limit: number,
  ops: LockOp[],
  held: () => number,
): void {
  const acquisitions: Deferred<unknown>[] = [];
  const granted: number[] = [];
  const cancelled: number[] = [];
  // The model.
  let holders = 0;
  const waiting: number[] = [];
  const expectedGranted: number[] = [];
  const expectedCancelled: number[] = [];
  for (const op of ops) {
    if (op.type === "acquire") {
      const id = acquisitions.length;
      const d = primitive.acquire();
      acquisitions.push(d);
      d.addCallbacks((r) => {
        equal(r, primitive);
        granted.push(id);
      }, (f) => {
        ok(f.check(CancelledError));
        cancelled.push(id);
      });
      if (holders < limit) {
        holders++;
        expectedGranted.push(id);
      } else {
        waiting.push(id);
      }
    } else if (op.type === "release") {
      let thrown: unknown;
      try {
        primitive.release();
      } catch (e) {
        thrown = e;
      }
      if (holders === 0) {
        ok(thrown instanceof Error);
        continue;
      }
      equal(thrown, undefined);
      holders--;
      const next = waiting.shift();
      if (next !== undefined) {
        holders++;
        expectedGranted.push(next);
      }
    } else if (acquisitions.length > 0) {
      const id = op.i % acquisitions.length;
      acquisitions[id].cancel();
      const w = waiting.indexOf(id);
      if (w !== -1) {
        waiting.splice(w, 1);
        expectedCancelled.push(id);
      }
    }
    deepEqual(granted, expectedGranted);
    deepEqual(cancelled, expectedCancelled);
    equal(held(), holders);
    equal(primitive.waiting.length, waiting.length);
  }
}

Deno.test("DeferredSemaphore grants tokens in order, at most limit at once", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(lockOpArb, { maxLength: 30 }),
      (limit, ops) => {
        const sem = new DeferredSemaphore(limit);
        checkPrimitive(sem, limit, ops, () => limit - sem.tokens);
      },
    ),
    NUM_RUNS,
  );
});

Deno.test("DeferredLock grants the lock in order, to one holder at a time", () => {
  fc.assert(
    fc.property(fc.array(lockOpArb, { maxLength: 30 }), (ops) => {
      const lock = new DeferredLock();
      checkPrimitive(lock, 1, ops, () => lock.locked ? 1 : 0);
    }),
    NUM_RUNS,
  );
});
