// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode CooperatorService}: a `Cooperator` that runs while the service
 * runs, after `twisted.application.internet.CooperatorService`.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { Cooperator } from "../task/cooperator.ts";
import { Service } from "./service.ts";

/**
 * A service that starts and stops a {@linkcode Cooperator} (Twisted's
 * `internet.CooperatorService`): iterators given to
 * {@linkcode CooperatorService.coiterate} run only while the service runs,
 * and stopping it fails the unfinished ones with `SchedulerStopped`.
 *
 * The Cooperator schedules on the default reactor; tests set
 * `service.coop.clock` to a `Clock`. Unlike Twisted 22.4's, which forgets to,
 * this service sets and clears `running`.
 *
 * @example Usage
 * ```ts
 * import { CooperatorService } from "@torsion/torsion/application";
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const service = new CooperatorService();
 * const clock = new Clock();
 * service.coop.clock = clock;
 * let done = false;
 * service.coiterate([1, 2, 3]).addCallback(() => {
 *   done = true;
 * });
 * clock.advance(1);
 * equal(done, false); // not started yet
 * service.startService();
 * clock.advance(1);
 * equal(done, true);
 * service.stopService();
 * ```
 */
export class CooperatorService extends Service {
  /** The Cooperator, made with `started: false`. */
  readonly coop: Cooperator = new Cooperator({ started: false });

  /**
   * Runs an iterator on the Cooperator (its `coiterate`).
   *
   * @typeParam I The type of the iterator (or iterable).
   * @param iterator The work.
   * @returns A Deferred that fires with `iterator` once it is exhausted.
   */
  coiterate<I extends Iterator<unknown> | Iterable<unknown>>(
    iterator: I,
  ): Deferred<I> {
    return this.coop.coiterate(iterator);
  }

  /** Starts the Cooperator. */
  override startService(): void {
    super.startService();
    this.coop.start();
  }

  /** Stops the Cooperator: unfinished tasks fail with `SchedulerStopped`. */
  override stopService(): void {
    super.stopService();
    this.coop.stop();
  }
}
