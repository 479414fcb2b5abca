// Copyright 2026 the Torsion authors. MIT license.
/**
 * Runs TwistedQuotes: a Quote of the Day server whose quotes come from a
 * quoter chosen on the command line. This is the part the tutorial leaves
 * to a Twisted plugin (`qotd` tap): choose a quoter, give it to a
 * {@linkcode QOTDFactory}, and listen.
 *
 * ```sh
 * deno run --allow-net --allow-read examples/twisted_quotes/qotd_server.ts \
 *   --fortunes examples/twisted_quotes/fortunes.txt     # random quotes
 * deno run --allow-net examples/twisted_quotes/qotd_server.ts \
 *   --quote "Hello from a StaticQuoter"                  # always the same
 * nc 127.0.0.1 8007
 * ```
 *
 * `--fortunes` may be given several times; each connection picks a file,
 * then a quote, at random. Without `--fortunes` a {@linkcode StaticQuoter}
 * serves `--quote` (default: the tutorial's apple).
 *
 * @module
 */

import { log, reactor } from "../../mod.ts";
import { announce, cli, portNumber } from "../_cli.ts";
import { type IQuoter, QOTDFactory } from "./quoteproto.ts";
import { FortuneQuoter, StaticQuoter } from "./quoters.ts";

const USAGE = `
Usage: deno run --allow-net [--allow-read] examples/twisted_quotes/qotd_server.ts
         [--fortunes FILE]... [--quote Q] [--port N] [--host H]

  --fortunes FILE  serve random quotes of this fortune file (%-separated);
                   may be repeated; needs --allow-read
  --quote Q        without --fortunes, always serve Q
                   [default: An apple a day keeps the doctor away]
  --port N         the port to listen on (0: any free port) [default: 8007]
  --host H         the address to listen on [default: 127.0.0.1]

Then: nc 127.0.0.1 8007
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    fortunes: { type: "string", multiple: true },
    quote: {
      type: "string",
      default: "An apple a day keeps the doctor away",
    },
    port: { type: "string", default: "8007" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const quoter: IQuoter = values.fortunes?.length
    ? new FortuneQuoter(values.fortunes)
    : new StaticQuoter(values.quote);
  // Fail now, not at the first connection, if a file cannot be read.
  quoter.getQuote();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    new QOTDFactory(quoter),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
