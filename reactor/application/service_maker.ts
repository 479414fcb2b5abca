// Copyright 2026 the Torsion authors. MIT license.
/**
 * Plugins for the runner, after `twisted.application.service`'s
 * `IServiceMaker` and `ServiceMaker`: {@linkcode IServiceMaker} builds a
 * service from command-line options; {@linkcode ServiceMaker} names a
 * module that exports one, loaded only when the plugin is used.
 *
 * @module
 */

import { importModule } from "../_import_module.ts";
import type { IService } from "./interfaces.ts";
import type { OptionsDescription, ParsedOptions } from "./usage.ts";

/**
 * Something that builds a service from options (Twisted's
 * `IServiceMaker`): a runner plugin. A module that exports one as
 * `serviceMaker` can be run with its options:
 * `deno task run ./my_plugin.ts --port 8000`.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import {
 *   type IServiceMaker,
 *   parseOptions,
 *   strports,
 *   type StreamServerEndpointService,
 * } from "@torsion/torsion/application";
 * import { ok } from "node:assert/strict";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * export const serviceMaker: IServiceMaker = {
 *   tapname: "my-echo",
 *   description: "An echo server.",
 *   options: {
 *     parameters: [{
 *       name: "listen",
 *       default: "tcp:8000",
 *       description: "The endpoint to listen on.",
 *     }],
 *   },
 *   makeService(options): StreamServerEndpointService {
 *     return strports.service(String(options.listen), Factory.forProtocol(Echo));
 *   },
 * };
 * const { options } = parseOptions(serviceMaker.options, ["--listen", "tcp:0"]);
 * ok(await serviceMaker.makeService(options));
 * ```
 */
export interface IServiceMaker {
  /** The plugin's name, the runner's subcommand: `echo`, `web`. */
  readonly tapname: string;
  /** One line about what it serves, for `--help`. */
  readonly description: string;
  /** The plugin's own command-line options. */
  readonly options: OptionsDescription;
  /**
   * Builds the service the runner runs (under an `Application` named
   * after the plugin).
   *
   * @param options The parsed options.
   * @returns The service, or a promise of it.
   * @throws {UsageError} For options that cannot be used together or a
   *   value that makes no sense (the runner prints the plugin's help and
   *   exits with status 2).
   */
  makeService(options: ParsedOptions): IService | PromiseLike<IService>;
}

function isServiceMaker(value: unknown): value is IServiceMaker {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.tapname === "string" &&
    typeof v.description === "string" &&
    typeof v.options === "object" && v.options !== null &&
    typeof v.makeService === "function";
}

/**
 * Returns a module's `serviceMaker` export, checked.
 *
 * @param module The module's namespace.
 * @param where The module's URL, for the error.
 * @returns The plugin.
 * @throws {TypeError} If it has no `serviceMaker`, or one without
 *   `tapname`, `description`, `options` or `makeService`.
 */
export function serviceMakerOf(
  module: Record<string, unknown>,
  where: string,
): IServiceMaker {
  const maker = module.serviceMaker;
  if (!isServiceMaker(maker)) {
    throw new TypeError(
      `Cannot load the plugin in ${where}: it exports no serviceMaker with tapname, description, options and makeService`,
    );
  }
  return maker;
}

/**
 * A plugin known by name before it is loaded (Twisted's `ServiceMaker`):
 * the runner lists its `tapname` and `description` in `--help`, and loads
 * `module` (which exports a `serviceMaker`) only when it is run. This is
 * how the runner offers its built-in plugins without importing them.
 *
 * @example Usage
 * ```ts
 * import { ServiceMaker } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * const plugin = new ServiceMaker(
 *   "Torsion Echo",
 *   new URL("./echo_plugin.ts", import.meta.url).href,
 *   "An echo server.",
 *   "echo",
 * );
 * equal(plugin.tapname, "echo");
 * // await plugin.load() imports echo_plugin.ts and returns its serviceMaker.
 * ```
 */
export class ServiceMaker {
  /** A descriptive name: `"Twisted Web"`. */
  readonly name: string;
  /** The absolute URL of the module that exports the `serviceMaker`. */
  readonly module: string;
  /** One line about what it serves. */
  readonly description: string;
  /** The plugin's name, the runner's subcommand. */
  readonly tapname: string;

  /**
   * Names a plugin; nothing is loaded yet.
   *
   * @param name A descriptive name.
   * @param module The absolute URL of its module.
   * @param description One line about it.
   * @param tapname Its name on the command line.
   */
  constructor(
    name: string,
    module: string,
    description: string,
    tapname: string,
  ) {
    this.name = name;
    this.module = module;
    this.description = description;
    this.tapname = tapname;
  }

  /**
   * Imports the module and returns its `serviceMaker`.
   *
   * @returns The plugin.
   * @throws {TypeError} If the module exports no `serviceMaker`.
   */
  async load(): Promise<IServiceMaker> {
    return serviceMakerOf(await importModule(this.module), this.module);
  }
}
