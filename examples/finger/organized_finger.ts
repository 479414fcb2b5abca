// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger application wired by hand from the library (the tutorial's
 * `organized-finger.tac`, part 10): the services and adapters now come from
 * one module, [finger/finger.ts](finger/finger.ts), and the application
 * only chooses and connects them: the backend, finger on 79 and the IRC
 * bot.
 *
 * ```sh
 * FINGER_PORT=7979 FINGER_IRC_SERVER=tcp:127.0.0.1:6667 \
 *   deno task run examples/finger/organized_finger.ts
 * echo moshez | nc -C 127.0.0.1 7979                    # happy and well
 * ```
 *
 * Left out, until Torsion has them: the site on 8000 and on
 * `ssl:port=443` (a web server, TLS) and Perspective Broker on 8889.
 * Settings: [_env.ts](_env.ts); about uid/gid, see
 * [finger11.ts](finger11.ts).
 *
 * **Fixed bug**: as in the library's `makeService`, the original never
 * attaches the `FingerService` to the application, so the users file is
 * never read and every query fails. Here it is attached.
 *
 * Python original:
 *
 * ```py
 * import finger
 * from twisted.application import internet, service, strports
 * from twisted.internet import endpoints, reactor
 * from twisted.spread import pb
 * from twisted.web import resource, server
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = finger.FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * strports.service("tcp:79", finger.IFingerFactory(f)).setServiceParent(
 *     serviceCollection)
 * site = server.Site(resource.IResource(f))
 * strports.service("tcp:8000", site).setServiceParent(serviceCollection)
 * strports.service("ssl:port=443:certKey=cert.pem:privateKey=key.pem", site
 *                  ).setServiceParent(serviceCollection)
 * i = finger.IIRCClientFactory(f)
 * i.nickname = "fingerbot"
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"), i
 * ).setServiceParent(serviceCollection)
 * internet.StreamServerEndpointService(
 *     endpoints.TCP4ServerEndpoint(reactor, 8889),
 *     pb.PBServerFactory(finger.IPerspectiveFinger(f)),
 * ).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import { clientFromString, getReactor } from "../../mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import * as finger from "./finger/finger.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  tcp,
  usersFile,
} from "./_env.ts";

/** What the runner runs: the backend, finger on 79, the IRC bot. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new finger.FingerService(
  usersFile(),
  envSeconds("FINGER_RELOAD", 30),
);
const serviceCollection = IServiceCollection(application);
f.setServiceParent(serviceCollection); // missing in the original
strports.service(tcp(envPort("FINGER_PORT", 79)), finger.IFingerFactory(f))
  .setServiceParent(serviceCollection);
const i = finger.IIRCClientFactory(f);
i.nickname = envString("FINGER_IRC_NICK", "fingerbot");
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  i,
).setServiceParent(serviceCollection);
