// Copyright 2026 the Torsion authors. MIT license.
/**
 * State shared by connections lives on the factory: this echo server counts
 * its connections in `factory.numProtocols` (up in `connectionMade`, down
 * in `connectionLost`) and turns away a client above the limit with
 * "Too many connections, try later" (no line end, as in the tutorial).
 *
 * Each protocol finds its factory as `this.factory`; redeclaring it with
 * `declare factory: EchoFactory` types it as our factory class.
 *
 * ```sh
 * deno run --allow-net examples/echo_limited.ts --limit 1   # port 8001
 * nc 127.0.0.1 8001     # first client: an echo server
 * nc 127.0.0.1 8001     # second one, meanwhile: "Too many connections, try later"
 * ```
 *
 * Python original (the tutorial's limit is 100):
 *
 * ```py
 * class Echo(Protocol):
 *     def connectionMade(self):
 *         self.factory.numProtocols = self.factory.numProtocols+1
 *         if self.factory.numProtocols > 100:
 *             self.transport.write("Too many connections, try later")
 *             self.transport.loseConnection()
 *     def connectionLost(self, reason):
 *         self.factory.numProtocols = self.factory.numProtocols-1
 *     def dataReceived(self, data):
 *         self.transport.write(data)
 * ```
 *
 * @module
 */

import { Factory, type Failure, log, Protocol, reactor } from "../mod.ts";
import { announce, cli, nonNegative, portNumber } from "./_cli.ts";

/** An echo protocol that keeps count of the connections on its factory. */
export class Echo extends Protocol {
  declare factory: EchoFactory;

  /** Counts this connection; above the limit, says so and closes. */
  override connectionMade(): void {
    this.factory.numProtocols = this.factory.numProtocols + 1;
    if (this.factory.numProtocols > this.factory.limit) {
      this.transport.write("Too many connections, try later");
      this.transport.loseConnection();
    }
  }

  /**
   * Uncounts this connection (refused ones too: they were counted).
   *
   * @param _reason Why it closed.
   */
  override connectionLost(_reason: Failure): void {
    this.factory.numProtocols = this.factory.numProtocols - 1;
  }

  /**
   * Writes back what it receives.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/** The factory: the connection count and the limit live here. */
export class EchoFactory extends Factory {
  override protocol = Echo;
  /** How many connections are open now. */
  numProtocols = 0;
  /** How many connections are served at once. */
  readonly limit: number;

  /**
   * Makes the factory.
   *
   * @param limit How many connections are served at once (the tutorial's 100).
   */
  constructor(limit = 100) {
    super();
    this.limit = limit;
  }
}

const USAGE = `
Usage: deno run --allow-net examples/echo_limited.ts [--limit N] [--port N] [--host H]

  --limit N  how many clients are served at once [default: 100]
  --port N   the port to listen on (0: any free port) [default: 8001]
  --host H   the address to listen on [default: 127.0.0.1]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    limit: { type: "string", default: "100" },
    port: { type: "string", default: "8001" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const factory = new EchoFactory(nonNegative(USAGE, values.limit, "--limit"));
  const port = reactor.listenTCP(portNumber(USAGE, values.port), factory, {
    interface: values.host,
  });
  announce(port);
  await reactor.run();
}
