// Copyright 2026 the Torsion authors. MIT license.
/**
 * The network side of TwistedQuotes (the tutorial's `quoteproto.py`): the
 * {@linkcode IQuoter} abstraction, and the Quote of the Day protocol that
 * puts any quoter on a TCP port.
 *
 * The protocol has no logic of its own: it ties an object that makes quotes
 * (the factory's `quoter`) to an object that carries bytes (its
 * `transport`). Twisted declares the interface with `zope.interface`; in
 * TypeScript it is an `interface`, and classes say `implements IQuoter`.
 *
 * Python original:
 *
 * ```py
 * class IQuoter(Interface):
 *     """An object that returns quotes."""
 *     def getQuote():
 *         """Return a quote."""
 *
 * class QOTD(Protocol):
 *     def connectionMade(self):
 *         self.transport.write(self.factory.quoter.getQuote()+'\r\n')
 *         self.transport.loseConnection()
 *
 * class QOTDFactory(Factory):
 *     protocol = QOTD
 *     def __init__(self, quoter):
 *         self.quoter = quoter
 * ```
 *
 * @module
 */

import { Factory, Protocol } from "../../mod.ts";

/** An object that returns quotes. */
export interface IQuoter {
  /** Returns a quote. */
  getQuote(): string;
}

/** Quote of the Day: sends the factory's quoter's quote, and closes. */
export class QOTD extends Protocol {
  declare factory: QOTDFactory;

  /** Called once connected: write a quote and hang up. */
  override connectionMade(): void {
    this.transport.write(this.factory.quoter.getQuote() + "\r\n");
    this.transport.loseConnection();
  }
}

/** A factory for the Quote of the Day protocol. */
export class QOTDFactory extends Factory {
  override protocol = QOTD;
  /**
   * An object which provides {@linkcode IQuoter}, which will be used by the
   * {@linkcode QOTD} protocol to get quotes to emit.
   */
  quoter: IQuoter;

  /**
   * Makes the factory.
   *
   * @param quoter Where the quotes come from.
   */
  constructor(quoter: IQuoter) {
    super();
    this.quoter = quoter;
  }
}
