// Copyright 2026 the Torsion authors. MIT license.
/**
 * A factory with a resource: `LogfileFactory` opens its file in
 * `startFactory` (before the first port uses it) and closes it in
 * `stopFactory` (after the last one stopped), rather than in a constructor,
 * which would be too early. Each connection's `LoggingProtocol` appends the
 * lines it receives to that file.
 *
 * ```sh
 * deno run --allow-net --allow-write=lines.log examples/logfile.ts --file lines.log
 * nc -C 127.0.0.1 8003     # type lines; then:
 * cat lines.log
 * ```
 *
 * The file is closed when the reactor stops (Ctrl-C): the port closes,
 * then the factory stops.
 *
 * Python original:
 *
 * ```py
 * class LoggingProtocol(LineReceiver):
 *     def lineReceived(self, line):
 *         self.factory.fp.write(line+'\n')
 *
 * class LogfileFactory(Factory):
 *     protocol = LoggingProtocol
 *     def __init__(self, fileName):
 *         self.file = fileName
 *     def startFactory(self):
 *         self.fp = open(self.file, 'a')
 *     def stopFactory(self):
 *         self.fp.close()
 * ```
 *
 * @module
 */

import { Factory, LineReceiver, log, reactor } from "../mod.ts";
import { announce, cli, portNumber, usageError } from "./_cli.ts";

const encoder = new TextEncoder();

/** Appends each line it receives to its factory's file. */
export class LoggingProtocol extends LineReceiver {
  declare factory: LogfileFactory;

  /**
   * Writes `line` and a `\n` to the file.
   *
   * @param line A line, without its delimiter.
   */
  override lineReceived(line: string): void {
    this.factory.write(line + "\n");
  }
}

/** Owns the log file: open while the factory is in use. */
export class LogfileFactory extends Factory {
  override protocol = LoggingProtocol;
  /** The file's path. */
  readonly file: string;
  #fp: Deno.FsFile | null = null;

  /**
   * Makes the factory; the file is opened by `startFactory`.
   *
   * @param fileName The file to append to (created if missing).
   */
  constructor(fileName: string) {
    super();
    this.file = fileName;
  }

  /** Opens the file for appending (Python's `open(self.file, 'a')`). */
  override startFactory(): void {
    this.#fp = Deno.openSync(this.file, { append: true, create: true });
  }

  /** Closes the file. */
  override stopFactory(): void {
    this.#fp?.close();
    this.#fp = null;
  }

  /**
   * Appends `text` to the file, synchronously (so a line is in the file
   * once `lineReceived` returns).
   *
   * @param text The text.
   */
  write(text: string): void {
    const fp = this.#fp;
    if (fp === null) return;
    const data = encoder.encode(text);
    let off = 0;
    while (off < data.length) off += fp.writeSync(data.subarray(off));
  }
}

const USAGE = `
Usage: deno run --allow-net --allow-write=FILE examples/logfile.ts --file FILE [--port N] [--host H]

  --file FILE  the file the received lines are appended to
  --port N     the port to listen on (0: any free port) [default: 8003]
  --host H     the address to listen on [default: 127.0.0.1]

Then: nc -C 127.0.0.1 8003, type lines, and look at FILE.
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    file: { type: "string" },
    port: { type: "string", default: "8003" },
    host: { type: "string", default: "127.0.0.1" },
  });
  if (values.file === undefined) usageError(USAGE, "--file is required");
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    new LogfileFactory(values.file),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
