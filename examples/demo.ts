// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * The Torsion demo server (`deno task start`): the tutorial's servers,
 * side by side on one reactor, each on its own port. Start it, then talk to
 * the services with `nc`:
 *
 * ```sh
 * deno task start                            # ports 8000-8013 on 127.0.0.1
 * deno task start --port-base 9000           # ports 9000-9013
 * nc 127.0.0.1 8007                          # a quote
 * nc -C 127.0.0.1 8002                       # then type: How are you?
 * ```
 *
 * The table of services and ports is printed on start; the log goes to
 * stderr, Twisted-style: each factory starting on its port, each
 * connection (protocol, session number and peer), and why it closed.
 * Ctrl-C (or SIGTERM) stops the reactor: the "before shutdown" trigger
 * says what is still open, the reactor closes every port and connection,
 * the "after shutdown" trigger says it is done, and the process exits
 * with status 0.
 *
 * The protocols are the examples' own, imported from their modules (whose
 * main code only runs when started directly, `import.meta.main`). Each
 * factory is wrapped in a `LoggingFactory`, a
 * {@linkcode WrappingFactory} (from `twisted.protocols.policies`) whose
 * protocol wrapper logs the connection events and passes everything else
 * through.
 *
 * `--port-base 0` puts every service on a free port of its own (the table
 * tells which), as the tests do.
 *
 * @module
 */

import {
  CannotListenError,
  Daytime,
  Discard,
  Factory,
  type Failure,
  gatherResults,
  type IAddress,
  type IListeningPort,
  type ILoggingContext,
  type IProtocol,
  type IProtocolFactory,
  IPv4Address,
  IPv6Address,
  type ITransport,
  log,
  ProtocolWrapper,
  reactor,
  WrappingFactory,
} from "../mod.ts";
import { cli, portNumber, usageError } from "./_cli.ts";
import { Echo } from "./echo_server.ts";
import { EchoFactory as LimitedEchoFactory } from "./echo_limited.ts";
import { Answer } from "./answer.ts";
import { LineModes } from "./line_modes.ts";
import { NetstringEcho } from "./netstring_echo.ts";
import { Int32Echo } from "./int32_echo.ts";
import { QOTD } from "./qotd.ts";

/** One service of the demo. */
export interface Service {
  /** Its name in the table. */
  name: string;
  /** Its port, relative to `--port-base`. */
  offset: number;
  /** Makes its factory. */
  factory: () => IProtocolFactory;
  /** What to try, with `HOST` and `PORT` in place of the address. */
  try: string;
}

/** The services, in port order (the standalone examples' default ports). */
export const SERVICES: readonly Service[] = [
  {
    name: "echo",
    offset: 0,
    factory: () => Factory.forProtocol(Echo),
    try: "nc HOST PORT",
  },
  {
    name: "echo-limited",
    offset: 1,
    factory: () => new LimitedEchoFactory(2),
    try: "nc HOST PORT   (2 clients at a time)",
  },
  {
    name: "answer",
    offset: 2,
    factory: () => Factory.forProtocol(Answer),
    try: "nc -C HOST PORT, then type: How are you?",
  },
  {
    name: "line-modes",
    offset: 4,
    factory: () => Factory.forProtocol(LineModes),
    try: "nc -C HOST PORT, then: DATA 5, and 5 characters",
  },
  {
    name: "netstring",
    offset: 5,
    factory: () => Factory.forProtocol(NetstringEcho),
    try: "printf '5:hello,' | nc -N HOST PORT",
  },
  {
    name: "int32",
    offset: 6,
    factory: () => Factory.forProtocol(Int32Echo),
    try: "printf '\\0\\0\\0\\5hello' | nc -N HOST PORT | od -c",
  },
  {
    name: "qotd",
    offset: 7,
    factory: () => Factory.forProtocol(QOTD),
    try: "nc HOST PORT",
  },
  {
    name: "discard",
    offset: 9,
    factory: () => Factory.forProtocol(Discard),
    try: "nc HOST PORT   (what you type goes nowhere)",
  },
  {
    name: "daytime",
    offset: 13,
    factory: () => Factory.forProtocol(Daytime),
    try: "nc HOST PORT",
  },
];

/** `1 port`, `2 ports`. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `host:port`, with brackets around an IPv6 host. */
function hostPort(address: IAddress): string {
  if (address instanceof IPv6Address) {
    return `[${address.host}]:${address.port}`;
  }
  if (address instanceof IPv4Address) return `${address.host}:${address.port}`;
  return String(address);
}

/**
 * The log context of a connection, `Echo,0,127.0.0.1` (protocol, session
 * number, peer), as Twisted's `logPrefix()` of a TCP transport.
 */
function systemOf(transport: ITransport): string {
  return (transport as Partial<ILoggingContext>).logPrefix?.() ?? "-";
}

/** Logs the connection events of the protocol it wraps. */
class LoggingWrapper extends ProtocolWrapper {
  /** The wrapped protocol's prefix: log lines read `[Echo,0,127.0.0.1]`. */
  override logPrefix(): string {
    const p = this.wrappedProtocol as { logPrefix?: () => string } | null;
    return p?.logPrefix?.() ?? p?.constructor.name ?? "-";
  }

