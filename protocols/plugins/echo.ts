// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner's `echo` plugin: an {@linkcode Echo} server (RFC 862) on the
 * endpoints given with `--listen` (default `tcp:8000`).
 *
 * ```sh
 * deno task run echo --listen tcp:8000:interface=127.0.0.1
 * ```
 *
 * @module
 */

import type { IServiceMaker } from "../../reactor/application/service_maker.ts";
import { Factory } from "../../reactor/factory.ts";
import { Echo } from "../wire.ts";
import { listenOption, listenService } from "./_listen.ts";

/**
 * The `echo` plugin.
 *
 * @example Usage
 * ```ts
 * import { parseOptions } from "@torsion/torsion/application";
 * import { serviceMaker } from "./echo.ts";
 * import { equal } from "node:assert/strict";
 *
 * const { options } = parseOptions(serviceMaker.options, ["--listen", "tcp:0"]);
 * const service = await serviceMaker.makeService(options);
 * equal(service.running, false);
 * ```
 */
export const serviceMaker: IServiceMaker = {
  tapname: "echo",
  description: "An echo server (RFC 862): sends back what it receives.",
  options: {
    parameters: [listenOption("tcp:8000")],
  },
  makeService(options) {
    return listenService(options.listen, Factory.forProtocol(Echo));
  },
};
