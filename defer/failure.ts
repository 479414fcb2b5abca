// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Failure}: an error travelling down a Deferred's errback chain.
 *
 * @module
 */

/** A constructor usable with `instanceof`, as accepted by {@linkcode Failure.check}. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

const UNPRINTABLE = "<unprintable value>";

/** Returns `f()`, or a placeholder when it throws (a value whose `toString` or `message` throws). */
function safely(f: () => string): string {
  try {
    return f();
  } catch {
    return UNPRINTABLE;
  }
}

/** Errors whose stack frames {@linkcode Failure.cleanFailure} has dropped. */
const cleaned = new WeakSet<Error>();

/**
 * Replaces the stack trace kept for `error` (the functions and `this` values
 * of its frames) by the text of its stack.
 */
function dropStackFrames(error: Error): void {
  if (cleaned.has(error)) return;
  cleaned.add(error);
  try {
    const stack = error.stack;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      Error.captureStackTrace(error);
    } finally {
      Error.stackTraceLimit = limit;
    }
    // Formatting the empty trace also replaces the frames Deno keeps for
    // the formatted one.
    void error.stack;
    error.stack = stack;
  } catch {
    // A frozen error keeps its frames.
  }
}

/**
 * An error wrapped for its trip down a {@linkcode Deferred}'s errback chain,
 * after `twisted.python.failure.Failure`.
 *
 * `value` is the wrapped error (any thrown value, usually an `Error`), `type`
 * its class. The stack of the original error is kept; a value that is not an
 * `Error` gets the stack of the place where the `Failure` was made.
 *
 * Differences from Twisted: JavaScript has no "current exception", so the
 * constructor always takes the value; {@linkcode Failure.trap} rethrows the
 * `Failure` itself (a Deferred then passes that same `Failure` on, traceback
 * intact), where Python 3's Twisted re-raises the underlying exception.
 *
 * @example Usage
 * ```ts
 * import { Failure } from "@torsion/torsion/defer";
 * import { equal } from "node:assert/strict";
 *
 * const f = new Failure(new RangeError("out of range"));
 * equal(f.check(TypeError, RangeError), RangeError);
 * equal(f.getErrorMessage(), "out of range");
 * ```
 */
export class Failure {
  /** A serial number, unique per process, like Twisted's `Failure.count`. */
  static count = 0;

  /** The wrapped error (any thrown value). */
  readonly value: unknown;
  /** The class of {@linkcode Failure.value}, or `null` for `null`/`undefined`. */
  readonly type: ErrorClass | null;
  /** This failure's serial number. */
  readonly count: number;
  #stack: string | undefined;

  /**
   * Wraps `value`. A `Failure` given as the value is copied.
   *
   * @param value The error to wrap.
   */
  constructor(value: unknown) {
    this.count = ++Failure.count;
    if (value instanceof Failure) {
      this.value = value.value;
      this.type = value.type;
      this.#stack = value.#stack;
      return;
    }
    this.value = value;
    this.type = value === null || value === undefined
      ? null
      : (Object.getPrototypeOf(value)?.constructor as ErrorClass | undefined) ??
        null;
    if (!(value instanceof Error)) {
      // Keep where the failure was made, the closest thing to a traceback a
      // thrown non-Error has.
      this.#stack = new Error(safely(() => String(value))).stack;
    }
  }

  /**
   * The names of the classes in {@linkcode Failure.value}'s prototype chain,
   * most derived first, like Twisted's `Failure.parents`.
   */
  get parents(): string[] {
    const names: string[] = [];
    let proto = this.value === null || this.value === undefined
      ? null
      : Object.getPrototypeOf(this.value);
    while (proto !== null && proto !== Object.prototype) {
      const name = proto.constructor?.name;
      if (typeof name === "string" && name !== "") names.push(name);
      proto = Object.getPrototypeOf(proto);
    }
    return names;
  }

  /**
   * Returns the first of `errorTypes` that {@linkcode Failure.value} is an
   * instance of, or `null`. A string matches a class name in
   * {@linkcode Failure.parents}.
   *
   * @param errorTypes Classes or class names to test.
   * @returns The matching argument, or `null`.
   *
   * @example Usage
   * ```ts
   * import { Failure } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const f = new Failure(new TypeError("bad"));
   * equal(f.check(RangeError), null);
   * equal(f.check("Error"), "Error");
   * ```
   */
  check<E extends ErrorClass | string>(...errorTypes: E[]): E | null {
    for (const t of errorTypes) {
      if (typeof t === "string") {
        if (this.parents.includes(t)) return t;
      } else if (
        this.value !== null && typeof this.value === "object" &&
        this.value instanceof (t as ErrorClass)
      ) {
        return t;
      }
    }
    return null;
  }