  /**
   * Logs the new connection, then connects the wrapped protocol.
   *
   * @param transport The connection.
   */
  override makeConnection(transport: ITransport): void {
    log.msg(`New connection from ${hostPort(transport.getPeer())}`, {
      system: systemOf(transport),
    });
    super.makeConnection(transport);
  }

  /**
   * Logs why the connection closed, then tells the wrapped protocol.
   *
   * @param reason Why.
   */
  override connectionLost(reason: Failure): void {
    log.msg(`Connection closed: ${reason.getTraceback("brief")}`, {
      system: systemOf(this.transport),
    });
    super.connectionLost(reason);
  }
}

/** Wraps a service's factory so that its connections are logged. */
export class LoggingFactory extends WrappingFactory {
  /** The service's name, for the log. */
  readonly service: string;
  // The wrapped factory logs "Starting factory ..." itself.
  override noisy = false;

  /**
   * Makes the wrapper.
   *
   * @param service The service's name.
   * @param wrappedFactory The factory of its protocols.
   */
  constructor(service: string, wrappedFactory: IProtocolFactory) {
    super(wrappedFactory);
    this.service = service;
  }

  /** `Factory (echo)`: the wrapped factory and the service. */
  override logPrefix(): string {
    const f = this.wrappedFactory as Partial<ILoggingContext>;
    const prefix = f.logPrefix?.() ?? this.wrappedFactory.constructor.name;
    return `${prefix} (${this.service})`;
  }

  /**
   * Wraps a protocol in a {@linkcode LoggingWrapper}.
   *
   * @param wrappedProtocol The service's protocol.
   * @returns The wrapper.
   */
  override wrapProtocol(wrappedProtocol: IProtocol): ProtocolWrapper {
    return new LoggingWrapper(this, wrappedProtocol);
  }
}

const USAGE = `
Usage: deno task start [--port-base N] [--host H]
       deno run --allow-net examples/demo.ts [--port-base N] [--host H]

Runs the tutorial's servers on one reactor, on ports N+0 to N+13.

  --port-base N  the first port: 1024 to 65522, or 0 for a free port per
                 service [default: 8000]
  --host H       the address to listen on [default: 127.0.0.1]
  -h, --help     show this help
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    "port-base": { type: "string", default: "8000" },
    host: { type: "string", default: "127.0.0.1" },
  });
  const base = portNumber(USAGE, values["port-base"], "--port-base");
  const top = Math.max(...SERVICES.map((s) => s.offset));
  if (base !== 0 && (base < 1024 || base + top > 65535)) {
    usageError(
      USAGE,
      `--port-base must be 0 or from 1024 to ${65535 - top}, got ${base}`,
    );
  }
  const host = values.host;
  log.startLogging();

  const ports: [Service, IListeningPort][] = [];
  const factories: LoggingFactory[] = [];
  for (const service of SERVICES) {
    const factory = new LoggingFactory(service.name, service.factory());
    try {
      const port = reactor.listenTCP(
        base === 0 ? 0 : base + service.offset,
        factory,
        { interface: host },
      );
      ports.push([service, port]);
      factories.push(factory);
    } catch (e) {
      if (!(e instanceof CannotListenError)) throw e;
      console.error(`${e.message} Try another --port-base.`);
      Deno.exit(1);
    }
  }

  const width = Math.max(...SERVICES.map((s) => s.name.length)) + 2;
  const rows = ports.map(([service, port]) => {
    const address = port.getHost() as IPv4Address | IPv6Address;
    const tryIt = service.try.replace("HOST", address.host)
      .replace("PORT", String(address.port));
    return `  ${service.name.padEnd(width)}${
      hostPort(address).padEnd(18)
    }${tryIt}`;
  });
  // Printed once the reactor runs: from then on, Ctrl-C is handled.
  reactor.callWhenRunning(() => {
    console.log(`Torsion demo: the Twisted tutorial's servers on ${host}`);
    console.log("");
    console.log(`  ${"service".padEnd(width)}${"address".padEnd(18)}try`);
    for (const row of rows) console.log(row);
    console.log("");
    console.log("Logs go to stderr. Press Ctrl-C to stop.");
  });

  // A "before shutdown" trigger may return a Deferred: the shutdown waits
  // for it. Here it stops listening; then the reactor closes the
  // connections ("during shutdown"), and the "after" trigger runs.
  reactor.addSystemEventTrigger("before", "shutdown", () => {
    const open = factories.reduce((n, f) => n + f.protocols.size, 0);
    log.msg(
      `Shutting down the demo: closing ${plural(ports.length, "port")} and ${
        plural(open, "connection")
      }`,
    );
    return gatherResults(ports.map(([, port]) => port.stopListening()));
  });
  reactor.addSystemEventTrigger("after", "shutdown", () => {
    log.msg("Demo stopped: every port and connection is closed");
  });
  await reactor.run();
}
