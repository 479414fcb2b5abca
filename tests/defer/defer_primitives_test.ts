// Copyright 2026 the Torsion authors. MIT license.
// DeferredLock, DeferredSemaphore and DeferredQueue, after Twisted's
// OtherPrimitivesTests (twisted/test/test_defer.py).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  CancelledError,
  Deferred,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  Failure,
  QueueOverflow,
  QueueUnderflow,
} from "../../defer/mod.ts";
import {
  assertNoResult,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";

class GenericError extends Error {
  override name = "GenericError";
}

Deno.test("DeferredLock.acquire() fires at once with the lock when it is free", () => {
  const lock = new DeferredLock();
  const d = lock.acquire();
  equal(successResultOf(d), lock);
  equal(lock.locked, true);
});

Deno.test("DeferredLock.acquire() waits while the lock is held", () => {
  const lock = new DeferredLock();
  let counter = 0;
  lock.acquire().addCallback(() => {
    counter++;
  });
  equal(lock.locked, true);
  equal(counter, 1);
  lock.acquire().addCallback(() => {
    counter++;
  });
  equal(lock.locked, true);
  equal(counter, 1);
  lock.release();
  equal(lock.locked, true);
  equal(counter, 2);
  lock.release();
  equal(lock.locked, false);
  equal(counter, 2);
});

Deno.test("DeferredLock hands the lock to waiters in the order they asked", () => {
  const lock = new DeferredLock();
  const order: number[] = [];
  lock.acquire();
  for (let i = 0; i < 5; i++) {
    lock.acquire().addCallback(() => {
      order.push(i);
    });
  }
  for (let i = 0; i < 5; i++) {
    deepEqual(order, [0, 1, 2, 3, 4].slice(0, i));
    lock.release();
  }
  deepEqual(order, [0, 1, 2, 3, 4]);
  equal(lock.locked, true);
  lock.release();
  equal(lock.locked, false);
});

Deno.test("DeferredLock.release() throws when the lock is not held", () => {
  const lock = new DeferredLock();
  throws(() => lock.release(), Error);
  lock.acquire();
  lock.release();
  throws(() => lock.release(), /not locked/);
});

Deno.test("DeferredLock.run() calls the function with its arguments while holding the lock", () => {
  const lock = new DeferredLock();
  const seen: unknown[] = [];
  const d = lock.run(
    (a: number, b: string) => {
      seen.push([a, b, lock.locked]);
      return "result";
    },
    1,
    "two",
  );
  deepEqual(seen, [[1, "two", true]]);
  equal(successResultOf(d), "result");
  equal(lock.locked, false);
});

Deno.test("DeferredLock.run() releases the lock once the returned Deferred fires", () => {
  const lock = new DeferredLock();
  const firstUnique = {};
  const secondUnique = {};
  const controlDeferred = new Deferred<object>();
  let result: unknown;
  const resultDeferred = lock.run((value: object) => {
    result = value;
    return controlDeferred;
  }, firstUnique);
  equal(lock.locked, true);
  equal(result, firstUnique);
  resultDeferred.addCallback((value) => {
    result = value;
  });
  let counter = 0;
  lock.acquire().addCallback(() => {
    counter++;
  });
  equal(counter, 0);
  controlDeferred.callback(secondUnique);
  equal(result, secondUnique);
  equal(lock.locked, true);
  equal(counter, 1);
  lock.release();
  equal(lock.locked, false);
});

Deno.test("DeferredLock.run() releases the lock when the function throws", () => {
  const lock = new DeferredLock();
  const d = lock.run(() => {
    throw new GenericError("run failed");
  });
  equal(lock.locked, false);
  failureResultOf(d, GenericError);
});

Deno.test("DeferredLock.run() releases the lock when the returned Deferred fails", () => {
  const lock = new DeferredLock();
  const inner = new Deferred<void>();
  const d = lock.run(() => inner);
  equal(lock.locked, true);
  inner.errback(new GenericError("later"));
  equal(lock.locked, false);
  failureResultOf(d, GenericError);
});

Deno.test("DeferredLock.run() waits for the lock before calling the function", () => {
  const lock = new DeferredLock();
  lock.acquire();
  let calls = 0;
  const d = lock.run(() => ++calls);
  equal(calls, 0);
  assertNoResult(d);
  lock.release();
  equal(calls, 1);
  equal(successResultOf(d), 1);
  equal(lock.locked, false);
});

Deno.test("DeferredLock.run() runs queued functions one at a time, in order", () => {
  const lock = new DeferredLock();
  const gates = [new Deferred<void>(), new Deferred<void>()];
  const log: string[] = [];
  for (const [i, gate] of gates.entries()) {
    lock.run(() => {
      log.push(`start ${i}`);
      return gate.addCallback(() => {
        log.push(`end ${i}`);
      });
    });
  }
  deepEqual(log, ["start 0"]);
  gates[1].callback();
  deepEqual(log, ["start 0"]);
  gates[0].callback();
  deepEqual(log, ["start 0", "end 0", "start 1", "end 1"]);
  equal(lock.locked, false);
});

Deno.test("DeferredLock.run() cancelled while waiting for the lock never calls the function", () => {
  const lock = new DeferredLock();
  lock.acquire();
  let calls = 0;
  const d = lock.run(() => ++calls);
  d.cancel();
  failureResultOf(d, CancelledError);
  lock.release();
  equal(calls, 0);
  equal(lock.locked, false);
});

Deno.test("DeferredLock.run() cancelled while the function's Deferred is pending cancels it and releases the lock", () => {
  const lock = new DeferredLock();
  let innerCancelled = 0;
  const inner = new Deferred<string>(() => {
    innerCancelled++;
  });
  const d = lock.run(() => inner);
  equal(lock.locked, true);
  d.cancel();
  equal(innerCancelled, 1);
  failureResultOf(d, CancelledError);
  equal(lock.locked, false);
});

Deno.test("DeferredLock.acquire() cancelled while waiting fails with CancelledError and leaves the queue", () => {
  const lock = new DeferredLock();
  lock.acquire();
  const d = lock.acquire();
  let result: unknown;
  d.addBoth((r) => {
    result = r;
  });
  d.cancel();
  ok(result instanceof Failure);
  equal(result.type, CancelledError);
  deepEqual(lock.waiting, []);
  lock.release();
  equal(lock.locked, false);
});

Deno.test("DeferredLock.acquire() cancelled before acquisition fails with CancelledError", () => {
  const lock = new DeferredLock();
  lock.acquire();
  const d = lock.acquire();
  d.cancel();
  failureResultOf(d, CancelledError);
});

Deno.test("DeferredLock.acquire() cancelled after acquisition changes nothing", () => {
  const lock = new DeferredLock();
  const d = lock.acquire();
  const errors: Failure[] = [];
  d.addErrback((f) => {
    errors.push(f);
  });
  d.cancel();
  deepEqual(errors, []);
  equal(lock.locked, true);
});

Deno.test("DeferredLock skips a cancelled waiter when it hands the lock on", () => {
  const lock = new DeferredLock();
  lock.acquire();
  const cancelled = lock.acquire();
  const next = lock.acquire();
  cancelled.cancel();
  failureResultOf(cancelled, CancelledError);
  lock.release();
  equal(successResultOf(next), lock);
  equal(lock.locked, true);
});

Deno.test("DeferredSemaphore.run() calls the function and releases the token once its Deferred fires", () => {
  const sem = new DeferredSemaphore(13);
  const controlDeferred = new Deferred<void>();
  let helperArg: unknown;
  const uniqueObject = {};
  const results: unknown[] = [];
  let counter = 0;
  const resultDeferred = sem.run((arg: object) => {
    helperArg = arg;
    return controlDeferred;
  }, uniqueObject);
  resultDeferred.addCallback((r) => {
    results.push(r);
  }).addCallback(() => {
    counter++;
  });
  deepEqual(results, []);
  equal(helperArg, uniqueObject);
  equal(sem.tokens, 12);
  controlDeferred.callback();
  deepEqual(results, [undefined]);
  equal(counter, 1);
  equal(sem.tokens, 13);
});

Deno.test("DeferredSemaphore.acquire() hands out every token, then waits", () => {
  const n = 13;
  const sem = new DeferredSemaphore(n);
  let counter = 0;
  for (let i = 1; i <= n; i++) {
    sem.acquire().addCallback(() => {
      counter++;
    });
    equal(counter, i);
  }
  equal(sem.tokens, 0);
  const success: boolean[] = [];
  const d = sem.acquire().addCallbacks(() => {
    success.push(false);
  }, () => {
    success.push(true);
  });
  d.cancel();
  deepEqual(success, [true]);
  sem.acquire().addCallback(() => {
    counter++;
  });
  equal(counter, n);
  sem.release();
  equal(counter, n + 1);
  for (let i = 1; i <= n; i++) {
    sem.release();
    equal(counter, n + 1);
  }
  equal(sem.tokens, n);
});

Deno.test("DeferredSemaphore.acquire() fires with the semaphore", () => {
  const sem = new DeferredSemaphore(1);
  equal(successResultOf(sem.acquire()), sem);
});

Deno.test("DeferredSemaphore hands tokens to waiters in the order they asked", () => {
  const sem = new DeferredSemaphore(2);
  sem.acquire();
  sem.acquire();
  const order: number[] = [];
  for (let i = 0; i < 4; i++) {
    sem.acquire().addCallback(() => {
      order.push(i);
    });
  }
  sem.release();
  deepEqual(order, [0]);
  sem.release();
  sem.release();
  deepEqual(order, [0, 1, 2]);
  sem.release();
  deepEqual(order, [0, 1, 2, 3]);
  equal(sem.tokens, 0);
});

Deno.test("DeferredSemaphore.run() keeps at most limit functions running", () => {
  const sem = new DeferredSemaphore(3);
  const gates = Array.from({ length: 10 }, () => new Deferred<void>());
  let running = 0;
  let most = 0;
  for (const gate of gates) {
    sem.run(() => {
      running++;
      most = Math.max(most, running);
      return gate.addCallback(() => {
        running--;
      });
    });
  }
  equal(running, 3);
  for (const gate of gates) gate.callback();
  equal(running, 0);
  equal(most, 3);
  equal(sem.tokens, 3);
});

Deno.test("DeferredSemaphore.run() releases the token when the function throws", () => {
  const sem = new DeferredSemaphore(1);
  const d = sem.run(() => {
    throw new GenericError("boom");
  });
  equal(sem.tokens, 1);
  failureResultOf(d, GenericError);
});

Deno.test("DeferredSemaphore throws RangeError for fewer than one token", () => {
  throws(() => new DeferredSemaphore(0), RangeError);
  throws(() => new DeferredSemaphore(-1), RangeError);
  throws(() => new DeferredSemaphore(NaN), RangeError);
});

Deno.test("DeferredSemaphore sets limit and tokens from its argument", () => {
  const sem = new DeferredSemaphore(4);
  equal(sem.limit, 4);
  equal(sem.tokens, 4);
});

Deno.test("DeferredSemaphore.release() throws when released more often than acquired", () => {
  const sem = new DeferredSemaphore(2);
  throws(() => sem.release(), Error);
  sem.acquire();
  sem.release();
  throws(() => sem.release(), /released more times than acquired/);
  equal(sem.tokens, 2);
});

Deno.test("DeferredSemaphore.acquire() cancelled after acquisition changes nothing", () => {
  const sem = new DeferredSemaphore(1);
  const d = sem.acquire();
  const errors: Failure[] = [];
  d.addErrback((f) => {
    errors.push(f);
  });
  d.cancel();
  deepEqual(errors, []);
  equal(sem.tokens, 0);
});

Deno.test("DeferredSemaphore.acquire() cancelled before acquisition fails with CancelledError and leaves the queue", () => {
  const sem = new DeferredSemaphore(1);
  sem.acquire();
  const d = sem.acquire();
  d.cancel();
  failureResultOf(d, CancelledError);
  deepEqual(sem.waiting, []);
  sem.release();
  equal(sem.tokens, 1);
});

Deno.test("DeferredQueue.get() beyond the backlog throws QueueUnderflow", () => {
  const queue = new DeferredQueue<number>(2, 2);
  queue.get();
  queue.get();
  throws(() => queue.get(), QueueUnderflow);
  equal(queue.waiting.length, 2);
  queue.put(0);
  queue.put(1);
});

Deno.test("DeferredQueue.put() hands objects to waiting gets in order", () => {
  const queue = new DeferredQueue<number>(2, 2);
  const gotten: number[] = [];
  for (let i = 0; i < 2; i++) {
    queue.get().addCallback((n) => {
      gotten.push(n);
    });
  }
  for (let i = 0; i < 2; i++) {
    queue.put(i);
    deepEqual(gotten, [0, 1].slice(0, i + 1));
  }
  deepEqual(queue.pending, []);
});

Deno.test("DeferredQueue.put() beyond the size with nobody waiting throws QueueOverflow", () => {
  const queue = new DeferredQueue<number | null>(2, 2);
  queue.put(2);
  queue.put(3);
  throws(() => queue.put(null), QueueOverflow);
  deepEqual(queue.pending, [2, 3]);
});

Deno.test("DeferredQueue.get() takes kept objects in order, already fired", () => {
  const queue = new DeferredQueue<number>(2, 2);
  queue.put(2);
  queue.put(3);
  const gotten: number[] = [];
  for (let i = 0; i < 2; i++) {
    queue.get().addCallback((n) => {
      gotten.push(n);
    });
    deepEqual(gotten, [2, 3].slice(0, i + 1));
  }
  deepEqual(queue.pending, []);
});

Deno.test("DeferredQueue without limits keeps any number of gets and objects", () => {
  const queue = new DeferredQueue<number>();
  const gotten: number[] = [];
  for (let i = 0; i < 100; i++) {
    queue.get().addCallback((n) => {
      gotten.push(n);
    });
  }
  for (let i = 0; i < 200; i++) queue.put(i);
  deepEqual(gotten, Array.from({ length: 100 }, (_, i) => i));
  equal(queue.pending.length, 100);
});

Deno.test("DeferredQueue with size 0 throws QueueOverflow on put() with nobody waiting", () => {
  const queue = new DeferredQueue<null>(0);
  throws(() => queue.put(null), QueueOverflow);
});

Deno.test("DeferredQueue with size 0 still hands an object to a waiting get", () => {
  const queue = new DeferredQueue<string>(0);
  const d = queue.get();
  queue.put("direct");
  equal(successResultOf(d), "direct");
});

Deno.test("DeferredQueue with backlog 0 throws QueueUnderflow on get() with nothing kept", () => {
  const queue = new DeferredQueue<null>(undefined, 0);
  throws(() => queue.get(), QueueUnderflow);
});

Deno.test("DeferredQueue with backlog 0 still gives a kept object", () => {
  const queue = new DeferredQueue<string>(undefined, 0);
  queue.put("kept");
  equal(successResultOf(queue.get()), "kept");
});

Deno.test("DeferredQueue.get() cancelled after it got an object changes nothing", () => {
  const queue = new DeferredQueue<null>();
  const d = queue.get();
  const errors: Failure[] = [];
  d.addErrback((f) => {
    errors.push(f);
  });
  queue.put(null);
  d.cancel();
  deepEqual(errors, []);
  equal(successResultOf(d), null);
});

Deno.test("DeferredQueue.get() cancelled while waiting fails with CancelledError and leaves the queue", () => {
  const queue = new DeferredQueue<null>();
  const d = queue.get();
  d.cancel();
  failureResultOf(d, CancelledError);
  deepEqual(queue.waiting, []);
  let gotten: unknown = "nothing";
  // Were d still in the queue, this put() would fire it a second time.
  d.addCallback(() => {
    queue.put(null);
    return queue.get().addCallback((r) => {
      gotten = r;
    });
  });
  const done: unknown[] = [];
  d.addCallback((r) => {
    done.push(r);
  });
  equal(done.length, 1);
  equal(gotten, null);
});

Deno.test("DeferredQueue.put() skips a cancelled get", () => {
  const queue = new DeferredQueue<string>();
  const first = queue.get();
  const second = queue.get();
  first.cancel();
  queue.put("x");
  failureResultOf(first, CancelledError);
  equal(successResultOf(second), "x");
  deepEqual(queue.pending, []);
});
