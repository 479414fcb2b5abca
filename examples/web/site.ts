// Copyright 2026 the Torsion authors. MIT license.
/**
 * A small web site with Twisted's resource model: a home page with a link
 * and a form, a page that answers the form (GET or POST), and a page
 * rendered later (`NOT_DONE_YET`, then `request.write`/`request.finish` from
 * a Deferred), as the finger tutorial's web frontend does.
 *
 * ```sh
 * deno run --allow-net examples/web/site.ts --port 8010
 * curl http://127.0.0.1:8010/
 * curl -d name=Ada http://127.0.0.1:8010/greet
 * curl http://127.0.0.1:8010/later
 * ```
 *
 * Python original (the shape of finger18's `UserStatusTree`):
 *
 * ```py
 * class Later(resource.Resource):
 *     def render_GET(self, request):
 *         d = deferLater(reactor, 0.1, lambda: b"<p>Rendered later.</p>")
 *         d.addCallback(request.write)
 *         d.addCallback(lambda _: request.finish())
 *         return server.NOT_DONE_YET
 * ```
 *
 * @module
 */

import { deferLater, log, reactor } from "../../mod.ts";
import {
  escapeHtml,
  NOT_DONE_YET,
  type Request,
  Resource,
  Site,
} from "../../protocols/http/mod.ts";
import { announce, cli, portNumber } from "../_cli.ts";

/** The home page: a link and a form. */
export class Home extends Resource {
  /** Renders the whole path itself. */
  override isLeaf = true;
  /**
   * The page.
   *
   * @param _request The request.
   * @returns The HTML.
   */
  renderGET(_request: Request): string {
    return `<!DOCTYPE html>
<html><head><title>Torsion site</title></head>
<body>
<h1>Welcome</h1>
<p><a id="later" href="/later">A page rendered later</a></p>
<form id="greet" method="post" action="/greet">
  <input name="name" value="visitor">
  <button type="submit">Greet me</button>
</form>
</body></html>
`;
  }
}

/** Answers the form, by GET or POST. */
export class Greet extends Resource {
  /** Renders the whole path itself. */
  override isLeaf = true;
  /**
   * The greeting.
   *
   * @param request The request, with a `name` argument.
   * @returns The HTML.
   */
  renderGET(request: Request): string {
    const name = request.args.get("name")?.[0] ?? "stranger";
    return `<!DOCTYPE html>
<html><body><p id="greeting">Hello, ${escapeHtml(name)}!</p></body></html>
`;
  }
  /**
   * The same for a POSTed form.
   *
   * @param request The request.
   * @returns The HTML.
   */
  renderPOST(request: Request): string {
    return this.renderGET(request);
  }
}

/** A page written once a Deferred fires. */
export class Later extends Resource {
  /** Renders the whole path itself. */
  override isLeaf = true;
  /**
   * Starts the answer; it ends 0.1 s later.
   *
   * @param request The request.
   * @returns {@linkcode NOT_DONE_YET}.
   */
  renderGET(request: Request): typeof NOT_DONE_YET {
    let gone = false;
    request.notifyFinish().addErrback(() => {
      gone = true;
    });
    deferLater(reactor, 0.1, () => "<p id=later>Rendered later.</p>\n")
      .addCallback((html) => {
        if (gone) return;
        request.write(html);
        request.finish();
      });
    return NOT_DONE_YET;
  }
}

/**
 * The site's resource tree.
 *
 * @returns The root.
 */
export function makeRoot(): Resource {
  const root = new Resource();
  root.putChild("", new Home());
  root.putChild("greet", new Greet());
  root.putChild("later", new Later());
  return root;
}

const USAGE = `
Usage: deno run --allow-net examples/web/site.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8010]
  --host H   the address to listen on [default: 127.0.0.1]
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8010" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    new Site(makeRoot()),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
