// Copyright 2026 the Torsion authors. MIT license.
/**
 * The prefixed-message-length framing: each message is a 4-byte big-endian
 * length followed by that many bytes. {@linkcode Int32StringReceiver} calls
 * `stringReceived` with each message (bytes), and `sendString` adds the
 * prefix. This server echoes each message back. (`Int16StringReceiver` and
 * `Int8StringReceiver` do the same with shorter prefixes.)
 *
 * ```sh
 * deno run --allow-net examples/int32_echo.ts        # port 8006
 * printf '\0\0\0\5hello' | nc -N 127.0.0.1 8006 | od -c
 * # 0000000  \0  \0  \0 005   h   e   l   l   o
 * ```
 *
 * @module
 */

import { Factory, Int32StringReceiver, log, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Sends each length-prefixed message back. */
export class Int32Echo extends Int32StringReceiver {
  /**
   * Echoes one message.
   *
   * @param data The message, without its prefix.
   */
  override stringReceived(data: Uint8Array): void {
    this.sendString(data);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/int32_echo.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8006]
  --host H   the address to listen on [default: 127.0.0.1]

Then: printf '\\0\\0\\0\\5hello' | nc -N 127.0.0.1 8006 | od -c
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8006" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    Factory.forProtocol(Int32Echo),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
