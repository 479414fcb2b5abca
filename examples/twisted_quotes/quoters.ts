// Copyright 2026 the Torsion authors. MIT license.
/**
 * The core of TwistedQuotes (the tutorial's `quoters.py`): objects that
 * give a quote. Note that nothing here uses Torsion (only the type
 * `IQuoter` is imported): the business logic knows nothing of networks, so
 * any front end (the `QOTD` protocol, a web page, a test) can use it.
 *
 * Python original:
 *
 * ```py
 * class StaticQuoter:
 *     """Return a static quote."""
 *     implements(quoteproto.IQuoter)
 *     def __init__(self, quote):
 *         self.quote = quote
 *     def getQuote(self):
 *         return self.quote
 *
 * class FortuneQuoter:
 *     """Load quotes from a fortune-format file."""
 *     implements(quoteproto.IQuoter)
 *     def __init__(self, filenames):
 *         self.filenames = filenames
 *     def getQuote(self):
 *         quoteFile = file(choice(self.filenames))
 *         quotes = quoteFile.read().split('\n%\n')
 *         quoteFile.close()
 *         return choice(quotes)
 * ```
 *
 * @module
 */

import type { IQuoter } from "./quoteproto.ts";

/** Returns a static quote. */
export class StaticQuoter implements IQuoter {
  /** The quote. */
  quote: string;

  /**
   * Makes the quoter.
   *
   * @param quote The quote it always returns.
   */
  constructor(quote: string) {
    this.quote = quote;
  }

  /** Returns the quote. */
  getQuote(): string {
    return this.quote;
  }
}

/** Python's `random.choice`, with the random source as an argument. */
function choice<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/**
 * Loads quotes from fortune-format files: quotes separated by lines holding
 * a single `%`. Each call picks a file, reads it, and picks a quote, at
 * random (so an edited file is seen at once).
 */
export class FortuneQuoter implements IQuoter {
  /** The files to choose from. */
  filenames: string[];
  /** Where the random choices come from (a test may fix it). */
  random: () => number;

  /**
   * Makes the quoter.
   *
   * @param filenames The fortune files (reading them needs `--allow-read`).
   * @param random A source of numbers in [0, 1), `Math.random` by default.
   * @throws {RangeError} If `filenames` is empty.
   */
  constructor(filenames: string[], random: () => number = Math.random) {
    if (filenames.length === 0) {
      throw new RangeError("Cannot make a FortuneQuoter: no file given");
    }
    this.filenames = filenames;
    this.random = random;
  }

  /**
   * Returns a random quote of a random file. A line end or `%` line at the
   * end of the file does not make an empty quote.
   *
   * @returns The quote, without a trailing line end.
   */
  getQuote(): string {
    const text = Deno.readTextFileSync(choice(this.filenames, this.random));
    const quotes = text.replace(/\r\n/g, "\n").split("\n%\n")
      .map((q) => q.replace(/\n%$/, "").trimEnd())
      .filter((q) => q !== "" && q !== "%");
    if (quotes.length === 0) return "";
    return choice(quotes, this.random);
  }
}
