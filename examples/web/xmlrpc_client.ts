// Copyright 2026 the Torsion authors. MIT license.
/**
 * An XML-RPC client: `Proxy(url).callRemote(method, ...args)`, the result
 * printed as JSON (or the fault), then the reactor stops. Arguments that
 * look like JSON (numbers, `true`, `[...]`, `{...}`) are sent as such.
 *
 * ```sh
 * deno run --allow-net examples/web/xmlrpc_client.ts http://127.0.0.1:8011/RPC2 getUser moshez
 * ```
 *
 * Python original:
 *
 * ```py
 * proxy = Proxy(b"http://127.0.0.1:8011/RPC2")
 * proxy.callRemote("getUser", "moshez").addCallbacks(printValue, printError)
 * reactor.run()
 * ```
 *
 * @module
 */

import { type Failure, reactor } from "../../mod.ts";
import { Fault, Proxy, type XMLRPCValue } from "../../protocols/http/mod.ts";
import { cli, usageError, writeStdout } from "../_cli.ts";

const USAGE = `
Usage: deno run --allow-net examples/web/xmlrpc_client.ts URL METHOD [ARG...]
`;

function argument(s: string): XMLRPCValue {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

if (import.meta.main) {
  const { positionals } = cli(USAGE, {});
  if (positionals.length < 2) usageError(USAGE, "give a URL and a method");
  const [url, method, ...args] = positionals;
  const out = (s: string) => writeStdout(new TextEncoder().encode(s + "\n"));
  new Proxy(url).callRemote(method, ...args.map(argument)).addCallbacks(
    (value) => {
      out(JSON.stringify(value));
      reactor.stop();
    },
    (f: Failure) => {
      const e = f.value;
      out(
        e instanceof Fault
          ? `Fault ${e.faultCode}: ${e.faultString}`
          : `An error has occurred: <${f.getErrorMessage()}>`,
      );
      reactor.stop();
    },
  );
  await reactor.run();
}
