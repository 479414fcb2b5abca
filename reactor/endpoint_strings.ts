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
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
} from "./endpoints.ts";
import type { IReactorSSL, IReactorTCP, IReactorUNIX } from "./interfaces.ts";
import { CertificateOptions, optionsForClientTLS } from "./ssl.ts";

/**
 * A reactor the string endpoints can use (`ssl:` and `tls:` need
 * `listenSSL`/`connectSSL`).
 */
export type EndpointReactor =
  & IReactorTCP
  & IReactorUNIX
  & Partial<IReactorSSL>;

function sslReactor(reactor: EndpointReactor, type: string): IReactorSSL {
  if (
    typeof reactor.listenSSL !== "function" ||
    typeof reactor.connectSSL !== "function"
  ) {
    throw new TypeError(`A '${type}:' endpoint needs a reactor with TLS`);
  }
  return reactor as IReactorSSL;
}

/** The keywords a `tls:` client string may have. */
const TLS_CLIENT_KEYS = new Set([
  "host",
  "port",
  "timeout",
  "trustRoots",
  "bindAddress",
  "certificate",
  "privateKey",
  "endpoint",
]);

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
 * `unix:PATH[:mode=666][:backlog=N][:lockfile=1]` (mode in octal),
 * `ssl:PORT[:privateKey=server.pem][:certKey=FILE][:interface=IP][:backlog=N]`
 * (or `ssl:port=PORT:...`; PEM files: `privateKey` defaults to
 * `server.pem` and `certKey` to the `privateKey` file, which then holds
 * both, as in Twisted; `extraCertChain=FILE` is not supported).
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
    case "ssl": {
      const port = integer(args[0] ?? kw.get("port"), "port");
      if (port === undefined) {
        throw new TypeError(`Cannot parse endpoint "${description}": no port`);
      }
      for (const k of ["extraCertChain", "dhParameters", "sslmethod"]) {
        if (kw.has(k)) {
          throw new TypeError(
            `Cannot parse endpoint "${description}": ${k} is not supported`,
          );
        }
      }
      const privateKey = kw.get("privateKey") ?? "server.pem";
      const certKey = kw.get("certKey") ?? privateKey;
      return new SSL4ServerEndpoint(
        sslReactor(reactor, "ssl"),
        port,
        new CertificateOptions({
          privateKey: { path: privateKey },
          certificate: { path: certKey },
        }),
        { backlog, interface: kw.get("interface") ?? args[1] },
      );
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
 * `unix:PATH[:timeout=N]` (or `unix:path=...`),
 * `tls:HOST:PORT[:timeout=N][:trustRoots=FILE]` (or
 * `tls:host=...:port=...`): the server's certificate is verified for
 * HOST against the platform's roots, or the CA certificates in the PEM
 * file `trustRoots` (Twisted takes a directory of them). Client
 * certificates (`certificate`, `privateKey`), `bindAddress` and a wrapped
 * `endpoint` are refused with a `TypeError`.
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
    case "tls": {
      for (const k of kw.keys()) {
        if (!TLS_CLIENT_KEYS.has(k)) {
          throw new TypeError(
            `Cannot parse endpoint "${description}": unknown keyword ${k}`,
          );
        }
      }
      for (
        const k of ["bindAddress", "certificate", "privateKey", "endpoint"]
      ) {
        if (kw.has(k)) {
          throw new TypeError(
            `Cannot parse endpoint "${description}": ${k} is not supported`,
          );
        }
      }
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
      const roots = kw.get("trustRoots");
      return new SSL4ClientEndpoint(
        sslReactor(reactor, "tls"),
        host,
        port,
        optionsForClientTLS(host, {
          trustRoot: roots === undefined ? undefined : { path: roots },
        }),
        { timeout },
      );
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
