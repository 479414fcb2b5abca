// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Blocking work off the reactor's thread with `deferToThread`: each file
 * named on the command line is read and hashed (SHA-256) in a pool worker,
 * while a `LoopingCall` on the reactor keeps ticking; the hashes print as
 * `sha256sum` prints them, then how many ticks the reactor made meanwhile.
 *
 * ```sh
 * deno run --allow-read examples/hash_file.ts README.md deno.json
 * ```
 *
 * A worker cannot receive a function: `deferToThread` names an exported
 * function of a module, here `sha256File` of [hashing.ts](hashing.ts), by
 * the module's URL. Its arguments and result are copied between threads.
 *
 * A file that cannot be read is reported on stderr, and the exit status is
 * then 1.
 *
 * Python original (Twisted's "Using Threads" howto; the long calculation is
 * the hashing here):
 *
 * ```py
 * def doLongCalculation():
 *     # .... do long calculation here ...
 *     return 3
 *
 * def printResult(x):
 *     print(x)
 *
 * # run method in thread and get result as defer.Deferred
 * d = threads.deferToThread(doLongCalculation)
 * d.addCallback(printResult)
 * reactor.run()
 * ```
 */
import {
  deferToThread,
  type Failure,
  gatherResults,
  LoopingCall,
  reactor,
} from "../mod.ts";
import { cli, usageError } from "./_cli.ts";

const USAGE = `
Usage: deno run --allow-read examples/hash_file.ts FILE...

Prints the SHA-256 of each FILE, computed in a pool worker.
`;

const { positionals: paths } = cli(USAGE, {});
if (paths.length === 0) usageError(USAGE, "no file named");

const HASHING = import.meta.resolve("./hashing.ts");

let ticks = 0;
const ticker = new LoopingCall(() => ticks++);
ticker.start(0.01);

const hashes = paths.map((path) =>
  deferToThread<string>(HASHING, "sha256File", path).addCallbacks(
    (hex) => console.log(`${hex}  ${path}`),
    (f: Failure) => {
      console.error(`${path}: ${f.getErrorMessage()}`);
      Deno.exitCode = 1;
    },
  )
);
gatherResults(hashes).addBoth(() => {
  ticker.stop();
  console.log(`the reactor ticked ${ticks} times meanwhile`);
  reactor.stop();
});
await reactor.run();
