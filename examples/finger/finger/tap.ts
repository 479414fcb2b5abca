// Copyright 2026 the Torsion authors. MIT license.
/**
 * The finger runner plugin (the tutorial's `finger/tap.py` and
 * `twisted/plugins/finger_tutorial.py`, part 11: "configuration and
 * packaging"): the tutorial's options, and `makeService`, which hands them
 * to the library's {@linkcode makeService}. The runner parses the options,
 * builds the services and runs them; SIGTERM stops them, with exit status 0
 * (twistd re-raises the signal and exits 143; the runner does not).
 *
 * ```sh
 * sudo deno task run examples/finger/finger/tap.ts \
 *   --file examples/finger/etc.users --ircnick fingerbot     # twistd -n finger ...
 * deno task run examples/finger/finger/tap.ts --file examples/finger/etc.users \
 *   --port 7979 --ircserver 127.0.0.1 --ssl --ssl-port 8443  # no root needed
 * echo moshez | nc -C 127.0.0.1 7979                         # happy and well
 * printf 'moshez\r\nbusy\r\n' | nc -N 127.0.0.1 1079
 * curl http://127.0.0.1:8000/moshez                          # the web page
 * curl -k https://127.0.0.1:8443/                            # the users, HTTPS
 * deno task run examples/finger/finger/tap.ts --help
 * ```
 *
 * Twisted finds the plugin by name (`twistd finger`) through
 * `twisted/plugins/`; the runner takes a plugin module by its path (its
 * built-in plugins are the library's own). The options are `tap.py`'s:
 * `--file`/`-f`, `--templates`/`-t`, `--ircnick`/`-n`, `--ircserver`,
 * `--pbport`/`-p`, `--ssl`/`-s`, plus `--port`, `--setter-port`,
 * `--web-port`, `--ssl-port`, `--private-key`, `--certificate`,
 * `--interface`, `--ircport` and `--reload`. `--ssl` serves the site over
 * HTTPS too, on 443 (`--ssl-port`), with `--private-key` and
 * `--certificate` (the original's `server.pem` and `cert.pem`, which it
 * reads from the current directory); without them a self-signed pair for
 * localhost is made for the run with `openssl`, and removed at the end.
 * Differences: the tutorial's default IRC server, irc.freenode.net, is
 * gone, so the bot runs only when `--ircserver` is given; `--templates`
 * and `--pbport` are accepted but serve nothing (the pages are code; PB is
 * not ported). Ports 79 and 443 need root; about uid/gid, see
 * [../finger11.ts](../finger11.ts).
 *
 * **Fixed bug**: `tap.py`'s `import finger` was a Python 2 relative import
 * (`from finger import finger` is meant); here the import is explicit.
 *
 * Python original:
 *
 * ```py
 * # finger/tap.py
 * from twisted.application import internet, service
 * from twisted.internet import interfaces
 * from twisted.python import usage
 * import finger
 *
 * class Options(usage.Options):
 *     optParameters = [
 *         ["file", "f", "/etc/users"],
 *         ["templates", "t", "/usr/share/finger/templates"],
 *         ["ircnick", "n", "fingerbot"],
 *         ["ircserver", None, "irc.freenode.net"],
 *         ["pbport", "p", 8889],
 *     ]
 *     optFlags = [["ssl", "s"]]
 *
 * def makeService(config):
 *     return finger.makeService(config)
 *
 * # twisted/plugins/finger_tutorial.py
 * from twisted.application.service import ServiceMaker
 *
 * finger = ServiceMaker(
 *     "finger", "finger.tap", "Run a finger service", "finger"
 * )
 * ```
 *
 * @module
 */

import {
  type IServiceMaker,
  type MultiService,
  type ParsedOptions,
  UsageError,
} from "../../../reactor/application/mod.ts";
import { makeService as makeFingerService } from "./finger.ts";

function port(config: ParsedOptions, name: string): number {
  const value = String(config[name]);
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new UsageError(`--${name} must be a port number, not "${value}"`);
  }
  return n;
}

/** The plugin: `deno task run examples/finger/finger/tap.ts [options]`. */
export const serviceMaker: IServiceMaker = {
  tapname: "finger",
  description: "Run a finger service",
  options: {
    flags: [
      {
        name: "ssl",
        short: "s",
        description: "Serve the web site over HTTPS too.",
      },
    ],
    parameters: [
      {
        name: "file",
        short: "f",
        default: "/etc/users",
        description: "The users file (user: status lines).",
      },
      {
        name: "templates",
        short: "t",
        default: "/usr/share/finger/templates",
        description: "The web pages' templates (unused: pages are code).",
      },
      {
        name: "ircnick",
        short: "n",
        default: "fingerbot",
        description: "The IRC bot's nickname.",
      },
      {
        name: "ircserver",
        description: "The IRC server (no bot without one).",
      },
      { name: "ircport", default: "6667", description: "Its port." },
      {
        name: "pbport",
        short: "p",
        default: "8889",
        description: "The Perspective Broker port (PB is not ported).",
      },
      {
        name: "port",
        default: "79",
        description: "The finger port (79 needs root; 0: any free port).",
      },
      {
        name: "setter-port",
        default: "1079",
        description: "The setter's port, on 127.0.0.1.",
      },
      {
        name: "web-port",
        default: "8000",
        description: "The web site's port (XML-RPC at /RPC2).",
      },
      {
        name: "ssl-port",
        default: "443",
        description: "The HTTPS port, with --ssl (443 needs root).",
      },
      {
        name: "private-key",
        description:
          "The HTTPS private key, PEM (default: a self-signed pair made now).",
      },
      {
        name: "certificate",
        description: "The HTTPS certificate, PEM (default: the key's file).",
      },
      {
        name: "interface",
        default: "127.0.0.1",
        description: "The address the finger port listens on.",
      },
      {
        name: "reload",
        default: "30",
        description: "Seconds between two looks at the users file.",
      },
    ],
  },
  /** Returns the finger services, from the options. */
  makeService(config): MultiService {
    const reload = Number(config.reload);
    if (!(reload > 0)) {
      throw new UsageError(
        `--reload must be a number of seconds > 0, not "${config.reload}"`,
      );
    }
    return makeFingerService({
      file: String(config.file),
      templates: String(config.templates),
      ircnick: String(config.ircnick),
      ircserver: typeof config.ircserver === "string" ? config.ircserver : null,
      ircport: port(config, "ircport"),
      pbport: port(config, "pbport"),
      port: port(config, "port"),
      setterPort: port(config, "setter-port"),
      webPort: port(config, "web-port"),
      ssl: config.ssl === true,
      sslPort: port(config, "ssl-port"),
      privateKey: typeof config["private-key"] === "string"
        ? config["private-key"]
        : null,
      certKey: typeof config.certificate === "string"
        ? config.certificate
        : null,
      interface: String(config.interface),
      reload,
    });
  },
};
