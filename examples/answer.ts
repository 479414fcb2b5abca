// Copyright 2026 the Torsion authors. MIT license.
/**
 * Framing with {@linkcode LineReceiver}: the stream of bytes becomes lines,
 * each handed to `lineReceived` without its delimiter (`\r\n` by default),
 * whatever the chunks the network delivers. `sendLine` adds the delimiter.
 * The Answer protocol answers "How are you?" with "Fine", and anything else
 * with "I don't know what you mean".
 *
 * ```sh
 * deno run --allow-net examples/answer.ts        # port 8002
 * nc -C 127.0.0.1 8002     # -C: send \r\n line ends, as LineReceiver expects
 * How are you?
 * Fine
 * What's up?
 * I don't know what you mean
 * ```
 *
 * (Plain `nc` sends `\n` only: no line is complete until a `\r\n` comes.)
 *
 * Python original (the typeset tutorial shows curly quotes; the strings are
 * the plain ASCII ones of Twisted's howto):
 *
 * ```py
 * class Answer(LineReceiver):
 *     answers = {'How are you?': 'Fine', None : "I don't know what you mean"}
 *     def lineReceived(self, line):
 *         if self.answers.has_key(line):
 *             self.sendLine(self.answers[line])
 *         else:
 *             self.sendLine(self.answers[None])
 * ```
 *
 * @module
 */

import { Factory, LineReceiver, log, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Answers the lines it knows; says it does not understand the others. */
export class Answer extends LineReceiver {
  /** The known lines and their answers; `null` is the answer to the rest. */
  answers: Map<string | null, string> = new Map<string | null, string>([
    ["How are you?", "Fine"],
    [null, "I don't know what you mean"],
  ]);

  /**
   * Sends the answer to `line`.
   *
   * @param line A line, without its delimiter.
   */
  override lineReceived(line: string): void {
    if (this.answers.has(line)) {
      this.sendLine(this.answers.get(line)!);
    } else {
      this.sendLine(this.answers.get(null)!);
    }
  }
}

const USAGE = `
Usage: deno run --allow-net examples/answer.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8002]
  --host H   the address to listen on [default: 127.0.0.1]

Then: nc -C 127.0.0.1 8002, and type: How are you?
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8002" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    Factory.forProtocol(Answer),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
