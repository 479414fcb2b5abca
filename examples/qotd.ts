// Copyright 2026 the Torsion authors. MIT license.
/**
 * A protocol that answers the connection itself: Quote of the Day
 * (RFC 865). `connectionMade` writes the quote and closes the connection;
 * the client reads it and sees the end of the stream.
 * `transport.loseConnection()` sends what was written first.
 *
 * ```sh
 * deno run --allow-net examples/qotd.ts      # port 8007, as in the tutorial
 * nc 127.0.0.1 8007
 * # An apple a day keeps the doctor away
 * ```
 *
 * Python original:
 *
 * ```py
 * class QOTD(Protocol):
 *     def connectionMade(self):
 *         self.transport.write("An apple a day keeps the doctor away\r\n")
 *         self.transport.loseConnection()
 *
 * # Next lines are magic:
 * factory = Factory()
 * factory.protocol = QOTD
 * # 8007 is the port you want to run under. Choose something >1024
 * reactor.listenTCP(8007, factory)
 * reactor.run()
 * ```
 *
 * (Torsion's `protocols/wire.ts` has Twisted's own `QOTD`, whose quote ends
 * with a full stop.)
 *
 * @module
 */

import { Factory, log, Protocol, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Sends the quote of the day, and closes. */
export class QOTD extends Protocol {
  /** Called once connected: write the quote and hang up. */
  override connectionMade(): void {
    this.transport.write("An apple a day keeps the doctor away\r\n");
    this.transport.loseConnection();
  }
}

const USAGE = `
Usage: deno run --allow-net examples/qotd.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8007]
  --host H   the address to listen on [default: 127.0.0.1]

Then: nc 127.0.0.1 8007
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8007" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  // Next lines are magic:
  const factory = new Factory();
  factory.protocol = QOTD;
  // 8007 is the port you want to run under. Choose something >1024
  const port = reactor.listenTCP(portNumber(USAGE, values.port), factory, {
    interface: values.host,
  });
  announce(port);
  await reactor.run();
}
