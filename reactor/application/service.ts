// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Service}: the base class of services, after
 * `twisted.application.service.Service`.
 *
 * @module
 */

import type { IService, IServiceCollection } from "./interfaces.ts";

/**
 * The base class of services (Twisted's `service.Service`): it keeps the
 * book of {@linkcode Service.name}, {@linkcode Service.parent} and
 * {@linkcode Service.running}. Subclasses override
 * {@linkcode Service.startService} and {@linkcode Service.stopService},
 * calling `super` so that `running` stays true to the state.
 *
 * @example Usage
 * ```ts
 * import { MultiService, Service } from "@torsion/torsion/application";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const events: string[] = [];
 * class Greeter extends Service {
 *   override startService(): void {
 *     super.startService();
 *     events.push(`hello from ${this.name}`);
 *   }
 *   override stopService(): void {
 *     super.stopService();
 *     events.push(`bye from ${this.name}`);
 *   }
 * }
 * const parent = new MultiService();
 * const greeter = new Greeter();
 * greeter.setName("greeter");
 * greeter.setServiceParent(parent);
 * parent.startService();
 * equal(greeter.running, true);
 * await parent.stopService();
 * deepEqual(events, ["hello from greeter", "bye from greeter"]);
 * ```
 */
export class Service implements IService {
  /** The service's name, or `null` (set it with {@linkcode Service.setName}). */
  name: string | null = null;
  /** The collection the service belongs to, or `null`. */
  parent: IServiceCollection | null = null;
  /** Whether the service is running: set by `startService`, cleared by `stopService`. */
  running = false;

  /**
   * Sets the name of the service.
   *
   * @param name The name.
   * @throws {Error} "cannot change name when parent exists" if the service
   *   has a parent (Twisted's `RuntimeError`).
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { equal, throws } from "node:assert/strict";
   *
   * const s = new Service();
   * s.setName("hello");
   * equal(s.name, "hello");
   * s.setServiceParent(new MultiService());
   * throws(() => s.setName("lala"), /cannot change name when parent exists/);
   * ```
   */
  setName(name: string): void {
    if (this.parent !== null) {
      throw new Error("cannot change name when parent exists");
    }
    this.name = name;
  }

  /**
   * Adds the service to `parent`, leaving its current parent first. The
   * parent is set before `parent.addService(this)` runs (a running parent
   * starts the service at once, and the service may look at its parent
   * then); if the parent refuses the service (a child of the same name), it
   * is cleared again.
   *
   * @param parent The new parent.
   * @throws {Error} If `parent` already has a child of the same name, or
   *   what `parent.addService` throws.
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { deepEqual, equal } from "node:assert/strict";
   *
   * const s = new Service();
   * const p = new MultiService();
   * s.setServiceParent(p);
   * deepEqual([...p], [s]);
   * equal(s.parent, p);
   * ```
   */
  setServiceParent(parent: IServiceCollection): void {
    if (this.parent !== null) this.disownServiceParent();
    this.parent = parent;
    try {
      parent.addService(this);
    } catch (e) {
      if (![...parent].includes(this)) this.parent = null;
      throw e;
    }
  }

  /**
   * Removes the service from its parent (which stops it, if it is running)
   * and clears {@linkcode Service.parent}.
   *
   * @returns What the parent's `removeService` returned: with a
   *   `MultiService`, a Deferred that fires once the service has stopped if
   *   it was running, else nothing.
   * @throws {Error} If the service has no parent.
   *
   * @example Usage
   * ```ts
   * import { MultiService, Service } from "@torsion/torsion/application";
   * import { deepEqual, equal } from "node:assert/strict";
   *
   * const s = new Service();
   * const p = new MultiService();
   * s.setServiceParent(p);
   * s.disownServiceParent();
   * deepEqual([...p], []);
   * equal(s.parent, null);
   * ```
   */
  disownServiceParent(): void | PromiseLike<unknown> {
    const parent = this.parent;
    if (parent === null) {
      throw new Error(
        "Cannot disown the parent of the service: it has no parent",
      );
    }
    const d = parent.removeService(this);
    this.parent = null;
    return d;
  }

  /**
   * Does the start-up work that needs privileges (binding a port below
   * 1024); runs before {@linkcode Service.startService}. Does nothing here.
   *
   * @returns Nothing.
   */
  privilegedStartService(): void | PromiseLike<unknown> {}

  /**
   * Starts the service: sets {@linkcode Service.running}.
   *
   * @returns Nothing.
   */
  startService(): void | PromiseLike<unknown> {
    this.running = true;
  }

  /**
   * Stops the service: clears {@linkcode Service.running}.
   *
   * @returns Nothing.
   */
  stopService(): void | PromiseLike<unknown> {
    this.running = false;
  }

  /**
   * Returns a description such as `<Service "web">` or `<Service>`.
   *
   * @returns The description.
   *
   * @example Usage
   * ```ts
   * import { Service } from "@torsion/torsion/application";
   * import { equal } from "node:assert/strict";
   *
   * const s = new Service();
   * s.setName("web");
   * equal(String(s), '<Service "web">');
   * ```
   */
  toString(): string {
    const kind = this.constructor.name;
    return this.name === null
      ? `<${kind}>`
      : `<${kind} ${JSON.stringify(this.name)}>`;
  }
}
