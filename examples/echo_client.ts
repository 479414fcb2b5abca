// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A {@linkcode ClientFactory} and its connection events: `startedConnecting`,
 * `buildProtocol` (connected), `clientConnectionLost` (an established
 * connection ended) and `clientConnectionFailed` (it could not be made).
 * The protocol writes what the server sends to stdout.
 *
 * ```sh
 * deno run --allow-net examples/qotd.ts &
 * deno run --allow-net examples/echo_client.ts --port 8007
 * # Started to connect.
 * # Connected.
 * # An apple a day keeps the doctor away
 * # Lost connection, Reason: [Failure instance: Traceback: ConnectionDone: Connection was closed cleanly.]
 *
 * deno run --allow-net examples/echo_server.ts &
 * deno run --allow-net examples/echo_client.ts --port 8000 --message hello
 * # Started to connect.
 * # Connected.
 * # hello                  (the echo; Ctrl-C to stop)
 * ```
 *
 * Unlike the tutorial's, this client stops the reactor once the connection
 * is over, so that the program ends; `--message` (an addition) is sent, with
 * a line end, when connected.
 *
 * Python original:
 *
 * ```py
 * class Echo(Protocol):
 *     def dataReceived(self, data):
 *         stdout.write(data)
 *
 * class EchoClientFactory(ClientFactory):
 *     def startedConnecting(self, connector):
 *         print 'Started to connect.'
 *     def buildProtocol(self, addr):
 *         print 'Connected.'
 *         return Echo()
 *     def clientConnectionLost(self, connector, reason):
 *         print 'Lost connection, Reason:', reason
 *     def clientConnectionFailed(self, connector, reason):
 *         print 'Connection failed. Reason:', reason
 *
 * reactor.connectTCP(host, port, EchoClientFactory())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  type Factory,
  type Failure,
  type IAddress,
  type IConnector,
  type IProtocol,
  Protocol,
  reactor,
} from "../mod.ts";
import { cli, portNumber, writeStdout } from "./_cli.ts";

/** Writes what it receives to stdout (and sends its factory's message, if any). */
export class Echo extends Protocol {
  declare factory: Factory & { message?: string };

  /** Called once connected: send the message, if there is one. */
  override connectionMade(): void {
    const message = this.factory?.message;
    if (message) this.transport.write(message + "\n");
  }

  /**
   * Writes the data to stdout, as it comes.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    writeStdout(data);
  }
}

/** Prints the connection's events, and stops the reactor when it is over. */
export class EchoClientFactory extends ClientFactory {
  override protocol = Echo;
  /** What to send when connected (nothing if empty). */
  message: string;

  /**
   * Makes the factory.
   *
   * @param message What to send when connected (nothing if empty).
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
   * Connected: build the protocol.
   *
   * @param addr The server's address.
   * @returns An {@linkcode Echo}.
   */
  override buildProtocol(addr: IAddress): IProtocol | null {
    console.log("Connected.");
    return super.buildProtocol(addr);
  }

  /**
   * The connection ended.
   *
   * @param _connector The connector.
   * @param reason Why.
   */
  override clientConnectionLost(_connector: IConnector, reason: Failure): void {
    console.log("Lost connection, Reason:", String(reason));
    if (reactor.running) reactor.stop();
  }

  /**
   * The connection could not be made.
   *
   * @param _connector The connector.
   * @param reason Why.
   */
  override clientConnectionFailed(
    _connector: IConnector,
    reason: Failure,
  ): void {
    console.log("Connection failed. Reason:", String(reason));
    if (reactor.running) reactor.stop();
  }
}

const USAGE = `
Usage: deno run --allow-net examples/echo_client.ts [--host H] [--port N] [--message M]

  --host H     the server [default: 127.0.0.1]
  --port N     its port [default: 8000]
  --message M  send M and a line end once connected

Try it against examples/qotd.ts (--port 8007) or examples/echo_server.ts.
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8000" },
    message: { type: "string", default: "" },
  });
  reactor.connectTCP(
    values.host,
    portNumber(USAGE, values.port),
    new EchoClientFactory(values.message),
  );
  await reactor.run();
}
