// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 11 (the tutorial's `finger11.tac`): **finger as an
 * application.** Step 8's protocol and factory, no longer started by a
 * script that calls `listen` and `reactor.run()`: this module only
 * *describes* what runs, an {@linkcode Application} holding a port service
 * (`strports.service("tcp:79", factory)`), exported as `application`. The
 * runner (Twisted's `twistd`) owns the process: logging, pid file, signals,
 * starting and stopping the services. (Step 10, `finger10.py`, answers from
 * a web page with an HTTP client, which Torsion does not have yet.)
 *
 * ```sh
 * sudo deno task run examples/finger/finger11.ts      # twistd -ny finger11.tac; port 79
 * FINGER_PORT=1079 deno task run examples/finger/finger11.ts   # no root needed
 * echo moshez | nc -C 127.0.0.1 1079                  # Happy and well
 * finger moshez@127.0.0.1                             # Debian's client (port 79 only)
 * ```
 *
 * Port 79 is below 1024: only root (or a process with
 * `CAP_NET_BIND_SERVICE`) may listen on it. `FINGER_PORT` chooses another
 * (0: any free port, shown in the log); see [_env.ts](_env.ts) for every
 * setting. The port listens on 127.0.0.1 (`FINGER_INTERFACE`), Twisted's on
 * every address.
 *
 * **uid and gid**: the original asks twistd to run as uid 1 and gid 1
 * (`Application("finger", uid=1, gid=1)`): twistd starts as root, binds
 * port 79, then drops to that user. Deno cannot change the user or group of
 * a running process, so the runner cannot shed privileges: given an
 * application that asks for another uid or gid, it refuses to start and
 * says so. This module asks for none unless `FINGER_UID`/`FINGER_GID` are
 * set. To run unprivileged on port 79, start the runner as the user you
 * want and let it bind the port: `setcap cap_net_bind_service=+ep` on the
 * deno binary, a systemd socket unit's `AmbientCapabilities=`, or
 * `sysctl net.ipv4.ip_unprivileged_port_start=79`.
 *
 * Python original:
 *
 * ```py
 * from twisted.application import service, strports
 * from twisted.internet import defer, protocol, reactor
 * from twisted.protocols import basic
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *
 *         def onError(err):
 *             return "Internal error in server"
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
 *     def __init__(self, users):
 *         self.users = users
 *
 *     def getUser(self, user):
 *         return defer.succeed(self.users.get(user, b"No such user"))
 *
 * application = service.Application("finger", uid=1, gid=1)
 * factory = FingerFactory({b"moshez": b"Happy and well"})
 * strports.service("tcp:79", factory, reactor=reactor).setServiceParent(
 *     service.IServiceCollection(application)
 * )
 * ```
 *
 * @module
 */

import {
  Application,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerFactory } from "./finger08.ts";
import { envId, envPort, tcp } from "./_env.ts";

/** What the runner runs: finger on port 79 (`FINGER_PORT`). */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const factory = new FingerFactory(new Map([["moshez", "Happy and well"]]));
strports.service(tcp(envPort("FINGER_PORT", 79)), factory)
  .setServiceParent(IServiceCollection(application));
