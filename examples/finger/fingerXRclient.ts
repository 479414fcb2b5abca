// Copyright 2026 the Torsion authors. MIT license.
/**
 * The tutorial's `fingerXRclient.py` (part 2, with step 17): finger over
 * XML-RPC. A {@linkcode Proxy} calls `getUser` at the finger site's
 * `/RPC2` and prints the answer.
 *
 * ```sh
 * FINGER_PORT=7979 deno task run examples/finger/finger17.ts &
 * deno run --allow-net examples/finger/fingerXRclient.ts            # happy and well
 * deno run --allow-net examples/finger/fingerXRclient.ts --url http://127.0.0.1:8000/RPC2 shawn
 * ```
 *
 * The original is Python's own `xmlrpc.client`, which blocks; here the
 * call is a Deferred and the reactor runs until it fires. Added: the user
 * (`moshez` by default) and the URL (`--url`, the original's
 * `http://127.0.0.1:8000/RPC2` by default) are options; a failure is
 * printed, with exit status 1.
 *
 * Python original:
 *
 * ```py
 * # testing xmlrpc finger
 *
 * import xmlrpc.client
 *
 * server = xmlrpc.client.Server("http://127.0.0.1:8000/RPC2")
 * print(server.getUser("moshez"))
 * ```
 *
 * @module
 */

import { type Failure, reactor } from "../../mod.ts";
import { Proxy } from "../../protocols/http/mod.ts";
import { cli, usageError, writeStdout } from "../_cli.ts";

const USAGE = `
Usage: deno run --allow-net examples/finger/fingerXRclient.ts [--url URL] [USER]

  --url URL   the finger site's XML-RPC resource
              [default: http://127.0.0.1:8000/RPC2]
  USER        the user to ask about [default: moshez]
`;

if (import.meta.main) {
  const { values, positionals } = cli(USAGE, {
    url: { type: "string", default: "http://127.0.0.1:8000/RPC2" },
  });
  if (positionals.length > 1) usageError(USAGE, "give at most one user");
  const out = (s: string) => writeStdout(new TextEncoder().encode(s + "\n"));
  let status = 0;
  const server = new Proxy(values.url);
  server.callRemote("getUser", positionals[0] ?? "moshez").addCallbacks(
    (answer) => {
      out(String(answer));
      reactor.stop();
    },
    (f: Failure) => {
      out(`An error has occurred: <${f.getErrorMessage()}>`);
      status = 1;
      reactor.stop();
    },
  );
  await reactor.run();
  Deno.exit(status);
}
