// Copyright 2026 the Torsion authors. MIT license.
// Test helpers for code that needs a running reactor (real sockets, the reactor
// core): real reactors that are always stopped and awaited (the sanitizers
// are on), with a deadline so that a reactor that never stops fails its test
// instead of hanging the run.
import { EpollReactor } from "../reactor/backends/epoll/epoll_reactor.ts";
import { ReactorNotRunning } from "../reactor/errors.ts";
import { Reactor, type RunOptions } from "../reactor/reactor.ts";

/**
 * The reactor the tests run on: `TORSION_TEST_REACTOR=epoll` runs them on
 * the epoll reactor (the test task runs the socket tests both ways).
 */
export const REACTOR_UNDER_TEST: "default" | "epoll" =
  Deno.env.get("TORSION_TEST_REACTOR") === "epoll" ? "epoll" : "default";

/** A new reactor of the kind under test. */
export function newReactor(): Reactor {
  return REACTOR_UNDER_TEST === "epoll" ? new EpollReactor() : new Reactor();
}

/** How long a test's reactor may run before the test fails. */
const DEADLINE_MS = 10_000;

/** Crashes `reactor` after {@linkcode DEADLINE_MS}; `check()` throws if it had to. */
function deadline(reactor: Reactor): { clear(): void; check(): void } {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    reactor.crash();
  }, DEADLINE_MS);
  return {
    clear: () => clearTimeout(timer),
    check() {
      if (expired) {
        throw new Error("Cannot finish the test: the reactor never stopped");
      }
    },
  };
}

/**
 * Stops `reactor` unless it was stopped already.
 *
 * @returns Whether this call stopped it.
 */
export function stopIfRunning(reactor: Reactor): boolean {
  try {
    reactor.stop();
    return true;
  } catch (e) {
    if (e instanceof ReactorNotRunning) return false;
    throw e;
  }
}

/** Runs `reactor` (by default without signal handlers) until it stops. */
export async function runToEnd(
  reactor: Reactor,
  options: RunOptions = { installSignalHandlers: false },
): Promise<void> {
  const d = deadline(reactor);
  try {
    await reactor.run(options);
  } finally {
    d.clear();
  }
  d.check();
}

/**
 * Runs `fn` with a fresh running reactor (by default without signal
 * handlers) and the promise `run()` returned; then stops the reactor if
 * `fn` did not, and waits for its shutdown. The reactor is the one under
 * test ({@linkcode REACTOR_UNDER_TEST}).
 */
export async function withReactor(
  fn: (reactor: Reactor, done: Promise<void>) => Promise<void> | void,
  options: RunOptions = { installSignalHandlers: false },
): Promise<void> {
  const reactor = newReactor();
  const done = reactor.run(options);
  const d = deadline(reactor);
  try {
    await fn(reactor, done);
  } finally {
    stopIfRunning(reactor);
    await done;
    d.clear();
  }
  d.check();
}

/** A promise and the function that resolves it. */
export function signal<T = void>(): [Promise<T>, (value: T) => void] {
  const { promise, resolve } = Promise.withResolvers<T>();
  return [promise, resolve];
}

/**
 * One turn of the event loop (a macrotask): every pending promise job has
 * run. For checking that something did not happen, never for waiting for
 * something that should.
 */
export function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
