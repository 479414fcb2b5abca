// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 2 (the tutorial's `finger02.py`): **do nothing, and do it
 * well.** A protocol that ignores everything and a factory that builds one
 * per connection, put on a port with the endpoint string `tcp:1079`
 * (`serverFromString(...).listen(factory)`). Connections are accepted and
 * then stay open until the client closes them.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger02.ts            # port 1079
 * nc 127.0.0.1 1079                                           # nothing happens
 * deno run --allow-net examples/finger/finger02.ts --port 0   # any free port
 * ```
 *
 * The tutorial's port is 1079 (finger's own port, 79, needs root). Torsion
 * listens on 127.0.0.1 unless `--host` says otherwise (Twisted: every
 * address), and prints `listening on 127.0.0.1:PORT` once it runs.
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import endpoints, protocol, reactor
 *
 * class FingerProtocol(protocol.Protocol):
 *     pass
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  log,
  Protocol,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
} from "../../mod.ts";
import { announce } from "../_cli.ts";
import { fingerCli } from "./_finger_cli.ts";

/** A protocol that does nothing with what it receives. */
export class FingerProtocol extends Protocol {}

/** Builds a {@linkcode FingerProtocol} per connection. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger02.ts");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
