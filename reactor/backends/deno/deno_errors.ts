// Copyright 2026 the Torsion authors. MIT license.
/**
 * Deno's socket errors mapped onto Twisted's: {@linkcode getConnectError}
 * and {@linkcode getConnectionLostReason}, used by the Deno backend.
 *
 * @module
 */

import {
  ConnectError,
  ConnectionLost,
  DNSLookupError,
  TimeoutError,
  UserError,
} from "../../errors.ts";
import { connectError, type ConnectFailure } from "../_connect_error.ts";

function osErrno(e: Error): number | undefined {
  const m = /\(os error (\d+)\)/.exec(e.message);
  return m === null ? undefined : Number(m[1]);
}

function osText(e: Error): string {
  return e.message.replace(/\s*\(os error \d+\)$/, "");
}

/**
 * Maps an error from `Deno.connect` (or its `signal`) onto the Twisted
 * connect error a `clientConnectionFailed` should receive; the original error
 * is kept as `cause`.
 *
 * | Deno error | Torsion error |
 * |---|---|
 * | `Deno.errors.ConnectionRefused` | {@linkcode ConnectionRefusedError} |
 * | `Deno.errors.NetworkUnreachable` | {@linkcode NoRouteError} |
 * | `Deno.errors.TimedOut` | {@linkcode TCPTimedOutError} |
 * | `Deno.errors.AddrNotAvailable`, `AddrInUse` | {@linkcode ConnectBindError} |
 * | plain `Error` "failed to lookup address" | {@linkcode DNSLookupError} |
 * | `DOMException` `TimeoutError` | {@linkcode TimeoutError} |
 * | `DOMException` `AbortError` | {@linkcode UserError} |
 * | anything else | {@linkcode ConnectError} |
 *
 * @param e The error thrown.
 * @returns The error to report.
 *
 * @example Usage
 * ```ts
 * import { ConnectionRefusedError, getConnectError } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const e = new Deno.errors.ConnectionRefused("Connection refused (os error 111)");
 * ok(getConnectError(e) instanceof ConnectionRefusedError);
 * ```
 */
export function getConnectError(e: unknown): Error {
  if (e instanceof ConnectError || e instanceof DNSLookupError) return e;
  if (e instanceof DOMException) {
    if (e.name === "TimeoutError") {
      return new TimeoutError(undefined, "", { cause: e });
    }
    if (e.name === "AbortError") {
      return new UserError(undefined, "", { cause: e });
    }
  }
  if (!(e instanceof Error)) return new ConnectError(undefined, String(e));
  let failure: ConnectFailure = "other";
  if (e instanceof Deno.errors.ConnectionRefused) failure = "refused";
  else if (e instanceof Deno.errors.NetworkUnreachable) failure = "unreachable";
  else if (e instanceof Deno.errors.TimedOut) failure = "timed out";
  else if (
    e instanceof Deno.errors.AddrNotAvailable ||
    e instanceof Deno.errors.AddrInUse
  ) {
    failure = "bind";
  } else if (
    /failed to lookup address|Name or service not known|No address associated/i
      .test(e.message)
  ) {
    failure = "lookup";
  }
  return connectError(failure, osErrno(e), osText(e), e);
}

/**
 * Maps an error from reading or writing a connection onto the reason its
 * protocol's `connectionLost` should receive: a {@linkcode ConnectionLost}
 * with the Deno error as `cause` (a reset, a broken pipe, ...).
 *
 * A `Deno.errors.InvalidData` is a TLS failure (a certificate the peer or
 * we rejected, a peer that does not speak TLS, a corrupt record): Deno
 * raises it on a socket only from rustls, no errno maps to it. Its reason
 * says so: "TLS error: invalid peer certificate: UnknownIssuer".
 *
 * @param e The error thrown by `read()`, `write()` or a TLS `handshake()`.
 * @returns The reason.
 *
 * @example Usage
 * ```ts
 * import { ConnectionLost, getConnectionLostReason } from "@torsion/torsion/reactor";
 * import { equal, ok } from "node:assert/strict";
 *
 * const reason = getConnectionLostReason(new Deno.errors.ConnectionReset("reset"));
 * ok(reason instanceof ConnectionLost);
 * const tls = getConnectionLostReason(
 *   new Deno.errors.InvalidData("invalid peer certificate: UnknownIssuer"),
 * );
 * equal(
 *   tls.message,
 *   "Connection to the other side was lost in a non-clean fashion: " +
 *     "TLS error: invalid peer certificate: UnknownIssuer.",
 * );
 * ```
 */
export function getConnectionLostReason(e: unknown): ConnectionLost {
  if (e instanceof ConnectionLost) return e;
  if (e instanceof Deno.errors.InvalidData) {
    return new ConnectionLost(`TLS error: ${e.message}`, { cause: e });
  }
  const detail = e instanceof Error ? osText(e) : String(e);
  return new ConnectionLost(detail, { cause: e });
}
