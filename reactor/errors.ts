// Copyright 2026 the Torsion authors. MIT license.
/**
 * The errors of `twisted.internet.error`, with Twisted's messages. A
 * reactor's backend maps the operating system's errors onto them (for Deno:
 * `getConnectError` and `getConnectionLostReason`).
 *
 * Each class's `message` is what Twisted's `str()` gives: the class's fixed
 * text, then `: ` and the arguments if any, then a period.
 *
 * @module
 */

function twistedMessage(base: string, args: readonly unknown[]): string {
  const extra = args.filter((a) => a !== undefined && a !== null && a !== "");
  return extra.length === 0
    ? `${base}.`
    : `${base}: ${extra.map(String).join(" ")}.`;
}

/**
 * An error occurred binding to an interface.
 *
 * @example Usage
 * ```ts
 * import { BindError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new BindError().message, "An error occurred binding to an interface.");
 * ```
 */
export class BindError extends Error {
  /**
   * Creates a `BindError`.
   *
   * @param args Details, joined with spaces.
   */
  constructor(...args: unknown[]) {
    super(twistedMessage("An error occurred binding to an interface", args));
    this.name = "BindError";
  }
}

/**
 * `listenTCP`/`listenUNIX` could not listen (Twisted's `CannotListenError`).
 *
 * @example Usage
 * ```ts
 * import { CannotListenError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const e = new CannotListenError("", 80, new Error("Permission denied"));
 * equal(e.message, "Couldn't listen on any:80: Permission denied.");
 * ```
 */
export class CannotListenError extends BindError {
  /** The interface asked for (`""` = all). */
  readonly interface: string;
  /** The port (or Unix path) asked for. */
  readonly port: number | string;
  /** The underlying error. */
  readonly socketError: unknown;
  /**
   * Creates a `CannotListenError`.
   *
   * @param iface The interface.
   * @param port The port or path.
   * @param socketError The error from the operating system.
   */
  constructor(iface: string, port: number | string, socketError: unknown) {
    super();
    const detail = socketError instanceof Error
      ? socketError.message
      : String(socketError);
    this.message = `Couldn't listen on ${iface || "any"}:${port}: ${detail}.`;
    this.name = "CannotListenError";
    this.interface = iface;
    this.port = port;
    this.socketError = socketError;
    this.cause = socketError;
  }
}

/**
 * A message was too long to send.
 *
 * @example Usage
 * ```ts
 * import { MessageLengthError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new MessageLengthError().message, "Message is too long to send.");
 * ```
 */
export class MessageLengthError extends Error {
  /**
   * Creates a `MessageLengthError`.
   *
   * @param args Details.
   */
  constructor(...args: unknown[]) {
    super(twistedMessage("Message is too long to send", args));
    this.name = "MessageLengthError";
  }
}

/**
 * A multicast group could not be joined (Twisted's `MulticastJoinError`).
 *
 * @example Usage
 * ```ts
 * import { MulticastJoinError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const e = new MulticastJoinError("1.2.3.4", "", new Error("EINVAL"));
 * equal(e.name, "MulticastJoinError");
 * ```
 */
export class MulticastJoinError extends Error {
  /**
   * Creates a `MulticastJoinError`.
   *
   * @param group The group's address.
   * @param iface The interface asked for (`""`: any).
   * @param cause The system's error.
   */
  constructor(group: string, iface: string, cause?: unknown) {
    super(
      `Cannot join multicast group ${group}` +
        (iface ? ` on ${iface}` : "") +
        (cause instanceof Error ? `: ${cause.message}` : ""),
      { cause },
    );
    this.name = "MulticastJoinError";
  }
}

/**
 * A host name could not be resolved.
 *
 * @example Usage
 * ```ts
 * import { DNSLookupError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new DNSLookupError("nowhere.invalid").message, "DNS lookup failed: nowhere.invalid.");
 * ```
 */
export class DNSLookupError extends Error {
  /**
   * Creates a `DNSLookupError`.
   *
   * @param args Details, e.g. the host name.
   */
  constructor(...args: unknown[]) {
    super(twistedMessage("DNS lookup failed", args));
    this.name = "DNSLookupError";
  }
}

/**
 * An error occurred while connecting; the base of the connect failures a
 * `ClientFactory.clientConnectionFailed` receives.
 *
 * @example Usage
 * ```ts
 * import { ConnectError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ConnectError(111, "refused").message, "An error occurred while connecting: 111: refused.");
 * ```
 */
