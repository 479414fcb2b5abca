// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A client protocol that talks first: `WelcomeMessage` writes a greeting as
 * soon as it is connected, and hangs up. `connectionMade` is where a
 * protocol sets itself up and says hello; the transport sends what was
 * written before it closes.
 *
 * ```sh
 * nc -l 127.0.0.1 8000                                    # a server to greet
 * deno run --allow-net examples/welcome.ts --port 8000    # in another terminal
 * # nc prints: Hello server, I am the client!
 * ```
 *
 * The process exits once the connection is closed (status 1, with the
 * reason on stderr, if it could not connect).
 *
 * Python original:
 *
 * ```py
 * class WelcomeMessage(Protocol):
 *     def connectionMade(self):
 *         self.transport.write("Hello server, I am the client!\r\n")
 *         self.transport.loseConnection()
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  type Failure,
  type IConnector,
  Protocol,
  reactor,
} from "../mod.ts";
import { cli, portNumber } from "./_cli.ts";

/** Greets the server, and hangs up. */
export class WelcomeMessage extends Protocol {
  /** Called once connected: write the greeting and close. */
  override connectionMade(): void {
    this.transport.write("Hello server, I am the client!\r\n");
    this.transport.loseConnection();
  }
}

/** Connects a {@linkcode WelcomeMessage}, and stops the reactor when done. */
export class WelcomeFactory extends ClientFactory {
  override protocol = WelcomeMessage;

  /**
   * The greeting was sent and the connection closed: we are done.
   *
   * @param _connector The connector.
   * @param _reason Why it closed.
   */
  override clientConnectionLost(
    _connector: IConnector,
    _reason: Failure,
  ): void {
    if (reactor.running) reactor.stop();
  }

  /**
   * Could not connect: say why, and stop with status 1.
   *
   * @param _connector The connector.
   * @param reason Why.
   */
  override clientConnectionFailed(
    _connector: IConnector,
    reason: Failure,
  ): void {
    console.error(`Connection failed: ${reason.getErrorMessage()}`);
    Deno.exitCode = 1;
    if (reactor.running) reactor.stop();
  }
}

const USAGE = `
Usage: deno run --allow-net examples/welcome.ts [--host H] [--port N]

  --host H   the server [default: 127.0.0.1]
  --port N   its port [default: 8000]

Try it with a listening netcat: nc -l 127.0.0.1 8000
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8000" },
  });
  reactor.connectTCP(
    values.host,
    portNumber(USAGE, values.port),
    new WelcomeFactory(),
  );
  await reactor.run();
}
