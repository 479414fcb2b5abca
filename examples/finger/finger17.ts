// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 17 (the tutorial's `finger17.tac`): **XML-RPC.** The web
 * site of step 16 gets a child at `/RPC2`: an {@linkcode XMLRPC} resource
 * whose procedure `getUser` is the service's `getUser`, so that any XML-RPC
 * client can finger (see [fingerXRclient.ts](fingerXRclient.ts), or
 * Python's `xmlrpc.client`). The user pages are now built by a function
 * put in place of the root resource's `getChild`, as in the original.
 *
 * ```sh
 * FINGER_PORT=7979 FINGER_IRC_SERVER=tcp:127.0.0.1:6667 \
 *   deno task run examples/finger/finger17.ts
 * deno run --allow-net examples/finger/fingerXRclient.ts moshez   # happy and well
 * python3 -c 'import xmlrpc.client as x
 * print(x.ServerProxy("http://127.0.0.1:8000/RPC2").getUser("moshez"))'
 * curl http://127.0.0.1:8000/moshez     # <h1>moshez</h1><p>happy and well</p>
 * ```
 *
 * Finger on `FINGER_PORT` (79, needs root), the site and `/RPC2` on
 * `FINGER_WEB_PORT` (8000), the bot as in [finger16.ts](finger16.ts).
 * Settings: [_env.ts](_env.ts); about uid/gid, see
 * [finger11.ts](finger11.ts).
 *
 * **Fixed quirks** of the original on Python 3: `putChild("RPC2", x)` with
 * a `str` key is never found (Twisted's path segments are bytes), so
 * `/RPC2` was a user page and XML-RPC calls got 405; `xmlrpc_getUser`
 * looks its `str` argument up among the `bytes` keys, so it always said
 * `No such user`; and this step's page builder no longer escapes HTML
 * (step 15's did). Here paths, keys and arguments are all text, and the
 * page escapes the name and the status again.
 *
 * Python original (the rest of `FingerService` is step 16's):
 *
 * ```py
 * class FingerService(service.Service):
 *     ...
 *     def getResource(self):
 *         def getData(path, request):
 *             user = self.users.get(path, b"No such users <p/> usage: site/user")
 *             path = path.decode("ascii")
 *             user = user.decode("ascii")
 *             text = f"<h1>{path}</h1><p>{user}</p>"
 *             text = text.encode("ascii")
 *             return static.Data(text, "text/html")
 *
 *         r = resource.Resource()
 *         r.getChild = getData
 *         x = xmlrpc.XMLRPC()
 *         x.xmlrpc_getUser = self.getUser
 *         r.putChild("RPC2", x)
 *         return r
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * f.setServiceParent(serviceCollection)
 * strports.service("tcp:79", f.getFingerFactory()).setServiceParent(
 *     serviceCollection
 * )
 * strports.service("tcp:8000", server.Site(f.getResource())).setServiceParent(
 *     serviceCollection
 * )
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"),
 *     f.getIRCBot("fingerbot"),
 * ).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import { clientFromString, getReactor } from "../../mod.ts";
import {
  Data,
  escapeHtml,
  type Request,
  Resource,
  Site,
  XMLRPC,
} from "../../protocols/http/mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerService as IRCFingerService } from "./finger16.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  tcp,
  usersFile,
} from "./_env.ts";

/** Step 16's service, whose web site also answers XML-RPC at `/RPC2`. */
export class FingerService extends IRCFingerService {
  /**
   * Returns the web front end: a page per user, and `/RPC2`.
   *
   * @returns The site's root resource.
   */
  override getResource(): Resource {
    const getData = (path: string, _request: Request): Resource => {
      const user = this.users.get(path) ??
        "No such users <p/> usage: site/user";
      const text = `<h1>${escapeHtml(path)}</h1><p>${
        this.users.has(path) ? escapeHtml(user) : user
      }</p>`;
      return new Data(text, "text/html");
    };

    const r = new Resource();
    r.getChild = getData;
    const x = Object.assign(new XMLRPC(), {
      xmlrpcGetUser: (user: string) => this.getUser(user),
    });
    r.putChild("RPC2", x);
    return r;
  }
}

/** What the runner runs: finger on 79, the site on 8000, the IRC bot. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new FingerService(usersFile(), envSeconds("FINGER_RELOAD", 30));
const serviceCollection = IServiceCollection(application);
f.setServiceParent(serviceCollection);
strports.service(tcp(envPort("FINGER_PORT", 79)), f.getFingerFactory())
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(f.getResource()),
).setServiceParent(serviceCollection);
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  f.getIRCBot(envString("FINGER_IRC_NICK", "fingerbot")),
).setServiceParent(serviceCollection);
