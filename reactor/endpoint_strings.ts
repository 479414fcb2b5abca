// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode serverFromString} and {@linkcode clientFromString}: endpoints
 * from Twisted's description strings, such as `"tcp:8000"`.
 *
 * @module
 */

import {
  type IStreamClientEndpoint,
  type IStreamServerEndpoint,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
} from "./endpoints.ts";
import type { IReactorTCP, IReactorUNIX } from "./interfaces.ts";

/** A reactor the string endpoints can use. */
export type EndpointReactor = IReactorTCP & IReactorUNIX;

/**
 * Splits a description into positional and `name=value` arguments: `:`
 * separates fields, `\` escapes the next character, and after `=` only `:`
 * ends the value (so values may contain `=`).
 */
function parse(description: string): [string[], Map<string, string>] {
  const fields: [string, string | null][] = [];
  let current = "";
  let name: string | null = null;
  for (let i = 0; i < description.length; i++) {
    const c = description[i];
    if (c === "\\" && i + 1 < description.length) {
      current += description[++i];
    } else if (c === ":") {
      fields.push(name === null ? [current, null] : [name, current]);
      current = "";
      name = null;
    } else if (c === "=" && name === null) {
      name = current;
      current = "";
    } else {
      current += c;
    }
  }
  fields.push(name === null ? [current, null] : [name, current]);
  const args: string[] = [];
  const kw = new Map<string, string>();
  for (const [a, b] of fields) {
    if (b === null) args.push(a);
    else kw.set(a, b);
  }
  return [args, kw];
}

function integer(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) {
    throw new TypeError(
      `Cannot parse endpoint: ${what} must be an integer, received "${value}"`,
    );
  }
  return n;
}

/**
 * Makes a server endpoint from a description (Twisted's
 * `serverFromString`): `tcp:PORT[:interface=IP][:backlog=N]`,
 * `tcp6:PORT[:interface=IP][:backlog=N]`,
 * `unix:PATH[:mode=666][:backlog=N][:lockfile=1]` (mode in octal).
 *
 * @param reactor The reactor.
 * @param description The description.
 * @returns The endpoint.
 * @throws {RangeError} For an unknown endpoint type.
 * @throws {TypeError} For a malformed argument.
 *
 * @example Usage
 * ```ts
 * import { Reactor, serverFromString, TCP4ServerEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(serverFromString(new Reactor(), "tcp:8000:interface=127.0.0.1") instanceof TCP4ServerEndpoint);
 * ```
 */
export function serverFromString(
  reactor: EndpointReactor,
  description: string,
): IStreamServerEndpoint {
  const [[type, ...args], kw] = parse(description);
  const backlog = integer(kw.get("backlog"), "backlog");
  switch (type) {
    case "tcp":
    case "tcp6": {
      const port = integer(args[0] ?? kw.get("port"), "port");
      if (port === undefined) {
        throw new TypeError(`Cannot parse endpoint "${description}": no port`);
      }
      const options = { backlog, interface: kw.get("interface") ?? args[1] };
      return type === "tcp"
        ? new TCP4ServerEndpoint(reactor, port, options)
        : new TCP6ServerEndpoint(reactor, port, options);
    }
    case "unix": {
      const path = args[0] ?? kw.get("address");
      if (path === undefined) {
        throw new TypeError(`Cannot parse endpoint "${description}": no path`);
      }
      const mode = kw.get("mode");
      return new UNIXServerEndpoint(reactor, path, {
        backlog,
        mode: mode === undefined ? undefined : parseInt(mode, 8),
        wantPID: (kw.get("lockfile") ?? "1") !== "0",
      });
    }
    default:
      throw new RangeError(`Unknown endpoint type: '${type}'`);
  }
}

/**
 * Makes a client endpoint from a description (Twisted's
 * `clientFromString`; the type is case-insensitive):
 * `tcp:HOST:PORT[:timeout=N]` (or `tcp:host=...:port=...`),
 * `unix:PATH[:timeout=N]` (or `unix:path=...`).
 *
 * @param reactor The reactor.
 * @param description The description.
 * @returns The endpoint.
 * @throws {RangeError} For an unknown endpoint type.
 * @throws {TypeError} For a malformed argument.
 *
 * @example Usage
 * ```ts
 * import { clientFromString, Reactor, TCP4ClientEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(clientFromString(new Reactor(), "tcp:host=example.com:port=79") instanceof TCP4ClientEndpoint);
 * ```
 */
export function clientFromString(
  reactor: EndpointReactor,
  description: string,
): IStreamClientEndpoint {
  const [[type, ...args], kw] = parse(description);
  const timeout = integer(kw.get("timeout"), "timeout");
  switch (type.toLowerCase()) {
    case "tcp": {
      const host = kw.get("host") ?? args[0];
      const port = integer(
        kw.get("port") ?? args[kw.has("host") ? 0 : 1],
        "port",
      );
      if (host === undefined || port === undefined) {
        throw new TypeError(
          `Cannot parse endpoint "${description}": host and port needed`,
        );
      }
      return new TCP4ClientEndpoint(reactor, host, port, { timeout });
    }
    case "unix": {
      const path = kw.get("path") ?? args[0];
      if (path === undefined) {
        throw new TypeError(`Cannot parse endpoint "${description}": no path`);
      }
      return new UNIXClientEndpoint(reactor, path, { timeout });
    }
    default:
      throw new RangeError(`Unknown endpoint type: '${type}'`);
  }
}
