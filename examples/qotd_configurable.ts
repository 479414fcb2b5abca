// Copyright 2026 the Torsion authors. MIT license.
/**
 * Configuration lives on the factory: `QOTDFactory(quote)` keeps the quote,
 * and each `QOTD` protocol reads it as `this.factory.quote`. This is the
 * tutorial's "putting it together" program, which serves "configurable
 * quote"; `--quote` picks another one, and an empty `--quote ""` falls back
 * to the apple (Python's `quote or 'An apple a day...'`).
 *
 * ```sh
 * deno run --allow-net examples/qotd_configurable.ts --quote "Hello, Torsion"
 * nc 127.0.0.1 8007
 * # Hello, Torsion
 * ```
 *
 * The tutorial also shows the other way to configure a factory, a factory
 * function setting attributes on a plain `Factory`: that is
 * {@linkcode makeQOTDFactory} below (TypeScript wants the added attribute
 * in the type: `Object.assign` gives `Factory & { quote: string }`).
 *
 * Python original:
 *
 * ```py
 * class QOTD(Protocol):
 *     def connectionMade(self):
 *         self.transport.write(self.factory.quote+'\r\n')
 *         self.transport.loseConnection()
 *
 * class QOTDFactory(Factory):
 *     protocol = QOTD
 *     def __init__(self, quote=None):
 *         self.quote = quote or 'An apple a day keeps the doctor away'
 *
 * reactor.listenTCP(8007, QOTDFactory("configurable quote"))
 * reactor.run()
 * ```
 *
 * @module
 */

import { Factory, log, Protocol, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** The tutorial's default quote. */
export const DEFAULT_QUOTE = "An apple a day keeps the doctor away";

/** What {@linkcode QOTD} needs of its factory: a quote. */
export type QuoteFactory = Factory & { quote: string };

/** Sends its factory's quote, and closes. */
export class QOTD extends Protocol {
  declare factory: QuoteFactory;

  /** Called once connected: write the quote and hang up. */
  override connectionMade(): void {
    this.transport.write(this.factory.quote + "\r\n");
    this.transport.loseConnection();
  }
}

/** A factory of {@linkcode QOTD} protocols, holding the quote. */
export class QOTDFactory extends Factory {
  override protocol = QOTD;
  /** The quote every connection gets. */
  quote: string;

  /**
   * Makes the factory.
   *
   * @param quote The quote; empty or omitted: {@linkcode DEFAULT_QUOTE}.
   */
  constructor(quote?: string) {
    super();
    this.quote = quote || DEFAULT_QUOTE;
  }
}

/**
 * The tutorial's factory function: a factory for {@linkcode QOTD} with its
 * quote set (Python's `makeQOTDFactory`).
 *
 * @param quote The quote; empty or omitted: {@linkcode DEFAULT_QUOTE}.
 * @returns The factory.
 */
export function makeQOTDFactory(quote?: string): QuoteFactory {
  const factory = Object.assign(new Factory(), {
    quote: quote || DEFAULT_QUOTE,
  });
  factory.protocol = QOTD;
  return factory;
}

const USAGE = `
Usage: deno run --allow-net examples/qotd_configurable.ts [--quote Q] [--port N] [--host H]

  --quote Q  the quote ("" for the tutorial's apple) [default: configurable quote]
  --port N   the port to listen on (0: any free port) [default: 8007]
  --host H   the address to listen on [default: 127.0.0.1]

Then: nc 127.0.0.1 8007
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    quote: { type: "string", default: "configurable quote" },
    port: { type: "string", default: "8007" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    new QOTDFactory(values.quote),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
