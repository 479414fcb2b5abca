// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/test/test_error.py (StringificationTests,
// SubclassingTests, GetConnectErrorTests), with the mapping of Deno's socket
// errors that replaces errno tuples.
import { equal, ok, strictEqual } from "node:assert/strict";
import {
  AlreadyCalled,
  AlreadyCancelled,
  BadFileError,
  BindError,
  CannotListenError,
  ConnectBindError,
  ConnectError,
  ConnectingCancelledError,
  ConnectionAborted,
  ConnectionClosed,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  DNSLookupError,
  InvalidAddressError,
  MessageLengthError,
  NoProtocol,
  NoRouteError,
  NotConnectingError,
  NotListeningError,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
  ServiceNameUnknownError,
  SSLError,
  TCPTimedOutError,
  TimeoutError,
  UnknownHostError,
  UserError,
} from "../../reactor/errors.ts";
import {
  getConnectError,
  getConnectionLostReason,
} from "../../reactor/backends/deno/deno_errors.ts";

// Twisted's StringificationTests.listOfTests, for the classes Torsion has:
// [expected str(), the error].
const STRINGIFICATIONS: [string, Error][] = [
  ["An error occurred binding to an interface.", new BindError()],
  ["An error occurred binding to an interface: foo.", new BindError("foo")],
  [
    "An error occurred binding to an interface: foo bar.",
    new BindError("foo", "bar"),
  ],
  [
    "Couldn't listen on eth0:4242: Foo.",
    new CannotListenError("eth0", 4242, new Error("Foo")),
  ],
  ["Message is too long to send.", new MessageLengthError()],
  [
    "Message is too long to send: foo bar.",
    new MessageLengthError("foo", "bar"),
  ],
  ["DNS lookup failed.", new DNSLookupError()],
  ["DNS lookup failed: foo bar.", new DNSLookupError("foo", "bar")],
  ["An error occurred while connecting.", new ConnectError()],
  [
    "An error occurred while connecting: someOsError.",
    new ConnectError("someOsError"),
  ],
  [
    "An error occurred while connecting: foo.",
    new ConnectError(undefined, "foo"),
  ],
  [
    "An error occurred while connecting: someOsError: foo.",
    new ConnectError("someOsError", "foo"),
  ],
  ["Couldn't bind.", new ConnectBindError()],
  ["Couldn't bind: someOsError.", new ConnectBindError("someOsError")],
  [
    "Couldn't bind: someOsError: foo.",
    new ConnectBindError("someOsError", "foo"),
  ],
  ["Hostname couldn't be looked up.", new UnknownHostError()],
  ["No route to host.", new NoRouteError()],
  ["Connection was refused by other side.", new ConnectionRefusedError()],
  ["TCP connection timed out.", new TCPTimedOutError()],
  ["File used for UNIX socket is no good.", new BadFileError()],
  ["Service name given as port is unknown.", new ServiceNameUnknownError()],
  ["User aborted connection.", new UserError()],
  ["User timeout caused connection failure.", new TimeoutError()],
  ["An SSL error occurred.", new SSLError()],
  [
    "Connection to the other side was lost in a non-clean fashion.",
    new ConnectionLost(),
  ],
  [
    "Connection to the other side was lost in a non-clean fashion: foo bar.",
    new ConnectionLost("foo bar"),
  ],
  [
    "Connection was aborted locally using ITCPTransport.abortConnection.",
    new ConnectionAborted(),
  ],
  ["Connection was closed cleanly.", new ConnectionDone()],
  ["Connection was closed cleanly: foo bar.", new ConnectionDone("foo bar")],
  ["Tried to cancel an already-called event.", new AlreadyCalled()],
  [
    "Tried to cancel an already-called event: foo bar.",
    new AlreadyCalled("foo", "bar"),
  ],
  ["Tried to cancel an already-cancelled event.", new AlreadyCancelled()],
  [
    "Tried to cancel an already-cancelled event: x 2.",
    new AlreadyCancelled("x", "2"),
  ],
  [
    "The Connector was not connecting when it was asked to stop connecting.",
    new NotConnectingError(),
  ],
  [
    "The Connector was not connecting when it was asked to stop connecting: x 13.",
    new NotConnectingError("x", "13"),
  ],
  [
    "The Port was not listening when it was asked to stop listening.",
    new NotListeningError(),
  ],
  [
    "The Port was not listening when it was asked to stop listening: a 12.",
    new NotListeningError("a", "12"),
  ],
];

for (const [expected, error] of STRINGIFICATIONS) {
  Deno.test(`${error.name} message is "${expected}"`, () => {
    equal(error.message, expected);
  });
}

Deno.test("CannotListenError says 'any' for the empty interface", () => {
  const e = new CannotListenError("", 80, new Error("Permission denied"));
  equal(e.message, "Couldn't listen on any:80: Permission denied.");
});

