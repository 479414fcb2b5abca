// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 20 (the tutorial's `finger20.tac`, part 6: "a web
 * frontend"): **the web site as a component.** Step 19's backend gets the
 * full web front end through one more adapter, {@linkcode IResource}: any
 * {@linkcode IFingerService} becomes a resource tree with
 *
 * - `/`: an HTML page listing the users, each a link to its page
 *   ({@linkcode UserStatusTree});
 * - `/moshez`: the user's status ({@linkcode UserStatus});
 * - `/RPC2`: XML-RPC `getUser(name)` and `getUsers()`
 *   ({@linkcode UserStatusXR}), put by the tree itself.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger20.ts
 * curl http://127.0.0.1:8000/           # the users, as links
 * curl http://127.0.0.1:8000/moshez     # <h1>moshez</h1> <p>happy and well</p>
 * python3 -c 'import xmlrpc.client as x
 * print(x.ServerProxy("http://127.0.0.1:8000/RPC2").getUsers())'
 * ```
 *
 * Finger on `FINGER_PORT` (79, needs root), the site on `FINGER_WEB_PORT`
 * (8000), the bot on `FINGER_IRC_SERVER`, as in [finger19.ts](finger19.ts)
 * (any backend of 19a to 19c would do). Settings: [_env.ts](_env.ts);
 * about uid/gid, see [finger11.ts](finger11.ts).
 *
 * `components.registerAdapter(UserStatusTree, IFingerService,
 * resource.IResource)` becomes the function {@linkcode IResource}, as in
 * step 19. The pages are the original's, without its source indentation.
 *
 * **Fixed quirks** of the original on Python 3 (all found running it):
 * `getChild` compares the bytes segment with `""` (so `/` was the page of a
 * user `b""`) and `putChild("RPC2", ...)` has a `str` key (so `/RPC2` was a
 * user page and XML-RPC got 405); the pages are `str` given to
 * `request.write` (`Data must be bytes`); `xmlrpc_getUser` looked a `str`
 * up among `bytes` keys (always `No such user`); `getUsers` returned
 * `dict_keys`, which XML-RPC cannot send. Here everything is text and
 * `getUsers` a list. Also: names and statuses are HTML-escaped (the
 * original's `UserStatus` escapes nothing), and a failing backend gets a
 * 500 page instead of a request left open.
 *
 * Python original (the rest is step 19's):
 *
 * ```py
 * @implementer(resource.IResource)
 * class UserStatusTree(resource.Resource):
 *     def __init__(self, service):
 *         resource.Resource.__init__(self)
 *         self.service = service
 *         self.putChild("RPC2", UserStatusXR(self.service))
 *
 *     def _cb_render_GET(self, users, request):
 *         userOutput = "".join(
 *             [f'<li><a href="{user}">{user}</a></li>' for user in users]
 *         )
 *         request.write(
 *             """
 *             <html><head><title>Users</title></head><body>
 *             <h1>Users</h1>
 *             <ul>
 *             %s
 *             </ul></body></html>"""
 *             % userOutput
 *         )
 *         request.finish()
 *
 *     def render_GET(self, request):
 *         d = self.service.getUsers()
 *         d.addCallback(self._cb_render_GET, request)
 *         # signal that the rendering is not complete
 *         return server.NOT_DONE_YET
 *
 *     def getChild(self, path, request):
 *         if path == "":
 *             return UserStatusTree(self.service)
 *         else:
 *             return UserStatus(path, self.service)
 *
 * components.registerAdapter(UserStatusTree, IFingerService, resource.IResource)
 *
 * class UserStatus(resource.Resource):
 *     def __init__(self, user, service):
 *         resource.Resource.__init__(self)
 *         self.user = user
 *         self.service = service
 *
 *     def _cb_render_GET(self, status, request):
 *         request.write(
 *             """<html><head><title>%s</title></head>
 *         <body><h1>%s</h1>
 *         <p>%s</p>
 *         </body></html>"""
 *             % (self.user, self.user, status)
 *         )
 *         request.finish()
 *
 *     def render_GET(self, request):
 *         d = self.service.getUser(self.user)
 *         d.addCallback(self._cb_render_GET, request)
 *         # signal that the rendering is not complete
 *         return server.NOT_DONE_YET
 *
 * class UserStatusXR(xmlrpc.XMLRPC):
 *     def __init__(self, service):
 *         xmlrpc.XMLRPC.__init__(self)
 *         self.service = service
 *
 *     def xmlrpc_getUser(self, user):
 *         return self.service.getUser(user)
 *
 *     def xmlrpc_getUsers(self):
 *         return self.service.getUsers()
 *
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * f.setServiceParent(serviceCollection)
 * strports.service("tcp:79", IFingerFactory(f)).setServiceParent(serviceCollection)
 * strports.service("tcp:8000", server.Site(resource.IResource(f))).setServiceParent(
 *     serviceCollection
 * )
 * i = IIRCClientFactory(f)
 * i.nickname = "fingerbot"
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"), i
 * ).setServiceParent(serviceCollection)
 * ```
 *
 * @module
 */

import { clientFromString, type Deferred, getReactor } from "../../mod.ts";
import {
  escapeHtml,
  type NOT_DONE_YET,
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
import {
  FingerService,
  IFingerFactory,
  type IFingerService,
  IIRCClientFactory,
} from "./finger19.ts";
import { renderLater, statusText } from "./finger18.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  tcp,
  usersFile,
} from "./_env.ts";

/** `/`: the users, as links to their pages; `/RPC2`: XML-RPC. */
export class UserStatusTree extends Resource {
  /** The backend. */
  service: IFingerService;

  /**
   * Makes the tree of `service`, with its `/RPC2`.
   *
   * @param service The backend.
   */
  constructor(service: IFingerService) {
    super();
    this.service = service;
    this.putChild("RPC2", new UserStatusXR(this.service));
  }

  /**
   * The page of the users, once the backend has said who they are.
   *
   * @param users The usernames.
   * @returns The page.
   */
  formatUsers(users: string[]): string {
    const userOutput = users.map((user) => {
      const u = escapeHtml(user);
      return `<li><a href="${u}">${u}</a></li>`;
    }).join("");
    return `<html><head><title>Users</title></head><body>
