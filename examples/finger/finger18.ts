// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 18 (the tutorial's `finger18.tac`, part 3: "cleaning up"):
 * **web resources of their own.** The web front end becomes three
 * {@linkcode Resource} classes that ask the service, which answers later
 * (a Deferred), so they render asynchronously: `renderGET` returns
 * {@linkcode NOT_DONE_YET} and the Deferred's callbacks `write` the page
 * and `finish` the request.
 *
 * - {@linkcode UserStatusTree} (`/`): the list of users (the service's new
 *   `getUsers`), each a link to its page; its children are the users'
 *   pages, and `/RPC2`.
 * - {@linkcode UserStatus} (`/moshez`): the user's status.
 * - {@linkcode UserStatusXR} (`/RPC2`): XML-RPC `getUser`.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger18.ts
 * curl http://127.0.0.1:8000/          # <ul><li><a href="moshez">moshez</a></li>...
 * curl http://127.0.0.1:8000/moshez    # <h1>moshez</h1><p>happy and well</p>
 * deno run --allow-net examples/finger/fingerXRclient.ts moshez
 * ```
 *
 * Ports and settings as in [finger17.ts](finger17.ts) (finger on 79, which
 * needs root; the site on `FINGER_WEB_PORT`, 8000; the IRC bot).
 *
 * **Fixed quirks** of the original on Python 3: `getChild` compares the
 * bytes segment with `""`, so `/` was the page of a user `b""` and the list
 * was never shown; `putChild("RPC2", ...)` with a `str` key was never found
 * (`/RPC2` became a user page); the pages are `str` given to
 * `request.write`, which takes bytes (`Data must be bytes`); `getUsers`
 * returns `dict_keys`, a view (it changes as the file is read again, and
 * XML-RPC cannot send it): here a list; usernames went into the HTML
 * unescaped (a name is a path segment, anything a client sends): here they
 * are escaped, in the link too; and a failing Deferred left the request
 * open forever: here it gets a 500 page, and a client that has gone away
 * is not written to (Twisted's `finish` after a lost connection raises).
 *
 * Python original (the protocol and the bot are step 16's):
 *
 * ```py
 * class UserStatusTree(resource.Resource):
 *     def __init__(self, service):
 *         resource.Resource.__init__(self)
 *         self.service = service
 *
 *     def render_GET(self, request):
 *         d = self.service.getUsers()
 *
 *         def formatUsers(users):
 *             l = [f'<li><a href="{user}">{user}</a></li>' for user in users]
 *             return "<ul>" + "".join(l) + "</ul>"
 *
 *         d.addCallback(formatUsers)
 *         d.addCallback(request.write)
 *         d.addCallback(lambda _: request.finish())
 *         return server.NOT_DONE_YET
 *
 *     def getChild(self, path, request):
 *         if path == "":
 *             return UserStatusTree(self.service)
 *         else:
 *             return UserStatus(path, self.service)
 *
 * class UserStatus(resource.Resource):
 *     def __init__(self, user, service):
 *         resource.Resource.__init__(self)
 *         self.user = user
 *         self.service = service
 *
 *     def render_GET(self, request):
 *         d = self.service.getUser(self.user)
 *         d.addCallback(html.escape)
 *         d.addCallback(lambda m: "<h1>%s</h1>" % self.user + "<p>%s</p>" % m)
 *         d.addCallback(request.write)
 *         d.addCallback(lambda _: request.finish())
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
 * class FingerService(service.Service):
 *     ...
 *     def getUsers(self):
 *         return defer.succeed(self.users.keys())
 *
 *     def getResource(self):
 *         r = UserStatusTree(self)
 *         x = UserStatusXR(self)
 *         r.putChild("RPC2", x)
 *         return r
 * ```
 *
 * @module
 */

import {
  clientFromString,
  type Deferred,
  type Failure,
  getReactor,
  succeed,
} from "../../mod.ts";
import {
  escapeHtml,
  NOT_DONE_YET,
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

/** What the web front end asks: a user's status, and the users. */
export interface WebFingerService {
  /**
   * Says what is known about `user`.
   *
   * @param user The username.
   * @returns A Deferred of the status (or `No such user`).
   */
  getUser(user: string): Deferred<string | Uint8Array>;
  /** Returns a Deferred of the usernames known. */
  getUsers(): Deferred<string[]>;
}

const decoder = new TextDecoder();

/** A status as text (a backend may answer bytes: step 19b's process). */
export function statusText(status: string | Uint8Array): string {
  return typeof status === "string" ? status : decoder.decode(status);
}

/**
 * Answers `request` with the page `page` will give, later: writes it and
 * finishes, unless the client has gone; a failure gets a 500 page.
 *
 * @param request The request.
 * @param page A Deferred of the page.
 * @returns {@linkcode NOT_DONE_YET}, for `renderGET` to return.
 */
export function renderLater(
  request: Request,
  page: Deferred<string>,
): typeof NOT_DONE_YET {
  let gone = false;
  request.notifyFinish().addErrback(() => {
    gone = true;
  });
  page.addCallbacks((text) => {
    if (gone) return;
    request.write(text);
    request.finish();
  }, (f: Failure) => {
    if (!gone) request.processingFailed(f);
  });
  return NOT_DONE_YET;
}

/** `/`: the list of users, each a link to its page. */
export class UserStatusTree extends Resource {
  /** The backend. */
  service: WebFingerService;

  /**
   * Makes the list of the users of `service`.
   *
   * @param service The backend.
   */
  constructor(service: WebFingerService) {
    super();
    this.service = service;
  }

  /**
   * Lists the users, once the backend has said who they are.
   *
   * @param request The request.
   * @returns {@linkcode NOT_DONE_YET}.
   */
  renderGET(request: Request): typeof NOT_DONE_YET {
    const d = this.service.getUsers();
    const formatUsers = (users: string[]): string => {
      const l = users.map((user) => {
        const u = escapeHtml(user);
        return `<li><a href="${u}">${u}</a></li>`;
      });
      return "<ul>" + l.join("") + "</ul>";
    };
    return renderLater(request, d.addCallback(formatUsers));
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

/** `/user`: a user's status. */
export class UserStatus extends Resource {
  /** The username. */
  user: string;
  /** The backend. */
  service: WebFingerService;

  /**
   * Makes the page of `user`.
   *
   * @param user The username.
   * @param service The backend.
   */
  constructor(user: string, service: WebFingerService) {
    super();
    this.user = user;
    this.service = service;
  }

  /**
   * Shows the status, once the backend has answered.
   *
   * @param request The request.
   * @returns {@linkcode NOT_DONE_YET}.
   */
  renderGET(request: Request): typeof NOT_DONE_YET {
    const d = this.service.getUser(this.user)
      .addCallback((m) => escapeHtml(statusText(m)))
      .addCallback((m) => `<h1>${escapeHtml(this.user)}</h1>` + `<p>${m}</p>`);
    return renderLater(request, d);
  }
}

/** `/RPC2`: the procedure `getUser`. */
export class UserStatusXR extends XMLRPC {
  /** The backend. */
  service: WebFingerService;

  /**
   * Makes the XML-RPC resource of `service`.
   *
   * @param service The backend.
   */
  constructor(service: WebFingerService) {
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
}

/** Step 16's service, with `getUsers` and the new web resources. */
export class FingerService extends IRCFingerService
  implements WebFingerService {
  /** Returns a Deferred of the usernames (a list, not a view). */
  getUsers(): Deferred<string[]> {
    return succeed([...this.users.keys()]);
  }

  /** Returns the web front end: the list, the users' pages, `/RPC2`. */
  override getResource(): Resource {
    const r = new UserStatusTree(this);
    const x = new UserStatusXR(this);
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
