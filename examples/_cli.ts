// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Small command-line helpers shared by the examples (private: the examples
 * are what you read; this only keeps their flag handling short).
 *
 * - {@linkcode cli} parses flags with `node:util`'s `parseArgs`, adds
 *   `--help`, and exits with status 2 and the usage on a bad flag.
 * - {@linkcode portNumber} checks a `--port` value (0 = any free port).
 * - {@linkcode announce} prints the first stdout line of every server,
 *   `listening on HOST:PORT`, once the reactor runs; the tests read it to
 *   find the port.
 * - {@linkcode writeStdout} writes bytes to stdout in full.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import {
  type IListeningPort,
  IPv4Address,
  IPv6Address,
  reactor,
} from "../mod.ts";

/**
 * Parses `Deno.args` with `options` (plus `-h`/`--help`); positionals are
 * allowed. Prints `usage` and exits 0 on `--help`, or 2 on a bad flag.
 *
 * @param usage The usage text.
 * @param options The flags, as `parseArgs` takes them.
 * @returns The parsed flags and positionals.
 */
export function cli<T extends ParseArgsOptionsConfig>(
  usage: string,
  options: T,
): {
  values: ReturnType<
    typeof parseArgs<{ options: T; allowPositionals: true }>
  >["values"];
  positionals: string[];
} {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(usage.trim());
    Deno.exit(0);
  }
  try {
    return parseArgs({ args: Deno.args, options, allowPositionals: true });
  } catch (e) {
    usageError(usage, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Prints `message` and the usage to stderr and exits with status 2.
 *
 * @param usage The usage text.
 * @param message What is wrong.
 */
export function usageError(usage: string, message: string): never {
  console.error(`error: ${message}\n\n${usage.trim()}`);
  Deno.exit(2);
}

/**
 * Converts a `--port` value into a port number (0 = any free port).
 *
 * @param usage The usage text, printed if `value` is not a port.
 * @param value The flag's value.
 * @param name The flag, for the message.
 * @returns The port.
 */
export function portNumber(
  usage: string,
  value: string,
  name = "--port",
): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    usageError(
      usage,
      `${name} must be a port number (0-65535), got "${value}"`,
    );
  }
  return port;
}

/**
 * Converts a flag's value into a number of seconds or a count.
 *
 * @param usage The usage text, printed if `value` is not a number >= 0.
 * @param value The flag's value.
 * @param name The flag, for the message.
 * @returns The number.
 */
export function nonNegative(
  usage: string,
  value: string,
  name: string,
): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0)) {
    usageError(usage, `${name} must be a number >= 0, got "${value}"`);
  }
  return n;
}

/**
 * Prints the first stdout line of a server, in a fixed form that tests and
 * scripts can read: `listening on 127.0.0.1:8000` (`[::1]:8000` for IPv6).
 * It is printed once the reactor runs (`callWhenRunning`), so a reader
 * knows that Ctrl-C and SIGTERM are handled by then: a signal that came
 * before `reactor.run()` would kill the process.
 *
 * @param port The listening port.
 */
export function announce(port: IListeningPort): void {
  reactor.callWhenRunning(() => {
    const address = port.getHost();
    if (!(address instanceof IPv4Address || address instanceof IPv6Address)) {
      throw new TypeError(`Cannot announce ${address}: not a TCP address`);
    }
    const host = address instanceof IPv6Address
      ? `[${address.host}]`
      : address.host;
    console.log(`listening on ${host}:${address.port}`);
  });
}

/**
 * Writes all of `data` to stdout, synchronously (like Python's
 * `sys.stdout.write`, so it interleaves with `console.log` in order).
 *
 * @param data The bytes.
 */
export function writeStdout(data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += Deno.stdout.writeSync(data.subarray(off));
}
