// Copyright 2026 the Torsion authors. MIT license.
/**
 * A static file server: `static.File` serving a directory over HTTP/1.1,
 * with content types, ranges, `ETag`/`Last-Modified` and 304s; no directory
 * listing unless `--list`; never a file outside the directory.
 *
 * ```sh
 * deno run --allow-net --allow-read examples/web/static_server.ts --path . --port 8080
 * curl -i http://127.0.0.1:8080/README.md
 * ```
 *
 * The first line on stdout is `listening on 127.0.0.1:PORT`; the access log
 * (combined format) goes to stderr with the rest of the log.
 *
 * Python original (`twistd -n web --path .` does the same):
 *
 * ```py
 * from twisted.web.server import Site
 * from twisted.web.static import File
 * reactor.listenTCP(8080, Site(File(".")))
 * reactor.run()
 * ```
 *
 * @module
 */

import { log, reactor } from "../../mod.ts";
import { File, Site } from "../../protocols/http/mod.ts";
import { announce, cli, portNumber } from "../_cli.ts";

const USAGE = `
Usage: deno run --allow-net --allow-read examples/web/static_server.ts [--path DIR] [--port N] [--host H] [--list]

  --path DIR  the directory to serve [default: .]
  --port N    the port to listen on (0: any free port) [default: 8080]
  --host H    the address to listen on [default: 127.0.0.1]
  --list      list directories that have no index.html
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    path: { type: "string", default: "." },
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    list: { type: "boolean", default: false },
  });
  log.startLogging();
  const site = new Site(new File(values.path, { allowListing: values.list }));
  const port = reactor.listenTCP(portNumber(USAGE, values.port), site, {
    interface: values.host,
  });
  announce(port);
  await reactor.run();
}