Deno.test("CannotListenError keeps the interface, port and socket error", () => {
  const cause = new Error("Address in use");
  const e = new CannotListenError("127.0.0.1", 8000, cause);
  equal(e.interface, "127.0.0.1");
  equal(e.port, 8000);
  strictEqual(e.socketError, cause);
});

Deno.test("ConnectError leaves out an osError of 0, as Twisted's falsy check does", () => {
  equal(
    new ConnectError(0, "foo").message,
    "An error occurred while connecting: foo.",
  );
});

Deno.test("ConnectError keeps its osError", () => {
  equal(new ConnectionRefusedError(111, "refused").osError, 111);
});

Deno.test("ReactorNotRunning has the message reactor.stop() raises", () => {
  equal(
    new ReactorNotRunning().message,
    "Can't stop reactor that isn't running.",
  );
});

Deno.test("ConnectingCancelledError keeps the address it is given", () => {
  const address = {};
  strictEqual(new ConnectingCancelledError(address).address, address);
});

Deno.test("InvalidAddressError keeps the address and says what is wrong", () => {
  const e = new InvalidAddressError("1.2.3", "not an IPv4 address");
  equal(e.address, "1.2.3");
  ok(e.message.includes("not an IPv4 address"));
});

// Each error's `name` is its class name, so that `Failure.check("Name")` and
// log output match Twisted's class names.
const NAMED: [string, Error][] = [
  ["BindError", new BindError()],
  ["CannotListenError", new CannotListenError("", 1, "x")],
  ["MessageLengthError", new MessageLengthError()],
  ["DNSLookupError", new DNSLookupError()],
  ["ConnectError", new ConnectError()],
  ["ConnectBindError", new ConnectBindError()],
  ["UnknownHostError", new UnknownHostError()],
  ["NoRouteError", new NoRouteError()],
  ["ConnectionRefusedError", new ConnectionRefusedError()],
  ["TCPTimedOutError", new TCPTimedOutError()],
  ["BadFileError", new BadFileError()],
  ["ServiceNameUnknownError", new ServiceNameUnknownError()],
  ["UserError", new UserError()],
  ["TimeoutError", new TimeoutError()],
  ["SSLError", new SSLError()],
  ["ConnectionClosed", new ConnectionClosed()],
  ["ConnectionLost", new ConnectionLost()],
  ["ConnectionAborted", new ConnectionAborted()],
  ["ConnectionDone", new ConnectionDone()],
  ["AlreadyCalled", new AlreadyCalled()],
  ["AlreadyCancelled", new AlreadyCancelled()],
  ["NotConnectingError", new NotConnectingError()],
  ["NotListeningError", new NotListeningError()],
  ["ReactorNotRunning", new ReactorNotRunning()],
  ["ReactorNotRestartable", new ReactorNotRestartable()],
  ["ReactorAlreadyRunning", new ReactorAlreadyRunning()],
  ["ConnectingCancelledError", new ConnectingCancelledError("x")],
  ["NoProtocol", new NoProtocol()],
  ["InvalidAddressError", new InvalidAddressError("x", "y")],
];

Deno.test("errors are named after their classes", () => {
  for (const [name, error] of NAMED) equal(error.name, name);
});

Deno.test("ConnectionLost and ConnectionDone are ConnectionClosed", () => {
  ok(new ConnectionLost() instanceof ConnectionClosed);
  ok(new ConnectionDone() instanceof ConnectionClosed);
});

Deno.test("ConnectionAborted is a ConnectionLost", () => {
  ok(new ConnectionAborted() instanceof ConnectionLost);
});

Deno.test("TimeoutError is a UserError, and both are ConnectErrors", () => {
  ok(new TimeoutError() instanceof UserError);
  ok(new UserError() instanceof ConnectError);
});

Deno.test("ConnectError subclasses are ConnectErrors", () => {
  for (
    const e of [
      new ConnectBindError(),
      new UnknownHostError(),
      new NoRouteError(),
      new ConnectionRefusedError(),
      new TCPTimedOutError(),
      new BadFileError(),
      new ServiceNameUnknownError(),
      new SSLError(),
    ]
  ) {
    ok(e instanceof ConnectError, e.name);
  }
});

Deno.test("CannotListenError is a BindError", () => {
  ok(new CannotListenError("", 1, "x") instanceof BindError);
});

// getConnectError: Twisted maps errno values; Deno gives error classes with
// "(os error N)" in the message.

/** Checks the class exactly, the osError and the cause. */
function assertConnectError(
  result: Error,
  expected: new (...args: never[]) => Error,
  osError: number | undefined,
  cause: unknown,
): void {
  strictEqual(result.constructor, expected);
  equal((result as ConnectError).osError, osError);
  strictEqual(result.cause, cause);
}

