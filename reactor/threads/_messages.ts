// Copyright 2026 the Torsion authors. MIT license.
/**
 * The messages between a thread pool and its workers, and how errors cross
 * between them.
 *
 * @module
 */

import { importModule } from "../_import_module.ts";

/** The marker a pool worker sets on its global object. */
export const IN_POOL_WORKER: unique symbol = Symbol.for("torsion.poolWorker");

/** An error as it crosses to the other side. */
export interface SentError {
  /** Whether the thrown value was an `Error` (else `value` holds it). */
  readonly isError: boolean;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** A thrown value that is not an `Error`, if it could be cloned. */
  readonly value?: unknown;
}

/** Pool → worker: run an export of a module. */
export interface RunMessage {
  readonly type: "run";
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly args: unknown[];
}

/** The outcome of a call, either way. */
export type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: SentError };

/** Worker → pool: the task ended. */
export type ResultMessage =
  & { readonly type: "result"; readonly id: number }
  & Outcome;

/** Worker → pool: call an export of a module in the reactor's thread. */
export interface CallMessage {
  readonly type: "call";
  readonly module: string;
  readonly name: string;
  readonly args: unknown[];
  /** For a blocking call: where the worker waits, and the port to reply on. */
  readonly reply?: {
    readonly flag: SharedArrayBuffer;
    readonly port: MessagePort;
  };
}

/** What a worker posts. */
export type WorkerMessage = ResultMessage | CallMessage;

const BUILT_IN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

/** Turns a thrown value into something that can be posted. */
export function sendError(e: unknown): SentError {
  if (e instanceof Error) {
    return {
      isError: true,
      name: e.name,
      message: e.message,
      stack: e.stack,
    };
  }
  try {
    structuredClone(e);
    return {
      isError: false,
      name: "",
      message: String(e),
      stack: undefined,
      value: e,
    };
  } catch {
    return { isError: false, name: "", message: String(e), stack: undefined };
  }
}

/**
 * Rebuilds a thrown value: an `Error` of the built-in class of its name (a
 * plain `Error` for other names) with the other side's name, message and
 * stack.
 */
export function receiveError(sent: SentError): unknown {
  if (!sent.isError) return "value" in sent ? sent.value : sent.message;
  const Class = BUILT_IN_ERRORS[sent.name] ?? Error;
  const e = new Class(sent.message);
  if (e.name !== sent.name) e.name = sent.name;
  if (sent.stack !== undefined) e.stack = sent.stack;
  return e;
}

/** Loads `name` from the module at `module`, as a function. */
export async function loadFunction(
  module: string,
  name: string,
): Promise<(...args: unknown[]) => unknown> {
  // The caller's module, named by its absolute URL at run time.
  const mod = await importModule(module);
  const f = mod[name];
  if (typeof f !== "function") {
    throw new TypeError(
      `Cannot call ${name} of ${module}: it is not an exported function`,
    );
  }
  return f as (...args: unknown[]) => unknown;
}
