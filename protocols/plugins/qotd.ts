// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner's `qotd` plugin: a Quote of the Day server (RFC 865) that
 * sends `--quote` (default Twisted's) on the endpoints given with
 * `--listen` (default `tcp:8007`). TwistedQuotes, in `examples/`, is the
 * tutorial's fuller version (quotes from fortune files).
 *
 * ```sh
 * deno task run qotd --quote "Hello." --listen tcp:8007:interface=127.0.0.1
 * ```
 *
 * @module
 */

import type { IServiceMaker } from "../../reactor/application/service_maker.ts";
import { Factory } from "../../reactor/factory.ts";
import { QOTD } from "../wire.ts";
import { listenOption, listenService } from "./_listen.ts";

/** Sends its factory's quote. */
class Quote extends QOTD {
  declare factory: QuoteFactory;

  override getQuote(): string {
    return `${this.factory.quote}\r\n`;
  }
}

/** Holds the quote. */
class QuoteFactory extends Factory {
  override protocol = Quote;
  readonly quote: string;

  constructor(quote: string) {
    super();
    this.quote = quote;
  }
}

/**
 * The `qotd` plugin.
 *
 * @example Usage
 * ```ts
 * import { parseOptions } from "@torsion/torsion/application";
 * import { serviceMaker } from "./qotd.ts";
 * import { equal } from "node:assert/strict";
 *
 * const { options } = parseOptions(serviceMaker.options, ["--quote", "Hi."]);
 * equal(options.quote, "Hi.");
 * ```
 */
export const serviceMaker: IServiceMaker = {
  tapname: "qotd",
  description:
    "A Quote of the Day server (RFC 865): sends a quote and hangs up.",
  options: {
    parameters: [
      listenOption("tcp:8007"),
      {
        name: "quote",
        short: "q",
        default: "An apple a day keeps the doctor away.",
        description: "The quote to send.",
      },
    ],
  },
  makeService(options) {
    return listenService(
      options.listen,
      new QuoteFactory(String(options.quote)),
    );
  },
};
