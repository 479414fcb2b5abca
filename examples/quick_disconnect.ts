// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A first client: `reactor.connectTCP(host, port, factory)` and the events
 * of a {@linkcode ClientFactory}. The protocol disconnects as soon as it is
 * connected; the factory prints why the connection ended
 * (`clientConnectionLost`) or why it could not be made
 * (`clientConnectionFailed`), then stops the reactor.
 *
 * ```sh
 * deno run --allow-net examples/echo_server.ts &               # a live port
 * deno run --allow-net examples/quick_disconnect.ts 127.0.0.1 8000
 * # Connected to 127.0.0.1.
 * # Lost connection:Connection was closed cleanly.
 * deno run --allow-net examples/quick_disconnect.ts 127.0.0.1 1  # closed
 * # Connection failed:Connection was refused by other side: 111: Connection refused.
 * ```
 *
 * Host and port may also be given as `--host` and `--port`. (The tutorial
 * connects to www.comeinfo.com:80; the default here is 127.0.0.1:8000.)
 *
 * Python original:
 *
 * ```py
 * class QuickDisconnectProtocol(protocol.Protocol):
 *     def connectionMade(self):
 *         print 'Connected to %s.' % self.transport.getPeer().host
 *         self.transport.loseConnection()
 *
 * class BasicClientFactory(protocol.ClientFactory):
 *     protocol = QuickDisconnectProtocol
 *     def clientConnectionLost(self, connector, reason):
 *         print 'Lost connection:%s' % reason.getErrorMessage()
 *         reactor.stop()
 *     def clientConnectionFailed(self, connector, reason):
 *         print 'Connection failed:%s' % reason.getErrorMessage()
 *         reactor.stop()
 *
 * reactor.connectTCP('www.comeinfo.com', 80, BasicClientFactory())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  type Failure,
  type IConnector,
  type IPv4Address,
  Protocol,
  reactor,
} from "../mod.ts";
import { cli, portNumber } from "./_cli.ts";

/** Says where it is connected, and disconnects at once. */
export class QuickDisconnectProtocol extends Protocol {
  /** Called once connected: print the peer, and hang up. */
  override connectionMade(): void {
    const peer = this.transport.getPeer() as IPv4Address;
    console.log(`Connected to ${peer.host}.`);
    this.transport.loseConnection();
  }
}

/** Builds a {@linkcode QuickDisconnectProtocol} and reports how it ended. */
export class BasicClientFactory extends ClientFactory {
  override protocol = QuickDisconnectProtocol;

  /**
   * The connection was made, then lost (here: closed by our protocol).
   *
   * @param _connector The connector.
   * @param reason Why, in a Failure.
   */
  override clientConnectionLost(_connector: IConnector, reason: Failure): void {
    console.log(`Lost connection:${reason.getErrorMessage()}`);
    reactor.stop();
  }

  /**
   * The connection could not be made (refused, timed out, unknown host).
   *
   * @param _connector The connector.
   * @param reason Why, in a Failure.
   */
  override clientConnectionFailed(
    _connector: IConnector,
    reason: Failure,
  ): void {
    console.log(`Connection failed:${reason.getErrorMessage()}`);
    reactor.stop();
  }
}

const USAGE = `
Usage: deno run --allow-net examples/quick_disconnect.ts [HOST [PORT]]
       deno run --allow-net examples/quick_disconnect.ts [--host H] [--port N]

  HOST, --host H   where to connect [default: 127.0.0.1]
  PORT, --port N   the port [default: 8000]

Try a live port (a running example server) and a closed one (1).
`;

if (import.meta.main) {
  const { values, positionals } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8000" },
  });
  const host = positionals[0] ?? values.host;
  const port = portNumber(USAGE, positionals[1] ?? values.port);
  reactor.connectTCP(host, port, new BasicClientFactory());
  await reactor.run();
}
