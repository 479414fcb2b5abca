// Copyright 2026 the Torsion authors. MIT license.
/**
 * A UDP echo server: each datagram goes back to its sender, as in
 * Twisted's UDP howto. No connections: `datagramReceived` gets the bytes and
 * the sender's `[host, port]`, and `transport.write(data, addr)` answers.
 *
 * ```sh
 * deno run --allow-net examples/udp_echo.ts --port 9999
 * # From another terminal:
 * python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"hello", ("127.0.0.1", 9999)); print(s.recv(8192))'
 * ```
 *
 * Only `--allow-net` is needed (no `--unstable-net`). The first line on
 * stdout is `listening on 127.0.0.1:PORT`; each datagram is logged to
 * stderr. Ctrl-C (or SIGTERM) stops it with status 0. `--host ::1` (or
 * `::`) serves over IPv6, as Twisted's `listenUDP` does for an IPv6
 * interface (`listening on [::1]:PORT`).
 *
 * Python original (Twisted's UDP howto):
 *
 * ```py
 * class Echo(DatagramProtocol):
 *     def datagramReceived(self, data, addr):
 *         print(f"received {data!r} from {addr}")
 *         self.transport.write(data, addr)
 *
 * reactor.listenUDP(9999, Echo())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  type DatagramAddress,
  DatagramProtocol,
  log,
  reactor,
} from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Sends every datagram back to where it came from. */
export class Echo extends DatagramProtocol {
  /**
   * Logs the datagram and writes it back to its sender.
   *
   * @param data The datagram.
   * @param addr The sender's `[host, port]`.
   */
  override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    log.msg(
      `received ${JSON.stringify(new TextDecoder().decode(data))} from ${
        addr[0]
      }:${addr[1]}`,
    );
    this.transport!.write(data, addr);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/udp_echo.ts [--port N] [--host H]

  --port N  the UDP port to listen on (0: any free port) [default: 9999]
  --host H  the address to listen on [default: 127.0.0.1]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "9999" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenUDP(portNumber(USAGE, values.port), new Echo(), {
    interface: values.host,
  });
  announce(port);
  await reactor.run();
}
