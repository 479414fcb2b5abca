// Copyright 2026 the Torsion authors. MIT license.
/**
 * Starting and stopping services for their parents: each failure is caught
 * and logged with the service's name, and never keeps the other services
 * from starting or stopping.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { DeferredList } from "../../defer/deferred_list.ts";
import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { isPromiseLike } from "../../defer/_is_promise_like.ts";
import { ensureDeferred, maybeDeferred } from "../../defer/maybe_deferred.ts";
import { describeService } from "./_describe.ts";
import type { IService } from "./interfaces.ts";
import {
  type ServiceFailure,
  ServiceStartError,
} from "./service_start_error.ts";

/** The two start-up phases. */
export type StartPhase = "privilegedStartService" | "startService";

/**
 * Turns what a start threw (or failed with) into failures, logging it unless
 * it is a {@linkcode ServiceStartError} (whose causes were logged already).
 */
function recordFailure(
  service: IService,
  phase: StartPhase,
  reason: unknown,
): ServiceFailure[] {
  const error = reason instanceof Failure ? reason.value : reason;
  if (error instanceof ServiceStartError) return [...error.failures];
  log.err(
    reason,
    phase === "startService"
      ? `Error starting service ${describeService(service)}`
      : `Error in the privileged start of service ${describeService(service)}`,
  );
  return [{ service, error }];
}

/**
 * Calls `phase` on each service, in order. A service that throws is logged
 * and the next one is started all the same; so is one whose Deferred or
 * promise fails.
 *
 * @returns Nothing if every start returned nothing; else a Deferred that
 *   fires once every returned Deferred or promise has settled, and fails
 *   with a {@linkcode ServiceStartError} if one of them failed.
 * @throws {ServiceStartError} Once all are started, if one threw.
 */
export function startEach(
  services: Iterable<IService>,
  phase: StartPhase,
): void | Deferred<void> {
  const failures: ServiceFailure[] = [];
  const later: ServiceFailure[] = [];
  const waits: Deferred<unknown>[] = [];
  for (const service of services) {
    let result: unknown;
    try {
      result = service[phase]();
    } catch (e) {
      failures.push(...recordFailure(service, phase, e));
      continue;
    }
    if (isPromiseLike(result)) {
      waits.push(
        ensureDeferred(result).addErrback((f: Failure) => {
          later.push(...recordFailure(service, phase, f));
        }),
      );
    }
  }
  if (failures.length > 0) throw new ServiceStartError(failures);
  if (waits.length === 0) return;
  return new DeferredList(waits).addCallback(() => {
    if (later.length > 0) throw new ServiceStartError(later);
  });
}

/**
 * Stops a service: a throw, or a Deferred or promise that fails, is logged
 * with its name.
 *
 * @returns A Deferred that fires (never fails) once it has stopped.
 */
export function stopQuietly(service: IService): Deferred<void> {
  return maybeDeferred(() => service.stopService()).addCallbacks(
    () => undefined,
    (f: Failure) => {
      log.err(f, `Error stopping service ${describeService(service)}`);
    },
  );
}
