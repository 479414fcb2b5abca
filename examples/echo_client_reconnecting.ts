// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A client that survives its server going away:
 * {@linkcode ReconnectingClientFactory} tries again after a connection is
 * lost or fails, waiting longer each time (about 2.7 s, then e times more,
 * up to an hour, with some jitter), and `resetDelay()` on a successful
 * connection starts the backoff over.
 *
 * ```sh
 * deno run --allow-net examples/echo_server.ts &           # note its pid
 * deno run --allow-net examples/echo_client_reconnecting.ts --message hi
 * # Started to connect.
 * # Connected.
 * # Resetting reconnection delay
 * # hi
 * kill %1                    # the client: Lost connection. Reason: ...
 *                            # then Started to connect. / Connection failed. ...
 * deno run --allow-net examples/echo_server.ts &           # it is back:
 * # Started to connect. / Connected. / Resetting reconnection delay / hi
 * ```
 *
 * Ctrl-C stops it: a "before shutdown" trigger calls `stopTrying()`, so the
 * connection the shutdown closes is not retried. `--fast` shortens the
 * backoff (first retry after about 0.14 s, at most 0.2 s). The retries are
 * logged to stderr ("... will retry in 2 seconds"). `--message` (an
 * addition) is sent, with a line end, on each connection.
 *
 * Python original:
 *
 * ```py
 * class EchoClientFactory(ReconnectingClientFactory):
 *     def startedConnecting(self, connector):
 *         print 'Started to connect.'
 *     def buildProtocol(self, addr):
 *         print 'Connected.'
 *         print 'Resetting reconnection delay'
 *         self.resetDelay()
 *         return Echo()
 *     def clientConnectionLost(self, connector, reason):
 *         print 'Lost connection. Reason:', reason
 *         ReconnectingClientFactory.clientConnectionLost(self, connector, reason)
 *     def clientConnectionFailed(self, connector, reason):
 *         print 'Connection failed. Reason:', reason
 *         ReconnectingClientFactory.clientConnectionFailed(self, connector, reason)
 * ```
 *
 * @module
 */

import {
  type Failure,
  type IAddress,
  type IConnector,
  type IProtocol,
  log,
  reactor,
  ReconnectingClientFactory,
} from "../mod.ts";
import { cli, portNumber } from "./_cli.ts";
import { Echo } from "./echo_client.ts";

/** Prints the connection events, and reconnects. */
export class EchoClientFactory extends ReconnectingClientFactory {
  override protocol = Echo;
  /** What to send on each connection (nothing if empty). */
  message: string;

  /**
   * Makes the factory.
   *
   * @param message What to send on each connection (nothing if empty).
   */
  constructor(message = "") {
    super();
    this.message = message;
  }

  /**
   * A connection attempt starts.
   *
   * @param _connector The connector.
   */
  override startedConnecting(_connector: IConnector): void {
    console.log("Started to connect.");
  }

  /**
   * Connected: the backoff starts over.
   *
   * @param addr The server's address.
   * @returns An {@linkcode Echo}.
   */
  override buildProtocol(addr: IAddress): IProtocol | null {
    console.log("Connected.");
    console.log("Resetting reconnection delay");
    this.resetDelay();
    return super.buildProtocol(addr);
  }

  /**
   * The connection ended: retry later.
   *
   * @param connector The connector.
   * @param reason Why.
   */
  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    console.log("Lost connection. Reason:", String(reason));
    super.clientConnectionLost(connector, reason);
  }

  /**
   * The attempt failed: retry later.
   *
   * @param connector The connector.
   * @param reason Why.
   */
  override clientConnectionFailed(
    connector: IConnector,
    reason: Failure,
  ): void {
    console.log("Connection failed. Reason:", String(reason));
    super.clientConnectionFailed(connector, reason);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/echo_client_reconnecting.ts
         [--host H] [--port N] [--message M] [--fast]

  --host H     the server [default: 127.0.0.1]
  --port N     its port [default: 8000]
  --message M  send M and a line end on each connection
  --fast       retry sooner (first after about 0.14 s, at most every 0.2 s)

Stop and restart examples/echo_server.ts to watch it reconnect; Ctrl-C stops.
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8000" },
    message: { type: "string", default: "" },
    fast: { type: "boolean", default: false },
  });
  log.startLogging();
  const factory = new EchoClientFactory(values.message);
  if (values.fast) {
    factory.initialDelay = factory.delay = 0.05;
    factory.maxDelay = 0.2;
  }
  // On Ctrl-C or SIGTERM, do not retry the connection the shutdown closes.
  reactor.addSystemEventTrigger(
    "before",
    "shutdown",
    () => factory.stopTrying(),
  );
  reactor.connectTCP(values.host, portNumber(USAGE, values.port), factory);
  await reactor.run();
}
