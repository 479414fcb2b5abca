// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Application}: the root of a program's services, after
 * `twisted.application.service.Application`.
 *
 * @module
 */

import type { IProcess } from "./interfaces.ts";
import { MultiService } from "./multi_service.ts";

/** Options of {@linkcode Application}. */
export interface ApplicationOptions {
  /**
   * The user id the process should run as. Deno cannot switch users:
   * recorded, never applied.
   *
   * @default {null}
   */
  uid?: number | null;
  /**
   * The group id the process should run as. Deno cannot switch groups:
   * recorded, never applied.
   *
   * @default {null}
   */
  gid?: number | null;
}

/**
 * The root of a program's services (Twisted's `service.Application(name,
 * uid, gid)`): a {@linkcode MultiService} named `name` that also says how
 * the process should run ({@linkcode IProcess}). Services join it with
 * `setServiceParent(application)`; `startApplication` runs it on a reactor.
 *
 * Twisted builds a `Componentized` object that code reaches through
 * `IService(application)`, `IServiceCollection(application)` and
 * `IProcess(application)`; here the application is all three itself, and
 * those functions (exported too) return it. There is no persistence
 * (`IPersistable`, `.tap` files).
 *
 * @example Usage
 * ```ts
 * import { Application, IServiceCollection, Service } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * const application = new Application("demo");
 * const web = new Service();
 * web.setName("web");
 * web.setServiceParent(application);
 * equal(IServiceCollection(application).getServiceNamed("web"), web);
 * equal(application.name, "demo");
 * equal(application.uid, null);
 * ```
 */
export class Application extends MultiService implements IProcess {
  /** The name the process should have in `ps`, or `null`. Not applied on Deno. */
  processName: string | null = null;
  /** The user id the process should run as, or `null`. Not applied on Deno. */
  uid: number | null;
  /** The group id the process should run as, or `null`. Not applied on Deno. */
  gid: number | null;

  /**
   * Creates an application.
   *
   * @param name Its name (the name of its service).
   * @param options The user and group to run as (recorded only).
   */
  constructor(name: string, options: ApplicationOptions = {}) {
    super();
    this.uid = options.uid ?? null;
    this.gid = options.gid ?? null;
    this.setName(name);
  }
}
