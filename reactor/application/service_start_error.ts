// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ServiceStartError}: services of a tree failed to start.
 *
 * @module
 */

import { describeService } from "./_describe.ts";
import type { IService } from "./interfaces.ts";

/** A service that failed to start, and why. */
export interface ServiceFailure {
  /** The service. */
  readonly service: IService;
  /** What its start threw, or the error its Deferred or promise failed with. */
  readonly error: unknown;
}

/**
 * Reports that services of a tree failed to start: thrown by a
 * `MultiService`'s `privilegedStartService`/`startService` (or its Deferred
 * fails with it) once every child has been given its chance to start. Each
 * failure was logged where it happened ("Error starting service ..."), so
 * whoever catches this need not log the causes again.
 *
 * @example Usage
 * ```ts
 * import { captureLog } from "@torsion/torsion/testing";
 * import { MultiService, Service, ServiceStartError } from "@torsion/torsion/application";
 * import { equal, ok } from "node:assert/strict";
 *
 * class Broken extends Service {
 *   override startService(): void {
 *     throw new RangeError("no port");
 *   }
 * }
 * const tree = new MultiService();
 * const broken = new Broken();
 * broken.setName("web");
 * broken.setServiceParent(tree);
 * using _log = captureLog();
 * let error: unknown;
 * try {
 *   tree.startService();
 * } catch (e) {
 *   error = e;
 * }
 * ok(error instanceof ServiceStartError);
 * equal(error.failures[0].service, broken);
 * equal(error.message, 'Cannot start 1 service: "web" (Broken)');
 * ```
 */
export class ServiceStartError extends Error {
  /** The services that failed, in the order they were started. */
  readonly failures: readonly ServiceFailure[];

  /**
   * Creates a `ServiceStartError`.
   *
   * @param failures The services that failed and their errors.
   */
  constructor(failures: readonly ServiceFailure[]) {
    const n = failures.length;
    super(
      `Cannot start ${n} service${n === 1 ? "" : "s"}: ${
        failures.map((f) => describeService(f.service)).join(", ")
      }`,
      n === 1 ? { cause: failures[0].error } : undefined,
    );
    this.name = "ServiceStartError";
    this.failures = failures;
  }
}
