// Copyright 2026 the Torsion authors. MIT license.
/**
 * Another framing: netstrings (`<length>:<bytes>,`, e.g. `5:hello,`).
 * {@linkcode NetstringReceiver} parses them and calls `stringReceived`
 * with each payload, as bytes (a `Uint8Array`: netstrings are
 * binary-safe); `sendString` frames a reply. This server echoes each
 * netstring back. A malformed one closes the connection.
 *
 * ```sh
 * deno run --allow-net examples/netstring_echo.ts    # port 8005
 * printf '5:hello,3:abc,' | nc -N 127.0.0.1 8005
 * # 5:hello,3:abc,
 * printf 'hello' | nc -N 127.0.0.1 8005    # not a netstring: closed at once
 * ```
 *
 * @module
 */

import { Factory, log, NetstringReceiver, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Sends each netstring back. */
export class NetstringEcho extends NetstringReceiver {
  /**
   * Echoes one payload.
   *
   * @param data The payload.
   */
  override stringReceived(data: Uint8Array): void {
    this.sendString(data);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/netstring_echo.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8005]
  --host H   the address to listen on [default: 127.0.0.1]

Then: printf '5:hello,' | nc -N 127.0.0.1 8005
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8005" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    Factory.forProtocol(NetstringEcho),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
