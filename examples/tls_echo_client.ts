// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A TLS client for [tls_echo_server.ts](tls_echo_server.ts): it connects
 * with `reactor.connectSSL`, verifying the server's certificate against
 * `--ca` (or the platform's roots) and its name against `--servername`,
 * sends `--message`, prints the echo and disconnects. A failed
 * verification is printed with its reason and exits with status 1.
 *
 * ```sh
 * deno run --allow-net --allow-read examples/tls_echo_client.ts --ca cert.pem --message hello
 * # hello
 * deno run --allow-net --allow-read examples/tls_echo_client.ts --ca cert.pem --servername example.com
 * # connection lost: Connection to the other side was lost in a non-clean fashion:
 * #   TLS error: invalid peer certificate: certificate not valid for name "example.com"; ...
 * ```
 *
 * @module
 */

import {
  ClientFactory,
  type Failure,
  optionsForClientTLS,
  Protocol,
  reactor,
} from "../mod.ts";
import { cli, portNumber } from "./_cli.ts";

/** Sends a message, prints the echo, then disconnects. */
export class EchoOnce extends Protocol {
  /** The message to send. */
  message = "hello";
  #got = "";
  /** Whether the whole echo came back. */
  echoed = false;

  /** Sends the message (written before the handshake, sent after it). */
  override connectionMade(): void {
    this.transport.write(this.message);
  }

  /**
   * Collects the echo; once complete, prints it and disconnects.
   *
   * @param data The bytes received.
   */
  override dataReceived(data: Uint8Array): void {
    this.#got += new TextDecoder().decode(data);
    if (this.#got.length >= this.message.length) {
      console.log(this.#got);
      this.echoed = true;
      this.transport.loseConnection();
    }
  }
}

const USAGE = `
Usage: deno run --allow-net --allow-read examples/tls_echo_client.ts [--host H] [--port N] [--ca FILE] [--servername NAME] [--message TEXT]

  --host H           the server's address [default: 127.0.0.1]
  --port N           its port [default: 8443]
  --ca FILE          a PEM CA (or self-signed) certificate to trust [default: the platform's roots]
  --servername NAME  the name its certificate must be valid for [default: localhost]
  --message TEXT     what to send [default: hello]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8443" },
    ca: { type: "string" },
    servername: { type: "string", default: "localhost" },
    message: { type: "string", default: "hello" },
  });
  let status = 1;
  const f = new ClientFactory();
  f.noisy = false;
  f.buildProtocol = () => {
    const p = new EchoOnce();
    p.message = values.message;
    p.factory = f;
    const lost = p.connectionLost.bind(p);
    p.connectionLost = (reason: Failure) => {
      lost(reason);
      if (p.echoed) status = 0;
      else console.log(`connection lost: ${reason.getErrorMessage()}`);
      reactor.stop();
    };
    return p;
  };
  f.clientConnectionFailed = (_c, reason) => {
    console.log(`connection failed: ${reason.getErrorMessage()}`);
    reactor.stop();
  };
  reactor.connectSSL(
    values.host,
    portNumber(USAGE, values.port),
    f,
    optionsForClientTLS(values.servername, {
      trustRoot: values.ca === undefined ? undefined : { path: values.ca },
    }),
  );
  await reactor.run();
  Deno.exit(status);
}