  /**
   * Returns the first of `errorTypes` that matches, like
   * {@linkcode Failure.check}; when none does, throws this `Failure`, so in an
   * errback the same failure travels on to the next errback.
   *
   * @param errorTypes Classes or class names to trap.
   * @returns The matching argument.
   * @throws {Failure} This failure, when nothing matches.
   *
   * @example Usage
   * ```ts
   * import { fail, Failure } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * let trapped = "";
   * fail(new TypeError("bad"))
   *   .addErrback((f: Failure) => {
   *     f.trap(RangeError); // not a RangeError: rethrown
   *   })
   *   .addErrback((f: Failure) => {
   *     trapped = f.trap(TypeError).name;
   *   });
   * equal(trapped, "TypeError");
   * ```
   */
  trap<E extends ErrorClass | string>(...errorTypes: E[]): E {
    const found = this.check(...errorTypes);
    if (found === null) throw this;
    return found;
  }

  /**
   * The message of the wrapped error, or its string form when it has none.
   *
   * @returns The message.
   */
  getErrorMessage(): string {
    const v = this.value;
    if (v instanceof Failure) return v.getErrorMessage();
    return safely(() => v instanceof Error ? v.message : String(v));
  }

  /**
   * Throws the wrapped error (with its original stack).
   *
   * @throws {unknown} Always: {@linkcode Failure.value}.
   */
  raiseException(): never {
    throw this.value;
  }

  /**
   * Formats the failure for a log: the wrapped error's stack, then the stacks
   * of its `cause` chain.
   *
   * @param detail `"brief"` gives one line (`Name: message`); `"default"` and
   *   `"verbose"` give the full stack.
   * @returns The formatted traceback.
   * @throws {RangeError} For an unknown `detail`.
   */
  getTraceback(detail: "default" | "brief" | "verbose" = "default"): string {
    if (detail !== "default" && detail !== "brief" && detail !== "verbose") {
      throw new RangeError(
        `Cannot format traceback: detail must be "default", "brief" or "verbose", received "${detail}"`,
      );
    }
    const typeName = this.#typeName();
    if (detail === "brief") return `${typeName}: ${this.getErrorMessage()}`;
    const lines: string[] = [];
    let v: unknown = this.value;
    let first = true;
    const seen = new Set<unknown>();
    while (v !== undefined && !seen.has(v)) {
      seen.add(v);
      if (!first) lines.push("Caused by:");
      if (v instanceof Error) {
        const error = v;
        lines.push(
          safely(() => error.stack ?? `${error.name}: ${error.message}`),
        );
        v = error.cause;
      } else {
        lines.push(
          first && this.#stack !== undefined
            ? `${typeName}: ${this.#stack.replace(/^Error: /, "")}`
            : `${typeName}: ${safely(() => String(v))}`,
        );
        v = undefined;
      }
      first = false;
    }
    return lines.join("\n");
  }

  /**
   * Drops what the stack traces of the wrapped error and of its `cause` chain
   * refer to (the functions and `this` values of the frames they were made
   * in), keeping the text of the stacks, like Twisted's `cleanFailure()`. A
   * Deferred calls it on a failure left at the end of its chain: kept for the
   * unhandled-error report, the failure must not keep the Deferred alive
   * through the frames of the Deferred's own methods.
   *
   * @example Usage
   * ```ts
   * import { Failure } from "@torsion/torsion/defer";
   * import { equal } from "node:assert/strict";
   *
   * const error = new Error("kept");
   * const stack = error.stack;
   * new Failure(error).cleanFailure();
   * equal(error.stack, stack);
   * ```
   */
  cleanFailure(): void {
    const seen = new Set<unknown>();
    for (let v = this.value; v instanceof Error && !seen.has(v); v = v.cause) {
      seen.add(v);
      dropStackFrames(v);
    }
  }

  /** Returns `[Failure instance: Traceback: <Name>: <message>]`, like Twisted's `str`. */
  toString(): string {
    const typeName = this.type === null ? "unknown" : this.#typeName();
    return `[Failure instance: Traceback: ${typeName}: ${this.getErrorMessage()}]`;
  }

  /** The name of {@linkcode Failure.type} (or the value itself without one), never throwing. */
  #typeName(): string {
    const type = this.type;
    return safely(() => type?.name ?? String(this.value));
  }
}