export class ConnectError extends Error {
  /** The fixed part of the message. */
  static readonly MESSAGE: string = "An error occurred while connecting";
  /** The operating system's error number, if known. */
  readonly osError: number | string | undefined;
  /**
   * Creates a `ConnectError`.
   *
   * @param osError The error number (or code) from the operating system.
   * @param string A description.
   * @param options Standard error options (`cause`).
   */
  constructor(osError?: number | string, string = "", options?: ErrorOptions) {
    const base = (new.target as typeof ConnectError).MESSAGE;
    let s = base;
    if (osError !== undefined && osError !== 0 && osError !== "") {
      s = `${s}: ${osError}`;
    }
    if (string) s = `${s}: ${string}`;
    super(`${s}.`, options);
    this.name = new.target.name;
    this.osError = osError;
  }
}

/**
 * Could not bind the local address of an outgoing connection.
 *
 * @example Usage
 * ```ts
 * import { ConnectBindError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ConnectBindError().message, "Couldn't bind.");
 * ```
 */
export class ConnectBindError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "Couldn't bind";
}

/**
 * The host name could not be looked up.
 *
 * @example Usage
 * ```ts
 * import { UnknownHostError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new UnknownHostError().message, "Hostname couldn't be looked up.");
 * ```
 */
export class UnknownHostError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "Hostname couldn't be looked up";
}

/**
 * No route to host (`ENETUNREACH`).
 *
 * @example Usage
 * ```ts
 * import { NoRouteError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new NoRouteError().message, "No route to host.");
 * ```
 */
export class NoRouteError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "No route to host";
}

/**
 * The connection was refused (`ECONNREFUSED`).
 *
 * @example Usage
 * ```ts
 * import { ConnectionRefusedError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   new ConnectionRefusedError(111, "Connection refused").message,
 *   "Connection was refused by other side: 111: Connection refused.",
 * );
 * ```
 */
export class ConnectionRefusedError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string =
    "Connection was refused by other side";
}

/**
 * The TCP connection attempt timed out in the kernel (`ETIMEDOUT`).
 *
 * @example Usage
 * ```ts
 * import { TCPTimedOutError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new TCPTimedOutError().message, "TCP connection timed out.");
 * ```
 */
export class TCPTimedOutError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "TCP connection timed out";
}

/**
 * The file used for a Unix socket is no good.
 *
 * @example Usage
 * ```ts
 * import { BadFileError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new BadFileError().message, "File used for UNIX socket is no good.");
 * ```
 */
export class BadFileError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string =
    "File used for UNIX socket is no good";
}

/**
 * The service name given as a port is unknown.
 *
 * @example Usage
 * ```ts
 * import { ServiceNameUnknownError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ServiceNameUnknownError().message, "Service name given as port is unknown.");
 * ```
 */
export class ServiceNameUnknownError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string =
    "Service name given as port is unknown";
}

/**
 * The user aborted the connection attempt (`connector.stopConnecting()`).
 *
 * @example Usage
 * ```ts
 * import { UserError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new UserError().message, "User aborted connection.");
 * ```
 */
export class UserError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "User aborted connection";
}

/**
 * The connection attempt took longer than its `timeout` (Twisted's
 * `error.TimeoutError`; not the `TimeoutError` of `addTimeout`).
 *
 * @example Usage
 * ```ts
 * import { TimeoutError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new TimeoutError().message, "User timeout caused connection failure.");
 * ```
 */
export class TimeoutError extends UserError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string =
    "User timeout caused connection failure";
}

/**
 * A TLS error occurred.
 *
 * @example Usage
 * ```ts
 * import { SSLError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new SSLError().message, "An SSL error occurred.");
 * ```
 */
export class SSLError extends ConnectError {
  /** The fixed part of the message. */
  static override readonly MESSAGE: string = "An SSL error occurred";
}

/**
 * A connection was closed, cleanly or not: the base of the reasons
 * `connectionLost` receives.
 *
 * @example Usage
 * ```ts
 * import { ConnectionClosed, ConnectionDone } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new ConnectionDone() instanceof ConnectionClosed);
 * ```
 */
