// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode EpollReactor}: a reactor on Linux epoll through Deno FFI.
 *
 * @module
 */

import { Reactor, type RunOptions } from "../../reactor.ts";
import { EpollBackend } from "./epoll_backend.ts";

/**
 * A reactor whose sockets are driven by Linux epoll through `Deno.dlopen`
 * of libc, bypassing Deno's socket ops: one synchronous system call per
 * read or write and no promise per operation. Everything else (timed
 * calls, the lifecycle, protocols, the stream core) is the default
 * reactor's. Linux only; needs `--allow-ffi` (and `--allow-net` for host
 * name resolution). The default reactor is this one when the environment
 * sets `TORSION_REACTOR=epoll` (`epoll,default`: this one where it can run,
 * the default one elsewhere).
 *
 * @example Usage
 * ```ts ignore
 * import { EpollReactor, Factory } from "@torsion/torsion/reactor";
 * import { Echo } from "@torsion/torsion/protocols";
 *
 * const reactor = new EpollReactor(); // deno run --allow-net --allow-ffi
 * reactor.listenTCP(8000, Factory.forProtocol(Echo), { interface: "127.0.0.1" });
 * await reactor.run();
 * ```
 */
export class EpollReactor extends Reactor {
  readonly #backend: EpollBackend;

  /**
   * Creates the reactor: opens libc and an epoll instance, which its
   * shutdown closes.
   *
   * @throws {Error} Off Linux, without `--allow-ffi`, or without libc,
   *   saying which.
   */
  constructor() {
    const backend = new EpollBackend();
    super({ backend });
    this.#backend = backend;
  }

  /**
   * Runs the reactor (see {@linkcode Reactor.run}) and the epoll wait loop.
   *
   * @param options Whether to handle `SIGINT`/`SIGTERM`.
   * @returns A promise that settles once shutdown (or a crash) has finished
   *   and the wait loop has stopped; then, with no socket left registered,
   *   libc and the epoll instance are closed.
   */
  override run(options?: RunOptions): Promise<void> {
    const backend = this.#backend;
    const reopened = backend.closed;
    backend.open();
    let done: Promise<void>;
    try {
      done = super.run(options);
    } catch (e) {
      if (reopened) backend.close();
      throw e;
    }
    const origin = performance.timeOrigin;
    const loop = backend.start(() => this._nextTimerDue() * 1000 - origin)
      .then(() => {
        if (backend.idle) backend.close();
      });
    this._track(loop);
    return done.then(() => loop);
  }

  /**
   * Stops the reactor at once (see {@linkcode Reactor.crash}), and the wait
   * loop with it.
   */
  override crash(): void {
    super.crash();
    this.#backend.stop();
  }
}
