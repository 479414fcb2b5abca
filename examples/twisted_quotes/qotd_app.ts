// Copyright 2026 the Torsion authors. MIT license.
/**
 * TwistedQuotes as an **application** (a `.tac` file): the quoter, the
 * factory and the port, fixed in code, exported as `application` for the
 * runner. [quotetap.ts](quotetap.ts) is the same server as a plugin, whose
 * quoter and port come from the command line instead.
 *
 * ```sh
 * deno task run examples/twisted_quotes/qotd_app.ts   # twistd -ny qotd.tac
 * nc 127.0.0.1 8007
 * QOTD_PORT=0 deno task run examples/twisted_quotes/qotd_app.ts   # any free port
 * ```
 *
 * Python original:
 *
 * ```py
 * from twisted.application import internet, service
 * from TwistedQuotes import quoteproto, quoters
 *
 * application = service.Application("qotd")
 * quoter = quoters.StaticQuoter("An apple a day keeps the doctor away.")
 * internet.TCPServer(8007, quoteproto.QOTDFactory(quoter)
 *                    ).setServiceParent(application)
 * ```
 *
 * @module
 */

import { Application, TCPServer } from "../../reactor/application/mod.ts";
import { QOTDFactory } from "./quoteproto.ts";
import { StaticQuoter } from "./quoters.ts";

/** The port: 8007, or `QOTD_PORT` (0: any free port). */
const port = Number(Deno.env.get("QOTD_PORT") ?? "8007");

/** What the runner runs: a Quote of the Day server on 127.0.0.1. */
export const application: Application = new Application("qotd");
const quoter = new StaticQuoter("An apple a day keeps the doctor away.");
new TCPServer(port, new QOTDFactory(quoter), { interface: "127.0.0.1" })
  .setServiceParent(application);
