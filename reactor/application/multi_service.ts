// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode MultiService}: a service made of services, after
 * `twisted.application.service.MultiService`.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { DeferredList } from "../../defer/deferred_list.ts";
import { describeService } from "./_describe.ts";
import { startEach, stopQuietly } from "./_lifecycle.ts";
import type { IService, IServiceCollection } from "./interfaces.ts";
import { Service } from "./service.ts";

/**
 * A service that holds other services and starts and stops them with itself
 * (Twisted's `MultiService`).
 *
 * - Children start in the order they were added, and stop in the reverse
 *   order, all at once: no child waits for another to stop, but the
 *   Deferred returned by {@linkcode MultiService.stopService} fires only once
 *   every child has stopped.
 * - A child added while the collection runs is started at once
 *   (`privilegedStartService`, then `startService`).
 * - A child that throws from its start or stop code, or whose Deferred or
 *   promise fails, is logged with its name ("Error starting service "web"
 *   (TCPServer)"); the other children start and stop all the same. Once
 *   every child has had its turn, a failed start is reported to the caller
 *   as a {@linkcode ServiceStartError} (thrown, or the failure of the
 *   returned Deferred), as Twisted lets the error propagate; a failed stop
 *   is only logged.
 *
 * @example Usage
 * ```ts
 * import { MultiService, Service } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * const events: string[] = [];
 * class Named extends Service {
 *   constructor(name: string) {
 *     super();
 *     this.setName(name);
 *   }
 *   override startService(): void {
 *     super.startService();
 *     events.push(`start ${this.name}`);
 *   }
 *   override stopService(): void {
 *     super.stopService();
 *     events.push(`stop ${this.name}`);
 *   }
 * }
 * const tree = new MultiService();
 * new Named("db").setServiceParent(tree);
 * new Named("web").setServiceParent(tree);
 * tree.startService();
 * await tree.stopService();
 * deepEqual(events, ["start db", "start web", "stop web", "stop db"]);
 * ```
 */
export class MultiService extends Service implements IServiceCollection {
  /** The children, in the order they were added. */
  readonly services: IService[] = [];
  /** The children that have a name, by name. */
  readonly namedServices: Map<string, IService> = new Map();

  /**
   * Calls each child's `privilegedStartService`, in order.
   *
   * @returns Nothing, or (if a child returned a Deferred or promise) a
   *   Deferred that fires once they have all settled.
   * @throws {ServiceStartError} Once every child has been called, if some
   *   threw (each was logged).
   */
  override privilegedStartService(): void | Deferred<void> {
    super.privilegedStartService();
    return startEach(this, "privilegedStartService");
  }

  /**
   * Marks the collection running, then starts each child, in order.
   *
   * @returns Nothing, or (if a child returned a Deferred or promise) a
   *   Deferred that fires once they have all settled, and fails with a
   *   {@linkcode ServiceStartError} if one of them failed.
   * @throws {ServiceStartError} Once every child has been started, if some
   *   threw (each was logged).
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const tree = new MultiService();
   * const child = new Service();
   * child.setServiceParent(tree);
   * tree.startService();
   * equal(tree.running, true);
   * equal(child.running, true);
   * ```
   */
  override startService(): void | Deferred<void> {
    super.startService();
    return startEach(this, "startService");
  }

  /**
   * Marks the collection stopped, then stops every child, the last added
   * first, without waiting between them.
   *
   * @returns A Deferred that fires once every child has stopped (the
   *   Deferreds and promises they returned have settled). It never fails: a
   *   child's error is logged.
   *
   * @example Usage
   * ```ts
   * import { Deferred } from "@torsion/torsion/defer";
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const closed = new Deferred<void>();
   * class Slow extends Service {
   *   override stopService(): Deferred<void> {
   *     super.stopService();
   *     return closed;
   *   }
   * }
   * const tree = new MultiService();
   * new Slow().setServiceParent(tree);
   * tree.startService();
   * let stopped = false;
   * tree.stopService().addCallback(() => {
   *   stopped = true;
   * });
   * equal(stopped, false);
   * closed.callback();
   * equal(stopped, true);
   * ```
   */
  override stopService(): Deferred<void> {
    super.stopService();
    const stops = [...this.services].reverse().map(stopQuietly);
    return new DeferredList(stops).addCallback(() => undefined);
  }

  /**
   * Returns the child with the given name.
   *
   * @param name The name.
   * @returns The child.
   * @throws {RangeError} If no child has that name (Twisted's `KeyError`).
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal, throws } from "node:assert/strict";
   *
   * const tree = new MultiService();
   * const web = new Service();
   * web.setName("web");
   * web.setServiceParent(tree);
   * equal(tree.getServiceNamed("web"), web);
   * throws(() => tree.getServiceNamed("db"), RangeError);
   * ```
   */
  getServiceNamed(name: string): IService {
    const service = this.namedServices.get(name);
    if (service === undefined) {
      throw new RangeError(
        `Cannot get the service named ${
          JSON.stringify(name)
        }: the collection has no such child`,
      );
    }
    return service;
  }

  /**
   * Iterates over the children, in the order they were added.
   *
   * @returns An iterator of the children.
   */
  [Symbol.iterator](): Iterator<IService> {
    return this.services[Symbol.iterator]();
  }

  /**
   * Adds a child; use the child's `setServiceParent` instead, which calls
   * this. If the collection is running, the child is started at once
   * (`privilegedStartService`, then `startService`, "it may be too late for
   * that, but we will do our best", says Twisted).
   *
   * @param service The child.
   * @throws {Error} "cannot have two services with same name 'NAME'" if a
   *   child has the same name (Twisted's `RuntimeError`); the child is not
   *   added.
   * @throws {ServiceStartError} If the collection runs and the child's
   *   start threw (it was logged; the child stays added).
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const tree = new MultiService();
   * tree.startService();
   * const late = new Service();
   * late.setServiceParent(tree);
   * equal(late.running, true);
   * ```
   */
  addService(service: IService): void {
    const name = service.name;
    if (name !== null) {
      if (this.namedServices.has(name)) {
        throw new Error(`cannot have two services with same name '${name}'`);
      }
      this.namedServices.set(name, service);
    }
    this.services.push(service);
    if (!this.running) return;
    const privileged = startEach([service], "privilegedStartService");
    if (privileged === undefined) {
      startEach([service], "startService")?.addErrback(() => undefined);
    } else {
      privileged.addCallback(() => startEach([service], "startService"))
        .addErrback(() => undefined);
    }
  }

  /**
   * Removes a child; use the child's `disownServiceParent` instead, which
   * calls this. If the collection is running, the child is stopped.
   *
   * @param service The child.
   * @returns Nothing if the collection is not running; else a Deferred that
   *   fires once the child has stopped (never failing: an error is logged).
   * @throws {RangeError} If `service` is not a child (Twisted's
   *   `ValueError`).
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const tree = new MultiService();
   * const child = new Service();
   * child.setServiceParent(tree);
   * tree.startService();
   * await child.disownServiceParent();
   * equal(child.running, false);
   * equal(tree.services.length, 0);
   * ```
   */
  removeService(service: IService): void | Deferred<void> {
    const i = this.services.indexOf(service);
    if (i === -1) {
      throw new RangeError(
        `Cannot remove service ${
          describeService(service)
        }: it is not a child of this collection`,
      );
    }
    if (
      service.name !== null && this.namedServices.get(service.name) === service
    ) {
      this.namedServices.delete(service.name);
    }
    this.services.splice(i, 1);
    if (this.running) return stopQuietly(service);
  }
}