Deno.test("getConnectError() maps ConnectionRefused to ConnectionRefusedError", () => {
  const e = new Deno.errors.ConnectionRefused(
    "Connection refused (os error 111)",
  );
  const result = getConnectError(e);
  assertConnectError(result, ConnectionRefusedError, 111, e);
  equal(
    result.message,
    "Connection was refused by other side: 111: Connection refused.",
  );
});

Deno.test("getConnectError() maps NetworkUnreachable to NoRouteError", () => {
  const e = new Deno.errors.NetworkUnreachable(
    "Network is unreachable (os error 101)",
  );
  assertConnectError(getConnectError(e), NoRouteError, 101, e);
});

Deno.test("getConnectError() maps TimedOut to TCPTimedOutError", () => {
  const e = new Deno.errors.TimedOut("Connection timed out (os error 110)");
  assertConnectError(getConnectError(e), TCPTimedOutError, 110, e);
});

Deno.test("getConnectError() maps AddrNotAvailable and AddrInUse to ConnectBindError", () => {
  const a = new Deno.errors.AddrNotAvailable(
    "Cannot assign requested address (os error 99)",
  );
  const b = new Deno.errors.AddrInUse("Address already in use (os error 98)");
  assertConnectError(getConnectError(a), ConnectBindError, 99, a);
  assertConnectError(getConnectError(b), ConnectBindError, 98, b);
});

Deno.test("getConnectError() maps a failed host lookup to DNSLookupError", () => {
  const e = new Error(
    "failed to lookup address information: Name or service not known",
  );
  const result = getConnectError(e);
  strictEqual(result.constructor, DNSLookupError);
  strictEqual(result.cause, e);
  equal(
    result.message,
    "DNS lookup failed: failed to lookup address information: Name or service not known.",
  );
});

Deno.test("getConnectError() maps a DOMException TimeoutError to TimeoutError", () => {
  const e = new DOMException(
    "The operation was aborted due to timeout",
    "TimeoutError",
  );
  const result = getConnectError(e);
  assertConnectError(result, TimeoutError, undefined, e);
  equal(result.message, "User timeout caused connection failure.");
});

Deno.test("getConnectError() maps a DOMException AbortError to UserError", () => {
  const e = new DOMException("The signal has been aborted", "AbortError");
  const result = getConnectError(e);
  assertConnectError(result, UserError, undefined, e);
  equal(result.message, "User aborted connection.");
});

Deno.test("getConnectError() maps another DOMException to ConnectError", () => {
  const e = new DOMException("nope", "NotSupportedError");
  strictEqual(getConnectError(e).constructor, ConnectError);
});

Deno.test("getConnectError() maps any other error to ConnectError with its text", () => {
  const e = new Deno.errors.PermissionDenied(
    "Permission denied (os error 13)",
  );
  const result = getConnectError(e);
  assertConnectError(result, ConnectError, 13, e);
  equal(
    result.message,
    "An error occurred while connecting: 13: Permission denied.",
  );
});

Deno.test("getConnectError() maps an error without an os error number to ConnectError", () => {
  const e = new Error("boom");
  const result = getConnectError(e);
  assertConnectError(result, ConnectError, undefined, e);
  equal(result.message, "An error occurred while connecting: boom.");
});

Deno.test("getConnectError() maps a thrown non-error to ConnectError with its string", () => {
  const result = getConnectError("weird");
  strictEqual(result.constructor, ConnectError);
  equal(result.message, "An error occurred while connecting: weird.");
});

Deno.test("getConnectError() returns connect errors and DNSLookupError unchanged", () => {
  const a = new ConnectionRefusedError(111, "x");
  const b = new DNSLookupError("host");
  strictEqual(getConnectError(a), a);
  strictEqual(getConnectError(b), b);
});

Deno.test("getConnectError() maps the error of a real refused Deno.connect()", async () => {
  // Find a free port, then connect to it once nothing listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  let error: unknown;
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
  } catch (e) {
    error = e;
  }
  const result = getConnectError(error);
  strictEqual(result.constructor, ConnectionRefusedError);
  equal((result as ConnectError).osError, 111);
  strictEqual(result.cause, error);
});

Deno.test("getConnectionLostReason() wraps a read error in ConnectionLost with its text", () => {
  const e = new Deno.errors.ConnectionReset(
    "Connection reset by peer (os error 104)",
  );
  const reason = getConnectionLostReason(e);
  strictEqual(reason.constructor, ConnectionLost);
  strictEqual(reason.cause, e);
  equal(
    reason.message,
    "Connection to the other side was lost in a non-clean fashion: Connection reset by peer.",
  );
});

Deno.test("getConnectionLostReason() returns a ConnectionLost unchanged", () => {
  const e = new ConnectionAborted();
  strictEqual(getConnectionLostReason(e), e);
});

Deno.test("getConnectionLostReason() wraps a thrown non-error", () => {
  const reason = getConnectionLostReason(42);
  ok(reason instanceof ConnectionLost);
  equal(
    reason.message,
    "Connection to the other side was lost in a non-clean fashion: 42.",
  );
});
