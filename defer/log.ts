// Copyright 2026 the Torsion authors. MIT license.
/**
 * An observer-based log, in the spirit of `twisted.python.log`: code calls
 * {@linkcode msg} and {@linkcode err}; observers added with
 * {@linkcode addObserver} (or {@linkcode startLogging}) receive each event.
 *
 * While no observer is registered, error events are written to standard error
 * (so an unhandled error in a script is never silent) and other events are
 * dropped. Tests capture events with an observer and stay quiet.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { deepEqual } from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const observer = (e: log.LogEvent) => seen.push(e.message);
 * log.addObserver(observer);
 * log.msg("Starting factory <Echo>");
 * log.removeObserver(observer);
 * deepEqual(seen, ["Starting factory <Echo>"]);
 * ```
 *
 * @module
 */

import { Failure } from "./failure.ts";

/** One log event, as observers receive it. */
export interface LogEvent {
  /** The text of the event (for an error: `why`, or "Unhandled Error"). */
  message: string;
  /** Whether the event reports an error ({@linkcode err}). */
  isError: boolean;
  /** The failure an error event carries. */
  failure?: Failure;
  /** The context the event came from, like Twisted's `system` (`"-"` if none). */
  system: string;
  /** When the event was made, in seconds since the epoch. */
  time: number;
}

/** A function that receives every {@linkcode LogEvent}. */
export type LogObserver = (event: LogEvent) => void;

/** Extra fields for {@linkcode msg} and {@linkcode err}. */
export interface LogFields {
  /** The context of the event, e.g. a protocol's `logPrefix()`. @default {"-"} */
  system?: string;
}

const observers: LogObserver[] = [];

function emit(event: LogEvent): void {
  if (observers.length === 0) {
    if (event.isError) writeStderr(formatEvent(event));
    return;
  }
  for (const o of observers.slice()) {
    try {
      o(event);
    } catch (e) {
      // An observer that throws is removed, so one bad observer cannot take
      // the log (and every caller of it) down, as in Twisted.
      removeObserver(o);
      emit({
        message: "Temporarily disabling observer due to exception",
        isError: true,
        failure: new Failure(e),
        system: "-",
        time: Date.now() / 1000,
      });
    }
  }
}

/**
 * Logs an informational message.
 *
 * @param message The text.
 * @param fields Extra fields, e.g. the `system`.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const events: log.LogEvent[] = [];
 * const o = (e: log.LogEvent) => events.push(e);
 * log.addObserver(o);
 * log.msg("hello", { system: "Echo,0,127.0.0.1" });
 * log.removeObserver(o);
 * equal(events[0].system, "Echo,0,127.0.0.1");
 * ```
 */
export function msg(message: string, fields?: LogFields): void {
  emit({
    message,
    isError: false,
    system: fields?.system ?? "-",
    time: Date.now() / 1000,
  });
}

/**
 * Logs an error: a `Failure`, or any thrown value (wrapped in one). Never
 * throws: a value that cannot be inspected is logged as a `TypeError`, and
 * a standard error that cannot be written loses the line.
 *
 * @param reason The error.
 * @param why What was being done, printed before the traceback.
 * @param fields Extra fields, e.g. the `system`.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const events: log.LogEvent[] = [];
 * const o = (e: log.LogEvent) => events.push(e);
 * log.addObserver(o);
 * log.err(new Error("boom"), "while handling a timed call");
 * log.removeObserver(o);
 * equal(events[0].failure?.getErrorMessage(), "boom");
 * ```
 */
export function err(reason: unknown, why?: string, fields?: LogFields): void {
  let failure: Failure;
  try {
    failure = reason instanceof Failure ? reason : new Failure(reason);
  } catch (e) {
    // A value that throws when looked at (a hostile Proxy): log what can be.
    failure = new Failure(
      new TypeError("Cannot describe the error: inspecting it threw", {
        cause: e,
      }),
    );
  }
  emit({
    message: why ?? "Unhandled Error",
    isError: true,
    failure,
    system: fields?.system ?? "-",
    time: Date.now() / 1000,
  });
}

/**
 * Adds an observer that receives every later event.
 *
 * @param observer The observer.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * let count = 0;
 * const o = () => count++;
 * log.addObserver(o);
 * log.msg("one");
 * log.removeObserver(o);
 * log.msg("two");
 * equal(count, 1);
 * ```
 */
export function addObserver(observer: LogObserver): void {
  observers.push(observer);
}

/**
 * Removes an observer added with {@linkcode addObserver}; unknown observers
 * are ignored.
 *
 * @param observer The observer.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 *
 * const o = () => {};
 * log.addObserver(o);
 * log.removeObserver(o);
 * ```
 */
export function removeObserver(observer: LogObserver): void {
  const i = observers.indexOf(observer);
  if (i !== -1) observers.splice(i, 1);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats an event the way Twisted's file log does:
 * `2026-11-28 14:42:56+0000 [system] message`, followed by the traceback for
 * an error.
 *
 * @param event The event.
 * @returns The text, without a trailing newline.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const line = log.formatEvent({ message: "hi", isError: false, system: "-", time: 0 });
 * equal(line, "1970-01-01 00:00:00+0000 [-] hi");
 * ```
 */
export function formatEvent(event: LogEvent): string {
  const d = new Date(event.time * 1000);
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${
    pad(d.getUTCDate())
  } ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${
    pad(d.getUTCSeconds())
  }+0000`;
  let text = event.message;
  if (event.failure !== undefined) {
    text += "\n" + event.failure.getTraceback();
  }
  const prefix = `${stamp} [${event.system}] `;
  return prefix + text.split("\n").join("\n" + prefix);
}

/**
 * Writes a line to standard error (synchronously, through the console, so
 * that nothing here depends on a runtime's I/O); never throws: a closed or
 * broken standard error loses the line, and nothing else.
 */
function writeStderr(text: string): void {
  try {
    // deno-lint-ignore no-console
    console.error(text);
  } catch {
    // Nowhere left to report it.
  }
}

/**
 * Starts writing every event, formatted by {@linkcode formatEvent}, to
 * `writer` (standard error by default), like Twisted's `startLogging`.
 *
 * @param writer Receives each formatted event (no trailing newline).
 * @returns The observer it added; pass it to {@linkcode removeObserver} to
 *   stop.
 *
 * @example Usage
 * ```ts
 * import { log } from "@torsion/torsion/defer";
 * import { match } from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const observer = log.startLogging((line) => lines.push(line));
 * log.msg("Log opened.");
 * log.removeObserver(observer);
 * match(lines[0], /\[-\] Log opened\.$/);
 * ```
 */
export function startLogging(
  writer: (line: string) => void = writeStderr,
): LogObserver {
  const observer: LogObserver = (event) => writer(formatEvent(event));
  addObserver(observer);
  return observer;
}
