// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 10 (the tutorial's `finger10.py`): **read the status from
 * the web.** The factory's `getUser` now fetches a page with
 * {@linkcode getPage}, the prefix followed by the username, and its
 * Deferred fires with the page's body; the protocol is step 8's again, and
 * does not care that the answer comes from an HTTP server.
 *
 * ```sh
 * deno run --allow-net examples/finger/finger10.ts --prefix http://127.0.0.1:8000/
 * FINGER_PORT=7979 deno task run examples/finger/finger15.ts &   # a web site of users
 * echo moshez | nc -C 127.0.0.1 1079     # <h1>moshez</h1><p>happy and well</p>
 * ```
 *
 * Options: `--prefix` (the original's `http://livejournal.com/~`, whose
 * pages are no longer there), `--port` (1079; 0 is any free port) and
 * `--host` (127.0.0.1). A page that cannot be fetched (no server, a 404)
 * is answered "Internal error in server"; the error is logged.
 *
 * **Fixed quirks**: `getPage` is gone from Twisted's `web/client.py` (the
 * original no longer runs; Torsion keeps the seeds' `getPage`), and the
 * original glued the client's line to the URL as it came, so `../x` or
 * `x?y` changed which page was asked for: here the username is
 * percent-encoded. As in step 8, the errback's `str` met the callback's
 * `bytes`; here both are fine.
 *
 * Python original:
 *
 * ```py
 * # Read username, output from factory interfacing to web, drop connections
 *
 * from twisted.internet import endpoints, protocol, reactor
 * from twisted.protocols import basic
 * from twisted.web import client
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *
 *         def onError(err):
 *             return b"Internal error in server"
 *
 *         d.addErrback(onError)
 *
 *         def writeResponse(message):
 *             self.transport.write(message + b"\r\n")
 *             self.transport.loseConnection()
 *
 *         d.addCallback(writeResponse)
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 *     def __init__(self, prefix):
 *         self.prefix = prefix
 *
 *     def getUser(self, user):
 *         return client.getPage(self.prefix + user)
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory(prefix=b"http://livejournal.com/~"))
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  type Deferred,
  type Failure,
  LineReceiver,
  log,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
} from "../../mod.ts";
import { getPage } from "../../protocols/http/mod.ts";
import { announce, cli, portNumber } from "../_cli.ts";

/** Answers with the page its factory's Deferred gives. */
export class FingerProtocol extends LineReceiver {
  declare factory: FingerFactory;

  /**
   * Asks the factory about `user`; writes the page (or "Internal error in
   * server") and drops the connection.
   *
   * @param user The username.
   */
  override lineReceived(user: string): void {
    const d: Deferred<Uint8Array | string> = this.factory.getUser(user);

    const onError = (err: Failure): string => {
      log.err(err, `Cannot fetch the page of ${JSON.stringify(user)}`);
      return "Internal error in server";
    };
    d.addErrback(onError);

    const writeResponse = (message: Uint8Array | string): void => {
      this.transport.write(message);
      this.transport.write("\r\n");
      this.transport.loseConnection();
    };
    d.addCallback(writeResponse);
  }
}

/** Answers with the page at its prefix followed by the username. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;
  /** What the (percent-encoded) username is appended to. */
  prefix: string;

  /**
   * Makes a factory that asks the web.
   *
   * @param prefix The URL prefix.
   */
  constructor(prefix: string) {
    super();
    this.prefix = prefix;
  }

  /**
   * Fetches the page of `user`.
   *
   * @param user The username.
   * @returns A Deferred of the page's body.
   */
  getUser(user: string): Deferred<Uint8Array | string> {
    return getPage(this.prefix + encodeURIComponent(user));
  }
}

const USAGE = `
Usage: deno run --allow-net examples/finger/finger10.ts [--prefix URL] [--port N] [--host H]

  --prefix URL  what the username is appended to [default: http://livejournal.com/~]
  --port N      the port to listen on (0: any free port) [default: 1079]
                (finger's own port, 79, needs root)
  --host H      the address to listen on [default: 127.0.0.1]

Then: echo moshez | nc -C 127.0.0.1 1079
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    prefix: { type: "string", default: "http://livejournal.com/~" },
    port: { type: "string", default: "1079" },
    host: { type: "string", default: "127.0.0.1" },
  });
  const port = portNumber(USAGE, values.port);
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${values.host}`,
  );
  fingerEndpoint.listen(new FingerFactory(values.prefix)).addCallback(
    announce,
  );
  await reactor.run();
}
