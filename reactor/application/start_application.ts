// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode startApplication}: run an application's services on a reactor,
 * as `twistd` does (`twisted.application.app.startApplication`).
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { Failure } from "../../defer/failure.ts";
import { succeed } from "../../defer/succeed.ts";
import { getReactor } from "../default.ts";
import type { IReactorCore } from "../interfaces.ts";
import { startEach, stopQuietly } from "./_lifecycle.ts";
import type { IService } from "./interfaces.ts";

/** What {@linkcode startApplication} needs of a reactor. */
export type ApplicationReactor = Pick<
  IReactorCore,
  "callWhenRunning" | "addSystemEventTrigger"
>;

/** Options of {@linkcode startApplication}. */
export interface StartApplicationOptions {
  /**
   * The reactor to run on.
   *
   * @default {the default reactor}
   */
  reactor?: ApplicationReactor;
}

/**
 * Runs a service tree on a reactor, the way `twistd` does: calls
 * `privilegedStartService()` now, `startService()` once the reactor runs
 * (`callWhenRunning`: at once if it runs already), and makes
 * `stopService()` a "before shutdown" trigger, so that `reactor.stop()` (or
 * Ctrl-C) waits until every service has stopped (ports closed, client
 * connections lost) before the reactor closes what is left and
 * `reactor.run()` settles.
 *
 * The stop trigger is added first: services that did start are stopped at
 * shutdown even if others failed. If the privileged start fails,
 * `startService()` is not called.
 *
 * Twisted 22.4's `app.startApplication(application, save)` calls
 * `startService()` at once, before the reactor runs; here it waits for the
 * reactor, so that what the services schedule starts with it. There is no
 * `save` (no persistence).
 *
 * @param application The application (or any service).
 * @param options The reactor.
 * @returns A Deferred that fires once the services have started (after the
 *   reactor started, and after the Deferreds or promises their starts
 *   returned), or fails with a `ServiceStartError` that lists
 *   the services that failed. Each error was logged already, with the name
 *   of its service; a caller that gets one usually stops the reactor, which
 *   stops what did start. Handle the failure: left alone, it is reported
 *   again as an unhandled error when the Deferred is garbage collected.
 *
 * @example Usage
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { Application, Service, startApplication } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * const events: string[] = [];
 * class Worker extends Service {
 *   override privilegedStartService(): void {
 *     events.push("privileged");
 *   }
 *   override startService(): void {
 *     super.startService();
 *     events.push("start");
 *   }
 *   override stopService(): void {
 *     super.stopService();
 *     events.push("stop");
 *   }
 * }
 * const application = new Application("example");
 * new Worker().setServiceParent(application);
 * const reactor = new Reactor();
 * startApplication(application, { reactor }).addCallback(() => reactor.stop());
 * deepEqual(events, ["privileged"]);
 * await reactor.run({ installSignalHandlers: false });
 * deepEqual(events, ["privileged", "start", "stop"]);
 * ```
 */
export function startApplication(
  application: IService,
  options: StartApplicationOptions = {},
): Deferred<void> {
  const reactor = options.reactor ?? getReactor();
  reactor.addSystemEventTrigger(
    "before",
    "shutdown",
    () => stopQuietly(application),
  );
  const started = new Deferred<void>();
  const start = (): void => {
    let result: void | Deferred<void>;
    try {
      result = startEach([application], "startService");
    } catch (e) {
      started.errback(new Failure(e));
      return;
    }
    (result ?? succeed(undefined)).chainDeferred(started);
  };
  let privileged: void | Deferred<void>;
  try {
    privileged = startEach([application], "privilegedStartService");
  } catch (e) {
    started.errback(new Failure(e));
    return started;
  }
  if (privileged === undefined) {
    reactor.callWhenRunning(start);
  } else {
    privileged.addCallbacks(
      () => {
        reactor.callWhenRunning(start);
      },
      (f: Failure) => {
        started.errback(f);
      },
    );
  }
  return started;
}
