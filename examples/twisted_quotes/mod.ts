// Copyright 2026 the Torsion authors. MIT license.
/**
 * Twisted Quotes: the tutorial's example of a well-designed Twisted
 * application, ported to Torsion. The quote logic ({@linkcode StaticQuoter},
 * {@linkcode FortuneQuoter}) is kept apart from the protocol that serves it
 * ({@linkcode QOTD}, {@linkcode QOTDFactory}); `qotd_server.ts` ties them
 * together on a port. Deployed the Twisted way, `qotd_app.ts` is the same
 * server as an application and `quotetap.ts` as a plugin, both run by the
 * runner (`deno task run examples/twisted_quotes/quotetap.ts --help`).
 *
 * ```sh
 * deno run --allow-net --allow-read examples/twisted_quotes/qotd_server.ts \
 *   --fortunes examples/twisted_quotes/fortunes.txt
 * nc 127.0.0.1 8007
 * ```
 *
 * @module
 */

export { type IQuoter, QOTD, QOTDFactory } from "./quoteproto.ts";
export { FortuneQuoter, StaticQuoter } from "./quoters.ts";
