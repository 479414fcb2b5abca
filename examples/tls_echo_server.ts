// Copyright 2026 the Torsion authors. MIT license.
/**
 * The echo server over TLS: the same `Echo` protocol as
 * [echo_server.ts](echo_server.ts), on `reactor.listenSSL` with a key and a
 * certificate from PEM files (Twisted's `DefaultOpenSSLContextFactory`).
 * Nothing in the protocol knows about TLS.
 *
 * ```sh
 * # A certificate for localhost (test only):
 * openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
 *   -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1
 * deno run --allow-net --allow-read examples/tls_echo_server.ts --cert cert.pem --key key.pem
 * deno run --allow-net --allow-read examples/tls_echo_client.ts --ca cert.pem --message hello
 * openssl s_client -quiet -connect 127.0.0.1:8443 -servername localhost -CAfile cert.pem
 * ```
 *
 * The first line on stdout is `listening on 127.0.0.1:PORT`; the log goes
 * to stderr. A client that fails the handshake (it does not trust the
 * certificate, or does not speak TLS) is logged and dropped; the port
 * goes on serving. Ctrl-C (or SIGTERM) stops it with status 0.
 *
 * Python original (Twisted's SSL howto):
 *
 * ```py
 * factory = protocol.ServerFactory()
 * factory.protocol = Echo
 * reactor.listenSSL(8443, factory,
 *     ssl.DefaultOpenSSLContextFactory("keys/server.key", "keys/server.crt"))
 * reactor.run()
 * ```
 *
 * @module
 */

import { DefaultOpenSSLContextFactory, Factory, log, reactor } from "../mod.ts";
import type { Failure } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";
import { Echo } from "./echo_server.ts";

/** `Echo`, and a log line when a connection ends with an error (a failed handshake). */
export class TLSEcho extends Echo {
  /**
   * Logs the reason of a connection that did not end cleanly.
   *
   * @param reason Why the connection ended.
   */
  override connectionLost(reason: Failure): void {
    if (!reason.check("ConnectionDone")) {
      log.msg(`connection lost: ${reason.getErrorMessage()}`);
    }
  }
}

const USAGE = `
Usage: deno run --allow-net --allow-read examples/tls_echo_server.ts --cert FILE --key FILE [--port N] [--host H]

  --cert FILE  the server's certificate (chain), PEM
  --key FILE   its private key, PEM
  --port N     the port to listen on (0: any free port) [default: 8443]
  --host H     the address to listen on [default: 127.0.0.1]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8443" },
    host: { type: "string", default: "127.0.0.1" },
    cert: { type: "string" },
    key: { type: "string" },
  });
  if (values.cert === undefined || values.key === undefined) {
    // deno-lint-ignore no-console
    console.error(USAGE.trim());
    Deno.exit(2);
  }
  log.startLogging();
  const f = new Factory();
  f.protocol = TLSEcho;
  const port = reactor.listenSSL(
    portNumber(USAGE, values.port),
    f,
    new DefaultOpenSSLContextFactory(values.key, values.cert),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
