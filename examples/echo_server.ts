// Copyright 2026 the Torsion authors. MIT license.
/**
 * The echo server of the "writing servers" tutorial: the simplest protocol
 * there is. Whatever a client sends comes straight back. A plain
 * {@linkcode Factory} builds one `Echo` per connection.
 *
 * ```sh
 * deno run --allow-net examples/echo_server.ts            # port 8000
 * deno run --allow-net examples/echo_server.ts --port 0   # any free port
 * nc 127.0.0.1 8000       # then type lines: each comes back
 * ```
 *
 * The first line on stdout is `listening on 127.0.0.1:PORT`; the log
 * (`Factory starting on 8000`, ...) goes to stderr. Ctrl-C (or SIGTERM)
 * stops the reactor, which closes the port and the connections, and the
 * process exits with status 0.
 *
 * Python original:
 *
 * ```py
 * class Echo(Protocol):
 *     def dataReceived(self, data):
 *         """As soon as any data is received, write it back."""
 *         self.transport.write(data)
 *
 * def main():
 *     f = Factory()
 *     f.protocol = Echo
 *     reactor.listenTCP(8000, f)
 *     reactor.run()
 * ```
 *
 * @module
 */

import { Factory, log, Protocol, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** This is just about the simplest possible protocol. */
export class Echo extends Protocol {
  /**
   * As soon as any data is received, write it back.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/echo_server.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8000]
  --host H   the address to listen on [default: 127.0.0.1]

Then: nc 127.0.0.1 8000, and type: every line comes back.
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8000" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const f = new Factory();
  f.protocol = Echo;
  const port = reactor.listenTCP(portNumber(USAGE, values.port), f, {
    interface: values.host,
  });
  announce(port);
  await reactor.run();
}