export class ConnectionClosed extends Error {
  /**
   * Creates a `ConnectionClosed`.
   *
   * @param message A description.
   * @param options Standard error options (`cause`).
   */
  constructor(message = "Connection was closed.", options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The connection was lost in a non-clean fashion: a reset, a broken pipe, or
 * the reactor shutting down. The Deno error, if any, is the `cause`.
 *
 * @example Usage
 * ```ts
 * import { ConnectionLost } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ConnectionLost().message, "Connection to the other side was lost in a non-clean fashion.");
 * ```
 */
export class ConnectionLost extends ConnectionClosed {
  /**
   * Creates a `ConnectionLost`.
   *
   * @param detail Details, appended after a colon.
   * @param options Standard error options (`cause`).
   */
  constructor(detail?: string, options?: ErrorOptions) {
    super(
      twistedMessage(
        "Connection to the other side was lost in a non-clean fashion",
        [detail],
      ),
      options,
    );
  }
}

/**
 * The connection was aborted locally with `abortConnection()`.
 *
 * @example Usage
 * ```ts
 * import { ConnectionAborted, ConnectionLost } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new ConnectionAborted() instanceof ConnectionLost);
 * ```
 */
export class ConnectionAborted extends ConnectionLost {
  /**
   * Creates a `ConnectionAborted`.
   *
   * @param detail Details.
   */
  constructor(detail?: string) {
    super();
    this.message = twistedMessage(
      "Connection was aborted locally using ITCPTransport.abortConnection",
      [detail],
    );
  }
}

/**
 * The transport aborted the connection because more bytes waited to be sent
 * than its ceiling allows (`setWriteBufferLimits({ max })`): the peer did not
 * read what was written to it. A {@linkcode ConnectionAborted}, so
 * `reason.check(ConnectionAborted)` holds. Twisted has no such limit.
 *
 * @example Usage
 * ```ts
 * import { ConnectionAborted, WriteBufferOverflow } from "@torsion/torsion/reactor";
 * import { equal, ok } from "node:assert/strict";
 *
 * const e = new WriteBufferOverflow(20_000_000, 16_777_216);
 * ok(e instanceof ConnectionAborted);
 * equal(e.buffered, 20_000_000);
 * equal(
 *   e.message,
 *   "Connection aborted: 20000000 bytes waited to be sent, more than the limit of 16777216 (setWriteBufferLimits({ max })).",
 * );
 * ```
 */
export class WriteBufferOverflow extends ConnectionAborted {
  /** The bytes that waited to be sent. */
  readonly buffered: number;
  /** The ceiling they went over. */
  readonly limit: number;

  /**
   * Creates a `WriteBufferOverflow`.
   *
   * @param buffered The bytes that waited to be sent.
   * @param limit The ceiling.
   */
  constructor(buffered: number, limit: number) {
    super();
    this.message =
      `Connection aborted: ${buffered} bytes waited to be sent, more than the limit of ${limit} (setWriteBufferLimits({ max })).`;
    this.buffered = buffered;
    this.limit = limit;
  }
}

/**
 * The connection was closed cleanly: the peer's end of stream, or our own
 * `loseConnection()`.
 *
 * @example Usage
 * ```ts
 * import { ConnectionDone } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ConnectionDone().message, "Connection was closed cleanly.");
 * ```
 */
export class ConnectionDone extends ConnectionClosed {
  /**
   * Creates a `ConnectionDone`.
   *
   * @param detail Details.
   */
  constructor(detail?: string) {
    super(twistedMessage("Connection was closed cleanly", [detail]));
  }
}

/**
 * `cancel()` on a `DelayedCall` that has already run.
 *
 * @example Usage
 * ```ts
 * import { AlreadyCalled } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new AlreadyCalled().message, "Tried to cancel an already-called event.");
 * ```
 */
export class AlreadyCalled extends Error {
  /**
   * Creates a `AlreadyCalled`.
   *
   * @param args Details.
   */
  constructor(...args: unknown[]) {
    super(twistedMessage("Tried to cancel an already-called event", args));
    this.name = "AlreadyCalled";
  }
}

/**
 * `cancel()` on a `DelayedCall` that has already been cancelled.
 *
 * @example Usage
 * ```ts
 * import { AlreadyCancelled } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new AlreadyCancelled().message, "Tried to cancel an already-cancelled event.");
 * ```
 */
export class AlreadyCancelled extends Error {
  /**
   * Creates a `AlreadyCancelled`.
   *
   * @param args Details.
   */
  constructor(...args: unknown[]) {
    super(twistedMessage("Tried to cancel an already-cancelled event", args));
    this.name = "AlreadyCancelled";
  }
}

/**
 * `stopConnecting()` on a connector that is not connecting.
 *
 * @example Usage
 * ```ts
 * import { NotConnectingError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   new NotConnectingError().message,
 *   "The Connector was not connecting when it was asked to stop connecting.",
 * );
 * ```
 */
export class NotConnectingError extends Error {
  /**
   * Creates a `NotConnectingError`.
   *
   * @param args Details.
   */
  constructor(...args: unknown[]) {
    super(
      twistedMessage(
        "The Connector was not connecting when it was asked to stop connecting",
        args,
      ),
    );
    this.name = "NotConnectingError";
  }
}

/**
 * `stopListening()` on a port that is not listening.
 *
 * @example Usage
 * ```ts
 * import { NotListeningError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   new NotListeningError().message,
 *   "The Port was not listening when it was asked to stop listening.",
 * );
 * ```
 */
export class NotListeningError extends Error {
  /**
   * Creates a `NotListeningError`.
   *
   * @param args Details.
   */
  constructor(...args: unknown[]) {
    super(
      twistedMessage(
        "The Port was not listening when it was asked to stop listening",
        args,
      ),
    );
    this.name = "NotListeningError";
  }
}

/**
 * `stop()` on a reactor that is not running.
 *
 * @example Usage
 * ```ts
 * import { Reactor, ReactorNotRunning } from "@torsion/torsion/reactor";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => new Reactor().stop(), ReactorNotRunning);
 * ```
 */
export class ReactorNotRunning extends Error {
  /**
   * Creates a `ReactorNotRunning`.
   *
   * @param message A description.
   */
  constructor(message = "Can't stop reactor that isn't running.") {
    super(message);
    this.name = "ReactorNotRunning";
  }
}

/**
 * `run()` on a reactor that has already run and stopped.
 *
 * @example Usage
 * ```ts
 * import { ReactorNotRestartable } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ReactorNotRestartable().name, "ReactorNotRestartable");
 * ```
 */
export class ReactorNotRestartable extends Error {
  /**
   * Creates a `ReactorNotRestartable`.
   *
   * @param message A description.
   */
  constructor(
    message = "Cannot run the reactor: it has already run and stopped",
  ) {
    super(message);
    this.name = "ReactorNotRestartable";
  }
}

/**
 * `run()` on a reactor that is running.
 *
 * @example Usage
 * ```ts
 * import { ReactorAlreadyRunning } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ReactorAlreadyRunning().name, "ReactorAlreadyRunning");
 * ```
 */
export class ReactorAlreadyRunning extends Error {
  /**
   * Creates a `ReactorAlreadyRunning`.
   *
   * @param message A description.
   */
  constructor(message = "Cannot run the reactor: it is already running") {
    super(message);
    this.name = "ReactorAlreadyRunning";
  }
}

/**
 * A connection attempt was cancelled before it connected.
 *
 * @example Usage
 * ```ts
 * import { ConnectingCancelledError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ConnectingCancelledError("127.0.0.1:1").address, "127.0.0.1:1");
 * ```
 */
export class ConnectingCancelledError extends Error {
  /** The destination of the cancelled attempt. */
  readonly address: unknown;
  /**
   * Creates a `ConnectingCancelledError`.
   *
   * @param address The destination.
   */
  constructor(address: unknown) {
    super(`Connecting to ${String(address)} was cancelled`);
    this.name = "ConnectingCancelledError";
    this.address = address;
  }
}

/**
 * A factory's `buildProtocol` returned `null` for an outgoing connection made
 * for a Deferred of its protocol.
 *
 * @example Usage
 * ```ts
 * import { NoProtocol } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new NoProtocol().name, "NoProtocol");
 * ```
 */
export class NoProtocol extends Error {
  /**
   * Creates a `NoProtocol`.
   *
   * @param message A description.
   */
  constructor(message = "The factory built no protocol for the connection") {
    super(message);
    this.name = "NoProtocol";
  }
}

/**
 * An address was invalid (neither IPv4 nor IPv6, or the wrong one of them).
 *
 * @example Usage
 * ```ts
 * import { InvalidAddressError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new InvalidAddressError("1.2.3", "not an IPv4 address").address, "1.2.3");
 * ```
 */
export class InvalidAddressError extends Error {
  /** The address given. */
  readonly address: string;
  /**
   * Creates a `InvalidAddressError`.
   *
   * @param address The address.
   * @param message What is wrong with it.
   */
  constructor(address: string, message: string) {
    super(`Invalid address ${JSON.stringify(address)}: ${message}`);
    this.name = "InvalidAddressError";
    this.address = address;
  }
}

/**
 * `installReactor()` was called after a reactor had been installed, or after
 * the default reactor had been built by its first use (Twisted's
 * `ReactorAlreadyInstalledError`).
 *
 * @example Usage
 * ```ts
 * import { ReactorAlreadyInstalledError } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ReactorAlreadyInstalledError().message, "reactor already installed");
 * ```
 */
export class ReactorAlreadyInstalledError extends Error {
  /**
   * Creates a `ReactorAlreadyInstalledError`.
   *
   * @param message What happened.
   */
  constructor(message = "reactor already installed") {
    super(message);
    this.name = "ReactorAlreadyInstalledError";
  }
}

/**
 * A child process ended without apparent errors: it exited with code 0. The
 * reason `processExited` and `processEnded` get then (Twisted's
 * `ProcessDone`); a {@linkcode ConnectionDone}.
 *
 * @example Usage
 * ```ts
 * import { ConnectionDone, ProcessDone } from "@torsion/torsion/reactor";
 * import { equal, ok } from "node:assert/strict";
 *
 * const e = new ProcessDone(0);
 * ok(e instanceof ConnectionDone);
 * equal(e.exitCode, 0);
 * equal(e.signal, null);
 * equal(
 *   e.message,
 *   "A process has ended without apparent errors: process finished with exit code 0.",
 * );
 * ```
 */
export class ProcessDone extends ConnectionDone {
  /** The exit code: always 0. */
  readonly exitCode: 0 = 0;
  /** The signal that ended the process: always `null`. */
  readonly signal: null = null;
  /** The wait status (`exitCode << 8`: 0). */
  readonly status: number;

  /**
   * Creates a `ProcessDone`.
   *
   * @param status The wait status.
   */
  constructor(status: number) {
    super();
    this.message = twistedMessage(
      "A process has ended without apparent errors",
      ["process finished with exit code 0"],
    );
    this.status = status;
  }
}

/**
 * A child process ended with a probable error condition: a nonzero exit
 * code, or a signal (Twisted's `ProcessTerminated`); a
 * {@linkcode ConnectionLost}.
 *
 * @example Usage
 * ```ts
 * import { ProcessTerminated } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const byCode = new ProcessTerminated(1, null, 256);
 * equal(
 *   byCode.message,
 *   "A process has ended with a probable error condition: process ended with exit code 1.",
 * );
 * const bySignal = new ProcessTerminated(null, 15, 15);
 * equal(bySignal.exitCode, null);
 * equal(
 *   bySignal.message,
 *   "A process has ended with a probable error condition: process ended by signal 15.",
 * );
 * ```
 */
export class ProcessTerminated extends ConnectionLost {
  /** The exit code, or `null` if a signal ended the process. */
  readonly exitCode: number | null;
  /** The number of the signal that ended the process, or `null` if it exited. */
  readonly signal: number | null;
  /**
   * The wait status, as `waitpid` reports it: `exitCode << 8` after an exit,
   * the signal's number after a signal.
   */
  readonly status: number | null;

  /**
   * Creates a `ProcessTerminated`.
   *
   * @param exitCode The exit code (`null` after a signal).
   * @param signal The signal's number (`null` after an exit).
   * @param status The wait status.
   */
  constructor(
    exitCode: number | null = null,
    signal: number | null = null,
    status: number | null = null,
  ) {
    super();
    let s = "process ended";
    if (exitCode !== null) s += ` with exit code ${exitCode}`;
    if (signal !== null) s += ` by signal ${signal}`;
    this.message = twistedMessage(
      "A process has ended with a probable error condition",
      [s],
    );
    this.exitCode = exitCode;
    this.signal = signal;
    this.status = status;
  }
}

/**
 * The process has already exited and the operation requested can no longer
 * be performed: `signalProcess()` on a process that is gone (Twisted's
 * `ProcessExitedAlready`).
 *
 * @example Usage
 * ```ts
 * import { ProcessExitedAlready } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ProcessExitedAlready().name, "ProcessExitedAlready");
 * ```
 */
export class ProcessExitedAlready extends Error {
  /**
   * Creates a `ProcessExitedAlready`.
   *
   * @param message What could not be done.
   */
  constructor(message = "") {
    super(message);
    this.name = "ProcessExitedAlready";
  }
}
