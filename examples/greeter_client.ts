// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A one-off client without a factory of your own:
 * `new ClientCreator(reactor, Greeter).connectTCP(host, port)` returns a
 * {@linkcode Deferred} that fires with the connected protocol instance. Its
 * callback sends "Hello", another message a second later (`callLater`),
 * and closes the connection after two seconds.
 *
 * ```sh
 * nc -l 127.0.0.1 1234                                  # a server to talk to
 * deno run --allow-net examples/greeter_client.ts       # in another terminal
 * # nc prints: MESSAGE Hello
 * #            MESSAGE This is sent in a second
 * ```
 *
 * `--fast` divides the delays by 20. The process exits once the connection
 * is closed (status 1, with the reason on stderr, if it could not connect).
 *
 * Python original (with `gotProtocol` at module level, and the reactor
 * stopped once the connection is closed, so that the program ends):
 *
 * ```py
 * class Greeter(Protocol):
 *     def sendMessage(self, msg):
 *         self.transport.write("MESSAGE %s\n" % msg)
 *
 * def gotProtocol(p):
 *     p.sendMessage("Hello")
 *     reactor.callLater(1, p.sendMessage, "This is sent in a second")
 *     reactor.callLater(2, p.transport.loseConnection)
 *
 * c = ClientCreator(reactor, Greeter)
 * c.connectTCP("localhost", 1234).addCallback(gotProtocol)
 * ```
 *
 * @module
 */

import {
  ClientCreator,
  type Deferred,
  type Failure,
  Protocol,
  reactor,
} from "../mod.ts";
import { cli, portNumber } from "./_cli.ts";

/** A protocol that sends `MESSAGE ...` lines. */
export class Greeter extends Protocol {
  /**
   * Sends one message.
   *
   * @param msg The text.
   */
  sendMessage(msg: string): void {
    this.transport.write(`MESSAGE ${msg}\n`);
  }

  /**
   * The connection is closed: the program is done.
   *
   * @param _reason Why it closed.
   */
  override connectionLost(_reason: Failure): void {
    if (reactor.running) reactor.stop();
  }
}

/**
 * Connects a {@linkcode Greeter} and has it talk for two seconds (times
 * `scale`).
 *
 * @param host The server.
 * @param port Its port.
 * @param scale Multiplies the delays (1: the tutorial's 1 and 2 seconds).
 * @returns The Deferred of the connected protocol, callbacks attached.
 */
export function greet(host: string, port: number, scale = 1): Deferred<void> {
  const c = new ClientCreator(reactor, Greeter);
  return c.connectTCP(host, port).addCallback((p: Greeter) => {
    p.sendMessage("Hello");
    reactor.callLater(
      1 * scale,
      () => p.sendMessage("This is sent in a second"),
    );
    reactor.callLater(2 * scale, () => p.transport.loseConnection());
  });
}

const USAGE = `
Usage: deno run --allow-net examples/greeter_client.ts [--host H] [--port N] [--fast]

  --host H   the server [default: 127.0.0.1]
  --port N   its port [default: 1234, as in the tutorial]
  --fast     divide the delays (1 and 2 seconds) by 20

Try it with a listening netcat: nc -l 127.0.0.1 1234
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "1234" },
    fast: { type: "boolean", default: false },
  });
  greet(values.host, portNumber(USAGE, values.port), values.fast ? 1 / 20 : 1)
    .addErrback((reason: Failure) => {
      console.error(`Connection failed: ${reason.getErrorMessage()}`);
      Deno.exitCode = 1;
      reactor.stop();
    });
  await reactor.run();
}
