// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 15 (the tutorial's `finger15.tac`): **announce on the web.**
 * Step 14's `FingerService` gets a second front end: `getResource()` builds
 * a web resource, served by a {@linkcode Site} on port 8000, whose
 * `getChild` treats the path as a username and answers with a
 * {@linkcode Data} page, the name and status HTML-escaped:
 * `GET /moshez` is `<h1>moshez</h1><p>happy and well</p>`.
 *
 * ```sh
 * FINGER_PORT=7979 FINGER_WEB_PORT=8000 deno task run examples/finger/finger15.ts
 * curl http://127.0.0.1:8000/moshez     # <h1>moshez</h1><p>happy and well</p>
 * echo moshez | nc -C 127.0.0.1 7979     # happy and well
 * ```
 *
 * Finger is on `FINGER_PORT` (79, which needs root), the site on
 * `FINGER_WEB_PORT` (8000). Settings: [_env.ts](_env.ts); about uid/gid,
 * see [finger11.ts](finger11.ts).
 *
 * Differences: Twisted hands `getChild` the path segment as bytes, which
 * the original decodes as ASCII (a non-ASCII name raised
 * `UnicodeDecodeError`, a 500); here it is text (percent-decoded UTF-8),
 * and the users are text too. `/` (the empty segment) is a page for the
 * user `""`, as in the original: `No such user`.
 *
 * Python original (the protocol and the rest of `FingerService` are step
 * 14's):
 *
 * ```py
 * class FingerResource(resource.Resource):
 *     def __init__(self, users):
 *         self.users = users
 *         resource.Resource.__init__(self)
 *
 *     # we treat the path as the username
 *     def getChild(self, username, request):
 *         """
 *         'username' is L{bytes}.
 *         'request' is a 'twisted.web.server.Request'.
 *         """
 *         messagevalue = self.users.get(username)
 *         if messagevalue:
 *             messagevalue = messagevalue.decode("ascii")
 *         if username:
 *             username = username.decode("ascii")
 *         username = html.escape(username)
 *         if messagevalue is not None:
 *             messagevalue = html.escape(messagevalue)
 *             text = f"<h1>{username}</h1><p>{messagevalue}</p>"
 *         else:
 *             text = f"<h1>{username}</h1><p>No such user</p>"
 *         text = text.encode("ascii")
 *         return static.Data(text, "text/html")
 *
 * class FingerService(service.Service):
 *     ...
 *     def getResource(self):
 *         r = FingerResource(self.users)
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
 * ```
 *
 * @module
 */

import {
  Data,
  escapeHtml,
  type Request,
  Resource,
  Site,
} from "../../protocols/http/mod.ts";
import {
  Application,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import { FingerService as FileFingerService } from "./finger14.ts";
import { envId, envPort, envSeconds, tcp, usersFile } from "./_env.ts";

/** A page per user: the path is the username. */
export class FingerResource extends Resource {
  /** The status of each user (the service's, read again and again). */
  #service: { users: Map<string, string> };

  /**
   * Makes the resource, for the users of `service`.
   *
   * @param service What holds the users (read at each request, as the
   *   service replaces them at each read of the file).
   */
  constructor(service: { users: Map<string, string> }) {
    super();
    this.#service = service;
  }

  /**
   * The page of the user `username`.
   *
   * @param username The path segment.
   * @param _request The request.
   * @returns A `text/html` page of the name and status.
   */
  override getChild(username: string, _request: Request): Resource {
    const messagevalue = this.#service.users.get(username);
    const name = escapeHtml(username);
    const text = messagevalue !== undefined
      ? `<h1>${name}</h1><p>${escapeHtml(messagevalue)}</p>`
      : `<h1>${name}</h1><p>No such user</p>`;
    return new Data(text, "text/html");
  }
}

/** Step 14's service, with a web resource. */
export class FingerService extends FileFingerService {
  /** Returns the web front end. */
  getResource(): Resource {
    return new FingerResource(this);
  }
}

/** What the runner runs: finger on 79, the web site on 8000. */
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
