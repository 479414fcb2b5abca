// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode connectError}: the Twisted connect error for a kind of failure,
 * shared by the backends' error translations.
 *
 * @module
 */

import {
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  DNSLookupError,
  NoRouteError,
  TCPTimedOutError,
} from "../errors.ts";

/** What went wrong with a connection attempt, as the backends tell it. */
export type ConnectFailure =
  | "refused"
  | "unreachable"
  | "timed out"
  | "bind"
  | "lookup"
  | "other";

/** The connect failure an errno value means. */
export function connectFailureOf(errno: number | undefined): ConnectFailure {
  switch (errno) {
    case 111:
      return "refused";
    case 101:
    case 113:
      return "unreachable";
    case 110:
      return "timed out";
    case 98:
    case 99:
      return "bind";
    default:
      return "other";
  }
}

/**
 * Returns the Twisted error for `failure`, keeping `cause`.
 *
 * @param failure What went wrong.
 * @param errno The OS error number, if known.
 * @param text The description.
 * @param cause The backend's own error.
 */
export function connectError(
  failure: ConnectFailure,
  errno: number | undefined,
  text: string,
  cause: unknown,
): Error {
  const options = { cause };
  switch (failure) {
    case "refused":
      return new ConnectionRefusedError(errno, text, options);
    case "unreachable":
      return new NoRouteError(errno, text, options);
    case "timed out":
      return new TCPTimedOutError(errno, text, options);
    case "bind":
      return new ConnectBindError(errno, text, options);
    case "lookup": {
      const e = new DNSLookupError(text);
      e.cause = cause;
      return e;
    }
    default:
      return new ConnectError(errno, text, options);
  }
}
