// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger application wired by hand from the library (the tutorial's
 * `organized-finger.tac`, part 10): the services and adapters now come from
 * one module, [finger/finger.ts](finger/finger.ts), and the application
 * only chooses and connects them: the backend, finger on 79, the web site
 * on 8000 (and on `ssl:port=443` when given a key) and the IRC bot.
 *
 * ```sh
 * FINGER_PORT=7979 FINGER_IRC_SERVER=tcp:127.0.0.1:6667 \
 *   deno task run examples/finger/organized_finger.ts
 * echo moshez | nc -C 127.0.0.1 7979                    # happy and well
 * ```
 *
 * The site is on `FINGER_WEB_PORT` (8000); HTTPS runs only when
 * `FINGER_SSL_KEY` is set (with `FINGER_SSL_CERT` and `FINGER_SSL_PORT`,
 * 443 by default, which needs root), where the original always reads
 * `server.pem` and `cert.pem`. Left out: Perspective Broker on 8889 (part
 * 7 is not ported). Settings: [_env.ts](_env.ts); about uid/gid, see
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
import { Site } from "../../protocols/http/mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import * as finger from "./finger/finger.ts";
import { ssl } from "./finger22.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  fingerInterface,
  tcp,
  usersFile,
} from "./_env.ts";

/** What the runner runs: the backend, finger on 79, the site, the bot. */
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
const site = new Site(finger.IResource(f));
strports.service(tcp(envPort("FINGER_WEB_PORT", 8000)), site)
  .setServiceParent(serviceCollection);
const key = Deno.env.get("FINGER_SSL_KEY");
if (key !== undefined) {
  strports.service(
    ssl(
      envPort("FINGER_SSL_PORT", 443),
      key,
      envString("FINGER_SSL_CERT", key),
      fingerInterface(),
    ),
    site,
  ).setServiceParent(serviceCollection);
}
const i = finger.IIRCClientFactory(f);
i.nickname = envString("FINGER_IRC_NICK", "fingerbot");
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  i,
).setServiceParent(serviceCollection);
