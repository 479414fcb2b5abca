// Copyright 2026 the Torsion authors. MIT license.
/**
 * The Deferred chapter's `getPage`: fetch a page, print it from a callback,
 * or print the error from an errback (a 404 carries its status), then stop
 * the reactor.
 *
 * ```sh
 * deno run --allow-net examples/web/get_page.ts http://127.0.0.1:8010/
 * deno run --allow-net examples/web/get_page.ts --lower http://127.0.0.1:8010/
 * deno run --allow-net examples/web/get_page.ts http://127.0.0.1:8010/does-not-exist
 * ```
 *
 * Python original:
 *
 * ```py
 * def errorHandler(error):
 *     print "An error has occurred: <%s>" % str(error)
 *     reactor.stop()
 * def printContents(contents):
 *     print contents
 *     reactor.stop()
 * deferred = getPage('http://twistedmatrix.com/does-not-exist')
 * deferred.addCallback(printContents)
 * deferred.addErrback(errorHandler)
 * reactor.run()
 * ```
 *
 * @module
 */

import { type Failure, reactor } from "../../mod.ts";
import { getPage } from "../../protocols/http/mod.ts";
import { cli, usageError, writeStdout } from "../_cli.ts";

const USAGE = `
Usage: deno run --allow-net examples/web/get_page.ts [--lower] URL

  --lower   lower-case the page in a second callback
`;

if (import.meta.main) {
  const { values, positionals } = cli(USAGE, {
    lower: { type: "boolean", default: false },
  });
  if (positionals.length !== 1) usageError(USAGE, "give one URL");
  const deferred = getPage(positionals[0]).addCallback((page) =>
    new TextDecoder().decode(page)
  );
  // The seeds' lowerCaseContents: a callback whose result feeds the next.
  if (values.lower) deferred.addCallback((text) => text.toLowerCase());
  deferred.addCallback((contents) => {
    writeStdout(new TextEncoder().encode(contents));
    reactor.stop();
  });
  deferred.addErrback((error: Failure) => {
    writeStdout(
      new TextEncoder().encode(
        `An error has occurred: <${error.getErrorMessage()}>\n`,
      ),
    );
    reactor.stop();
  });
  await reactor.run();
}
