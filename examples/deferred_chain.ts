// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * Deferreds, after the tutorial's `getPage` examples: a function that cannot
 * answer at once returns a {@linkcode Deferred}, a promise of a result; the
 * caller adds callbacks (run with the result) and errbacks (run with a
 * {@linkcode Failure} if it fails). Each callback's return value is the
 * next one's argument.
 *
 * Torsion has no web client, so `getPage(url)` here is a fake: it answers
 * after half a second (`deferLater`) from a table of pages, or fails with
 * "404 Not Found". The four parts run one after the other:
 *
 * 1. one callback, `printContents`;
 * 2. two callbacks: `lowerCaseContents`, whose result goes to `printContents`;
 * 3. a page that does not exist: the errback, `errorHandler`, gets the Failure;
 * 4. the same with `await` (a Deferred is awaitable, its failure throws).
 *
 * ```sh
 * deno run examples/deferred_chain.ts          # --fast: no half-second waits
 * ```
 *
 * Each Python program stops the reactor in its last callback; here the
 * parts are chained (a callback returning a Deferred makes the chain wait
 * for it) and `react()` stops the reactor, and exits, once they are done.
 *
 * Python original (the first and third programs):
 *
 * ```py
 * def printContents(contents):
 *     print "The Deferred has called printContents with the following contents:"
 *     print contents
 *     reactor.stop()
 *
 * deferred = getPage('http://twistedmatrix.com/')
 * deferred.addCallback(printContents)
 * reactor.run()
 *
 * def errorHandler(error):
 *     print "An error has occurred: <%s>" % str(error)
 *     reactor.stop()
 *
 * deferred = getPage('http://twistedmatrix.com/does-not-exist')
 * deferred.addCallback(printContents)
 * deferred.addErrback(errorHandler)
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  deferLater,
  type Deferred,
  type Failure,
  type IReactorTime,
  react,
  reactor,
} from "../mod.ts";
import { cli } from "./_cli.ts";

/** The fake web. */
export const PAGES: ReadonlyMap<string, string> = new Map([
  [
    "http://twistedmatrix.com/",
    "<HTML><HEAD><TITLE>Twisted</TITLE></HEAD>" +
    "<BODY>Twisted is an event-driven networking engine.</BODY></HTML>",
  ],
]);

/** An HTTP error, like `twisted.web.error.Error`. */
export class PageError extends Error {
  /** The HTTP status. */
  readonly status: number;

  /**
   * Makes the error.
   *
   * @param status The HTTP status.
   * @param message Its text.
   */
  constructor(status: number, message: string) {
    super(`${status} ${message}`);
    this.name = "PageError";
    this.status = status;
  }
}

/**
 * A fake `getPage`: returns at once a Deferred that fires after `delay`
 * seconds with the page at `url`, or fails with a 404 {@linkcode PageError}.
 *
 * @param url The address.
 * @param delay How long "downloading" takes, in seconds.
 * @param clock What to wait on: the reactor (a test may pass a `Clock`).
 * @returns The Deferred of the page.
 */
export function getPage(
  url: string,
  delay = 0.5,
  clock: IReactorTime = reactor,
): Deferred<string> {
  return deferLater(clock, delay, () => {
    const page = PAGES.get(url);
    if (page === undefined) throw new PageError(404, "Not Found");
    return page;
  });
}

/**
 * A callback, added to the Deferred and called by it when the promised
 * data is available.
 *
 * @param contents The page.
 */
function printContents(contents: string): void {
  console.log(
    "The Deferred has called printContents with the following contents:",
  );
  console.log(contents);
}

/**
 * A callback that converts the data to lower case; what it returns is
 * passed to the next callback.
 *
 * @param contents The page.
 * @returns The page in lower case.
 */
function lowerCaseContents(contents: string): string {
  return contents.toLowerCase();
}

/**
 * An errback, called by the Deferred in the event of an error.
 *
 * @param error The failure.
 */
function errorHandler(error: Failure): void {
  // This isn't a very effective handling of the error, we just print it out.
  console.log(`An error has occurred: <${error}>`);
}

/**
 * The first program: one callback.
 *
 * @param delay The fake download time.
 * @returns The Deferred, done once the page is printed.
 */
function part1(delay: number): Deferred<unknown> {
  console.log("1. A callback");
  const deferred = getPage("http://twistedmatrix.com/", delay);
  deferred.addCallback(printContents);
  return deferred;
}

/**
 * The second program: two callbacks, the first one's result going to the
 * second.
 *
 * @param delay The fake download time.
 * @returns The Deferred, done once the page is printed.
 */
function part2(delay: number): Deferred<unknown> {
  console.log("2. Two callbacks in a chain");
  const deferred = getPage("http://twistedmatrix.com/", delay);
  deferred.addCallback(lowerCaseContents);
  deferred.addCallback((contents) => console.log(contents));
  return deferred;
}

/**
 * The third program: the errback gets the Failure of a missing page.
 *
 * @param delay The fake download time.
 * @returns The Deferred, done once the error is printed.
 */
function part3(delay: number): Deferred<unknown> {
  console.log("3. An errback");
  // We request a page which doesn't exist in order to demonstrate the
  // error chain.
  const deferred = getPage("http://twistedmatrix.com/does-not-exist", delay);
  deferred.addCallback(printContents);
  deferred.addErrback(errorHandler);
  return deferred;
}

/**
 * The same with `await`: a Deferred is awaitable.
 *
 * @param delay The fake download time.
 */
async function part4(delay: number): Promise<void> {
  console.log("4. The same with await");
  const page = await getPage("http://twistedmatrix.com/", delay);
  console.log(`await gave ${page.length} characters`);
  try {
    await getPage("http://twistedmatrix.com/does-not-exist", delay);
  } catch (e) {
    // await throws the error itself (a PageError), not its Failure.
    if (!(e instanceof PageError)) throw e;
    console.log(`await threw: ${e.message}`);
  }
}

const USAGE = `
Usage: deno run examples/deferred_chain.ts [--fast]

  --fast   the fake downloads take 0.01 s instead of 0.5 s
`;

if (import.meta.main) {
  const { values } = cli(USAGE, { fast: { type: "boolean", default: false } });
  const delay = values.fast ? 0.01 : 0.5;
  // Each part starts when the previous one is done: a callback that returns
  // a Deferred (or a promise) pauses the chain until that one fires. react()
  // runs the reactor until the last one is done, then exits.
  react(() =>
    part1(delay)
      .addCallback(() => part2(delay))
      .addCallback(() => part3(delay))
      .addCallback(() => part4(delay))
  );
}