<h1>Users</h1>
<ul>
${userOutput}
</ul></body></html>`;
  }

  /**
   * Lists the users.
   *
   * @param request The request.
   * @returns {@linkcode NOT_DONE_YET}: the page follows.
   */
  renderGET(request: Request): typeof NOT_DONE_YET {
    const d = this.service.getUsers();
    return renderLater(request, d.addCallback((u) => this.formatUsers(u)));
  }

  /**
   * The list again for `""` (a trailing slash), else a user's page.
   *
   * @param path The segment.
   * @param _request The request.
   * @returns The resource.
   */
  override getChild(path: string, _request: Request): Resource {
    if (path === "") return new UserStatusTree(this.service);
    return new UserStatus(path, this.service);
  }
}

/**
 * Adapts a finger backend to the web site's root resource (Twisted's
 * `resource.IResource(f)` through the registered adapter).
 *
 * @param service The backend.
 * @returns A {@linkcode UserStatusTree}.
 */
export function IResource(service: IFingerService): Resource {
  return new UserStatusTree(service);
}

/** `/user`: a user's status. */
export class UserStatus extends Resource {
  /** The username. */
  user: string;
  /** The backend. */
  service: IFingerService;

  /**
   * Makes the page of `user`.
   *
   * @param user The username.
   * @param service The backend.
   */
  constructor(user: string, service: IFingerService) {
    super();
    this.user = user;
    this.service = service;
  }

  /**
   * The page of a status.
   *
   * @param status The status.
   * @returns The page.
   */
  formatStatus(status: string): string {
    const user = escapeHtml(this.user);
    return `<html><head><title>${user}</title></head>
<body><h1>${user}</h1>
<p>${escapeHtml(status)}</p>
</body></html>`;
  }

  /**
   * Shows the status, once the backend has answered.
   *
   * @param request The request.
   * @returns {@linkcode NOT_DONE_YET}: the page follows.
   */
  renderGET(request: Request): typeof NOT_DONE_YET {
    const d = this.service.getUser(this.user)
      .addCallback((s) => this.formatStatus(statusText(s)));
    return renderLater(request, d);
  }
}

/** `/RPC2`: the procedures `getUser(name)` and `getUsers()`. */
export class UserStatusXR extends XMLRPC {
  /** The backend. */
  service: IFingerService;

  /**
   * Makes the XML-RPC resource of `service`.
   *
   * @param service The backend.
   */
  constructor(service: IFingerService) {
    super();
    this.service = service;
  }

  /**
   * The procedure `getUser`.
   *
   * @param user The username.
   * @returns A Deferred of the status.
   */
  xmlrpcGetUser(user: string): Deferred<string> {
    return this.service.getUser(String(user)).addCallback(statusText);
  }

  /**
   * The procedure `getUsers`.
   *
   * @returns A Deferred of the usernames (a list).
   */
  xmlrpcGetUsers(): Deferred<string[]> {
    return this.service.getUsers().addCallback((users) => [...users]);
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
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  new Site(IResource(f)),
).setServiceParent(serviceCollection);
const i = IIRCClientFactory(f);
i.nickname = envString("FINGER_IRC_NICK", "fingerbot");
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  i,
).setServiceParent(serviceCollection);
