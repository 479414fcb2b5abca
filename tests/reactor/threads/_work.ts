// Copyright 2026 the Torsion authors. MIT license.
// Functions the thread tests run in pool workers.
import {
  blockingCallFromThread,
  callFromThread,
  transfer,
} from "../../../reactor/threads/mod.ts";

const MAIN = new URL("./_main_side.ts", import.meta.url).href;

/** Adds. */
export function add(a: number, b: number): number {
  return a + b;
}

/** Adds, later. */
export async function addLater(a: number, b: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return a + b;
}

/** Spins the CPU for `ms` milliseconds; returns how many loops it made. */
export function spin(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

/** Spins, then returns the worker's name and `tag`. */
export function spinAndName(ms: number, tag: string): [string, string] {
  spin(ms);
  return [(globalThis as { name?: string }).name ?? "", tag];
}

/** Blocks this worker until the main side sets `flag[0]`, then returns `tag`. */
export function waitFor(flag: SharedArrayBuffer, tag: string): string {
  Atomics.wait(new Int32Array(flag), 0, 0);
  return tag;
}

/** Blocks until `flag[0]` is set, then calls record(tag) in the reactor's thread. */
export function waitThenNotify(flag: SharedArrayBuffer, tag: string): string {
  Atomics.wait(new Int32Array(flag), 0, 0);
  callFromThread(MAIN, "record", tag);
  return tag;
}

/** A thrown RangeError. */
export function failRange(message: string): never {
  throw new RangeError(message);
}

class ParseFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseFailure";
  }
}

/** A thrown error of our own class. */
export function failCustom(): never {
  throw new ParseFailure("bad input at 3");
}

/** A thrown value that is not an Error. */
export function failValue(): never {
  throw { code: 7 };
}

/** A rejected promise. */
export async function failLater(): Promise<never> {
  await Promise.resolve();
  throw new TypeError("later");
}

/** A result that cannot be cloned. */
export function uncloneable(): () => void {
  return () => {};
}

/** The byte length of a buffer, and whether it was copied into a new one. */
export function measure(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return bytes.length * 1000 + (sum % 1000);
}

/** Returns a buffer of `n` bytes, moved (not copied) back. */
export function makeBuffer(n: number): unknown {
  return transfer(new Uint8Array(n).fill(7));
}

/** Calls record(tag) in the reactor's thread, without waiting. */
export function notify(tag: string): string {
  callFromThread(MAIN, "record", tag);
  return "sent";
}

/** Asks the reactor's thread for times10(n) and returns it plus 1. */
export function askMain(n: number): number {
  return blockingCallFromThread<number>(MAIN, "times10", n) + 1;
}

/** Asks the reactor's thread for a Deferred's result. */
export function askMainLater(n: number): number {
  return blockingCallFromThread<number>(MAIN, "times10Later", n);
}

/** Asks the reactor's thread for something that throws; returns its message. */
export function askMainFailing(): string {
  try {
    blockingCallFromThread(MAIN, "fails");
    return "no error";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** Whether callFromThread refuses a relative module. */
export function relativeRefused(): string {
  try {
    callFromThread("./x.ts", "f");
    return "accepted";
  } catch (e) {
    return (e as Error).name;
  }
}
