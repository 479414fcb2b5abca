// Copyright 2026 the Torsion authors. MIT license.
/**
 * TwistedQuotes as a runner **plugin** (the tutorial's `quotetap.py` and
 * the plugin entry that names it, `tapname="qotd"`): the options a user
 * may give, and `makeService`, which chooses a quoter from them and puts a
 * {@linkcode QOTDFactory} on a port. The runner parses the options, builds
 * the service, and runs it under an `Application` named after the plugin.
 *
 * ```sh
 * deno task run examples/twisted_quotes/quotetap.ts --help
 * deno task run examples/twisted_quotes/quotetap.ts                  # the apple, on 8007
 * deno task run examples/twisted_quotes/quotetap.ts -s "Hello."      # another static quote
 * deno task run examples/twisted_quotes/quotetap.ts \
 *   --file examples/twisted_quotes/fortunes.txt                      # random quotes
 * nc 127.0.0.1 8007
 * ```
 *
 * Python original:
 *
 * ```py
 * class Options(usage.Options):
 *     optParameters = [
 *         ["port", "p", 8007, "Port number to listen on for QOTD protocol."],
 *         ["static", "s", "An apple a day keeps the doctor away.",
 *          "A static quote to display."],
 *         ["file", "f", None,
 *          "A fortune-format text file to read quotes from."]]
 *
 * def makeService(config):
 *     """Return a service that will be attached to the application."""
 *     if config["file"]:
 *         quoter = quoters.FortuneQuoter([config['file']])
 *     else:
 *         quoter = quoters.StaticQuoter(config['static'])
 *     port = int(config["port"])
 *     factory = quoteproto.QOTDFactory(quoter)
 *     return internet.TCPServer(port, factory)
 * ```
 *
 * Torsion adds `--interface` (default `127.0.0.1`, like the other
 * examples; Twisted listens on every address).
 *
 * @module
 */

import {
  type IServiceMaker,
  TCPServer,
  UsageError,
} from "../../reactor/application/mod.ts";
import { type IQuoter, QOTDFactory } from "./quoteproto.ts";
import { FortuneQuoter, StaticQuoter } from "./quoters.ts";

/** The plugin: `deno task run examples/twisted_quotes/quotetap.ts [options]`. */
export const serviceMaker: IServiceMaker = {
  tapname: "qotd",
  description: "Example of a TAP builder module.",
  options: {
    parameters: [
      {
        name: "port",
        short: "p",
        default: "8007",
        description: "Port number to listen on for QOTD protocol.",
      },
      {
        name: "static",
        short: "s",
        default: "An apple a day keeps the doctor away.",
        description: "A static quote to display.",
      },
      {
        name: "file",
        short: "f",
        description: "A fortune-format text file to read quotes from.",
      },
      {
        name: "interface",
        short: "i",
        default: "127.0.0.1",
        description: "The address to listen on.",
      },
    ],
  },
  /** Returns a service that will be attached to the application. */
  makeService(config): TCPServer {
    let quoter: IQuoter;
    if (typeof config.file === "string") {
      // Read quotes from a file, selecting a random one each time; fail now,
      // not at the first connection, if it cannot be read.
      quoter = new FortuneQuoter([config.file]);
      quoter.getQuote();
    } else {
      quoter = new StaticQuoter(String(config.static));
    }
    const port = Number(config.port);
    if (!/^\d+$/.test(String(config.port)) || port > 65535) {
      throw new UsageError(
        `--port must be a port number, not "${config.port}"`,
      );
    }
    const factory = new QOTDFactory(quoter);
    return new TCPServer(port, factory, {
      interface: String(config.interface),
    });
  },
};
