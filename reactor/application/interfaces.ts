// Copyright 2026 the Torsion authors. MIT license.
/**
 * The contracts of services, after `twisted.application.service`:
 * {@linkcode IService}, {@linkcode IServiceCollection} and
 * {@linkcode IProcess}, and functions of the same names that check an object
 * provides them (Twisted's adaptation, `IService(application)`).
 *
 * @module
 */

/**
 * A service: something with start-up and shut-down code, run at the right
 * times by its parent or by the runner (Twisted's `IService`).
 *
 * The order is `privilegedStartService()` (while the process may still hold
 * privileges: bind low ports), then `startService()`, and later
 * `stopService()`.
 */
export interface IService {
  /** The service's name, or `null`. Set it with `setName`. */
  readonly name: string | null;
  /** Whether the service is running: set by `startService`, cleared by `stopService`. */
  readonly running: boolean;
  /** The collection the service belongs to, or `null`. */
  readonly parent: IServiceCollection | null;
  /**
   * Sets the name of the service.
   *
   * @param name The name.
   * @throws {Error} "cannot change name when parent exists" if the service
   *   has a parent (Twisted's `RuntimeError`).
   */
  setName(name: string): void;
  /**
   * Adds the service to `parent` (after leaving its current parent, if any)
   * and sets {@linkcode IService.parent}.
   *
   * @param parent The new parent.
   * @throws {Error} If `parent` already has a child of the same name.
   */
  setServiceParent(parent: IServiceCollection): void;
  /**
   * Removes the service from its parent and clears
   * {@linkcode IService.parent}.
   *
   * @returns What the parent's `removeService` returned: a Deferred or
   *   promise that settles once the service has stopped, if it was running.
   */
  disownServiceParent(): void | PromiseLike<unknown>;
  /**
   * Does the start-up work that needs privileges (binding a port below
   * 1024), before `startService`. It may throw to report a failure.
   *
   * @returns Nothing, or a Deferred or promise to wait for.
   */
  privilegedStartService(): void | PromiseLike<unknown>;
  /**
   * Starts the service. It may throw to report a failure.
   *
   * @returns Nothing, or a Deferred or promise to wait for.
   */
  startService(): void | PromiseLike<unknown>;
  /**
   * Stops the service.
   *
   * @returns Nothing if it stopped at once, else a Deferred or promise that
   *   settles once it has stopped (its ports closed, its connections lost).
   */
  stopService(): void | PromiseLike<unknown>;
}

/**
 * A collection of services, which starts and stops them together (Twisted's
 * `IServiceCollection`). Iterating over it gives the children.
 */
export interface IServiceCollection extends Iterable<IService> {
  /**
   * Returns the child with the given name.
   *
   * @param name The name.
   * @returns The child.
   * @throws {RangeError} If no child has that name (Twisted's `KeyError`).
   */
  getServiceNamed(name: string): IService;
  /**
   * Adds a child. Only `setServiceParent` implementations should call it.
   *
   * @param service The child.
   * @throws {Error} If a child has the same name.
   */
  addService(service: IService): void;
  /**
   * Removes a child. Only `disownServiceParent` implementations should call
   * it.
   *
   * @param service The child.
   * @returns Nothing, or a Deferred or promise that settles once the child,
   *   if it was running, has stopped.
   * @throws {RangeError} If `service` is not a child (Twisted's
   *   `ValueError`).
   */
  removeService(service: IService): void | PromiseLike<unknown>;
}

/**
 * How the process should run (Twisted's `IProcess`). Deno cannot change the
 * user or group of a running process: `uid` and `gid` are recorded for the
 * runner to check, never applied.
 */
export interface IProcess {
  /** The name the process should have in `ps`, or `null` to leave it alone. */
  processName: string | null;
  /** The user id to run as, or `null` to leave it alone. */
  uid: number | null;
  /** The group id to run as, or `null` to leave it alone. */
  gid: number | null;
}

const SERVICE_METHODS = [
  "setName",
  "setServiceParent",
  "disownServiceParent",
  "privilegedStartService",
  "startService",
  "stopService",
] as const;

const COLLECTION_METHODS = [
  "getServiceNamed",
  "addService",
  "removeService",
] as const;

function hasMethods(
  obj: unknown,
  names: readonly (string | symbol)[],
): string | symbol | null {
  if (obj === null || (typeof obj !== "object" && typeof obj !== "function")) {
    return names[0];
  }
  for (const n of names) {
    if (typeof (obj as Record<string | symbol, unknown>)[n] !== "function") {
      return n;
    }
  }
  return null;
}

/**
 * Returns `obj` as an {@linkcode IService} (Twisted's `IService(obj)`),
 * after checking it has the methods of one. An `Application` is its own
 * service, as are `MultiService`s.
 *
 * @param obj The object.
 * @returns `obj`.
 * @throws {TypeError} If it is not a service.
 *
 * @example Usage
 * ```ts
 * import { Application, IService } from "@torsion/torsion/application";
 * import { equal, throws } from "node:assert/strict";
 *
 * const application = new Application("demo");
 * equal(IService(application), application);
 * equal(IService(application).name, "demo");
 * throws(() => IService({}), TypeError);
 * ```
 */
export function IService(obj: unknown): IService {
  const missing = hasMethods(obj, SERVICE_METHODS);
  if (missing !== null) {
    throw new TypeError(
      `Cannot adapt to IService: the object has no ${String(missing)} method`,
    );
  }
  return obj as IService;
}

/**
 * Returns `obj` as an {@linkcode IServiceCollection} (Twisted's
 * `IServiceCollection(obj)`), after checking it has the methods of one.
 *
 * @param obj The object.
 * @returns `obj`.
 * @throws {TypeError} If it is not a service collection.
 *
 * @example Usage
 * ```ts
 * import { Application, IServiceCollection, Service } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * const application = new Application("demo");
 * const child = new Service();
 * child.setServiceParent(application);
 * deepEqual([...IServiceCollection(application)], [child]);
 * ```
 */
export function IServiceCollection(obj: unknown): IServiceCollection {
  const missing = hasMethods(obj, [...COLLECTION_METHODS, Symbol.iterator]);
  if (missing !== null) {
    throw new TypeError(
      `Cannot adapt to IServiceCollection: the object has no ${
        String(missing)
      } method`,
    );
  }
  return obj as IServiceCollection;
}

/**
 * Returns `obj` as an {@linkcode IProcess} (Twisted's `IProcess(obj)`),
 * after checking it has `processName`, `uid` and `gid`.
 *
 * @param obj The object.
 * @returns `obj`.
 * @throws {TypeError} If it does not describe a process.
 *
 * @example Usage
 * ```ts
 * import { Application, IProcess } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * const process = IProcess(new Application("demo", { uid: 1000 }));
 * equal(process.uid, 1000);
 * equal(process.gid, null);
 * ```
 */
export function IProcess(obj: unknown): IProcess {
  if (
    obj === null || typeof obj !== "object" || !("processName" in obj) ||
    !("uid" in obj) || !("gid" in obj)
  ) {
    throw new TypeError(
      "Cannot adapt to IProcess: the object has no processName, uid and gid",
    );
  }
  return obj as IProcess;
}
