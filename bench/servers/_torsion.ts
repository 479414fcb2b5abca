// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// What Torsion's servers share: listening on 127.0.0.1 at the port given as
// first argument (0: any) with Deno's default backlog (as the raw baselines
// have), over TCP (`listenTCP`) or, with `--tls` after the port, TLS
// (`listenSSL` with the tests' key and certificate); printing the port; and
// running the reactor.
import {
  DefaultOpenSSLContextFactory,
  type IProtocolFactory,
  type IPv4Address,
  reactor,
} from "../../reactor/mod.ts";
import { CERT_FILE, KEY_FILE, wantsTLS } from "./_tls.ts";

/**
 * Listens with `factory`, prints the port, and runs the reactor.
 *
 * @param factory Builds each connection's protocol.
 */
export function serveTorsion(factory: IProtocolFactory): void {
  const options = { interface: "127.0.0.1", backlog: 511 };
  const portNumber = Number(Deno.args[0] ?? 0);
  const port = wantsTLS()
    ? reactor.listenSSL(
      portNumber,
      factory,
      new DefaultOpenSSLContextFactory(KEY_FILE, CERT_FILE),
      options,
    )
    : reactor.listenTCP(portNumber, factory, options);
  console.log((port.getHost() as IPv4Address).port);
  reactor.run();
}
