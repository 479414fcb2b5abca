// Copyright 2026 the Torsion authors. MIT license.
// Test helpers for code that needs a running reactor and real sockets.
import { Reactor } from "../reactor/mod.ts";

/**
 * Runs `fn` with a fresh running reactor, then stops the reactor and waits
 * for its shutdown (which closes every port and connection), so that the
 * sanitizers find nothing left open.
 */
export async function withReactor(
  fn: (reactor: Reactor) => Promise<void> | void,
): Promise<void> {
  const reactor = new Reactor();
  const done = reactor.run({ installSignalHandlers: false });
  try {
    await fn(reactor);
  } finally {
    if (reactor.running) reactor.stop();
    await done;
  }
}

/**
 * A promise and a function that resolves it (once), for waiting on a
 * callback. (A promise, not a Deferred: a Failure given to a Deferred's
 * callback would fail it.)
 */
export function signal<T = void>(): [Promise<T>, (value: T) => void] {
  const { promise, resolve } = Promise.withResolvers<T>();
  return [promise, resolve];
}
