// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A child process and its protocol, after Twisted's "Using Processes" howto:
 * `MyPP` writes verses to `wc` on its standard input, closes it, reads the
 * counts `wc` prints, and prints each event of the process as it comes.
 * Then `getProcessOutput` runs `uname -s` the short way: a Deferred of what
 * the program printed.
 *
 * ```sh
 * deno run --allow-run=wc,uname examples/spawn_process.ts             # 10 verses
 * deno run --allow-run=wc,uname examples/spawn_process.ts --verses 3
 * ```
 *
 * It prints (the number of `outReceived` lines and the order of the
 * `...ConnectionLost` lines around `processExited` may vary):
 *
 * ```text
 * connectionMade!
 * inConnectionLost! stdin is closed! (we probably did it)
 * outReceived! with 24 bytes!
 * outConnectionLost! The child closed their stdout!
 * I saw 40 lines
 * errConnectionLost! The child closed their stderr.
 * processExited, status 0
 * processEnded, status 0
 * uname says: Linux
 * quitting
 * ```
 *
 * Python original:
 *
 * ```py
 * class MyPP(protocol.ProcessProtocol):
 *     def __init__(self, verses):
 *         self.verses = verses
 *         self.data = ""
 *     def connectionMade(self):
 *         print("connectionMade!")
 *         for i in range(self.verses):
 *             self.transport.write("Aleph-null bottles of beer on the wall,\n" +
 *                                  "Aleph-null bottles of beer,\n" +
 *                                  "Take one down and pass it around,\n" +
 *                                  "Aleph-null bottles of beer on the wall.\n")
 *         self.transport.closeStdin() # tell them we're done
 *     def outReceived(self, data):
 *         print("outReceived! with %d bytes!" % len(data))
 *         self.data = self.data + data
 *     def inConnectionLost(self):
 *         print("inConnectionLost! stdin is closed! (we probably did it)")
 *     def outConnectionLost(self):
 *         print("outConnectionLost! The child closed their stdout!")
 *         (dummy, lines, words, chars, file) = re.split(r'\s+', self.data)
 *         print("I saw %s lines" % lines)
 *     def processEnded(self, reason):
 *         print("processEnded, status %d" % (reason.value.exitCode,))
 *         print("quitting")
 *         reactor.stop()
 *
 * pp = MyPP(10)
 * reactor.spawnProcess(pp, "wc", ["wc"], {})
 * reactor.run()
 * ```
 */
import {
  type Failure,
  getProcessOutput,
  ProcessProtocol,
  type ProcessTerminated,
  reactor,
} from "../mod.ts";
import { cli } from "./_cli.ts";

const USAGE = `
Usage: deno run --allow-run=wc,uname examples/spawn_process.ts [--verses N]

Writes N verses (default 10) to wc, prints the process's events and the
line count wc reports, then what uname -s prints.
`;

const { values } = cli(USAGE, { verses: { type: "string", default: "10" } });
const verses = Number(values.verses);

const VERSE = "Aleph-null bottles of beer on the wall,\n" +
  "Aleph-null bottles of beer,\n" +
  "Take one down and pass it around,\n" +
  "Aleph-null bottles of beer on the wall.\n";

class MyPP extends ProcessProtocol {
  data = "";
  readonly #verses: number;

  constructor(verses: number) {
    super();
    this.#verses = verses;
  }

  override connectionMade(): void {
    console.log("connectionMade!");
    for (let i = 0; i < this.#verses; i++) this.transport.write(VERSE);
    this.transport.closeStdin(); // tell them we're done
  }

  override outReceived(data: Uint8Array): void {
    console.log(`outReceived! with ${data.length} bytes!`);
    this.data += new TextDecoder().decode(data);
  }

  override errReceived(data: Uint8Array): void {
    console.log(`errReceived! with ${data.length} bytes!`);
  }

  override inConnectionLost(): void {
    console.log("inConnectionLost! stdin is closed! (we probably did it)");
  }

  override outConnectionLost(): void {
    console.log("outConnectionLost! The child closed their stdout!");
    // Now is the time to examine what they wrote: "lines words chars".
    const [lines] = this.data.trim().split(/\s+/);
    console.log(`I saw ${lines} lines`);
  }

  override errConnectionLost(): void {
    console.log("errConnectionLost! The child closed their stderr.");
  }

  override processExited(reason: Failure): void {
    console.log(
      `processExited, status ${(reason.value as ProcessTerminated).exitCode}`,
    );
  }

  override processEnded(reason: Failure): void {
    console.log(
      `processEnded, status ${(reason.value as ProcessTerminated).exitCode}`,
    );
    // The short way: a Deferred of everything a program prints.
    getProcessOutput("uname", ["-s"])
      .addCallback((out) => {
        console.log(`uname says: ${new TextDecoder().decode(out).trim()}`);
      })
      .addErrback((f: Failure) => {
        console.log(`uname failed: ${f.getErrorMessage()}`);
      })
      .addBoth(() => {
        console.log("quitting");
        reactor.stop();
      });
  }
}

// env {} as in the howto: wc gets an empty environment.
reactor.spawnProcess(new MyPP(verses), "wc", ["wc"], { env: {} });
await reactor.run();
