// Copyright 2026 the Torsion authors. MIT license.
/**
 * An XML-RPC server: the finger tutorial's `UserStatusXR` (finger17), a
 * `getUser` procedure (`xmlrpcGetUser`, Twisted's `xmlrpc_getUser`) and
 * `getUsers`, as the `RPC2` child of a site.
 *
 * ```sh
 * deno run --allow-net examples/web/xmlrpc_server.ts --port 8011
 * deno run --allow-net examples/web/xmlrpc_client.ts http://127.0.0.1:8011/RPC2 getUser moshez
 * python3 -c 'import xmlrpc.client as x; print(x.ServerProxy("http://127.0.0.1:8011/RPC2").getUser("moshez"))'
 * ```
 *
 * Python original:
 *
 * ```py
 * class UserStatusXR(xmlrpc.XMLRPC):
 *     def __init__(self, service):
 *         xmlrpc.XMLRPC.__init__(self)
 *         self.service = service
 *     def xmlrpc_getUser(self, user):
 *         return self.service.getUser(user)
 * ```
 *
 * @module
 */

import { type Deferred, log, reactor, succeed } from "../../mod.ts";
import { Fault, Resource, Site, XMLRPC } from "../../protocols/http/mod.ts";
import { announce, cli, portNumber } from "../_cli.ts";

/** The finger service's users, as in the tutorial. */
export const USERS: Record<string, string> = {
  moshez: "Happy and well",
  glyph: "Busy",
};

/** The users over XML-RPC. */
export class UserStatusXR extends XMLRPC {
  /**
   * A user's status (a Deferred, as the finger service answers).
   *
   * @param user The user name.
   * @returns The status.
   */
  xmlrpcGetUser(user: string): Deferred<string> {
    if (typeof user !== "string") throw new Fault(1, "user must be a string");
    return succeed(USERS[user] ?? "No such user");
  }
  /**
   * The user names.
   *
   * @returns The names.
   */
  xmlrpcGetUsers(): string[] {
    return Object.keys(USERS);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/web/xmlrpc_server.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8011]
  --host H   the address to listen on [default: 127.0.0.1]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8011" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const root = new Resource();
  root.putChild("RPC2", new UserStatusXR());
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    new Site(root),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
