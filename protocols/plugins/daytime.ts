// Copyright 2026 the Torsion authors. MIT license.
/**
 * The runner's `daytime` plugin: a {@linkcode Daytime} server (RFC 867) on
 * the endpoints given with `--listen` (default `tcp:8013`).
 *
 * ```sh
 * deno task run daytime --listen tcp:8013:interface=127.0.0.1
 * ```
 *
 * @module
 */

import type { IServiceMaker } from "../../reactor/application/service_maker.ts";
import { Factory } from "../../reactor/factory.ts";
import { Daytime } from "../wire.ts";
import { listenOption, listenService } from "./_listen.ts";

/**
 * The `daytime` plugin.
 *
 * @example Usage
 * ```ts
 * import { parseOptions } from "@torsion/torsion/application";
 * import { serviceMaker } from "./daytime.ts";
 * import { equal } from "node:assert/strict";
 *
 * const { options } = parseOptions(serviceMaker.options, []);
 * equal(options.listen?.toString(), "tcp:8013");
 * ```
 */
export const serviceMaker: IServiceMaker = {
  tapname: "daytime",
  description: "A daytime server (RFC 867): sends the local time and hangs up.",
  options: {
    parameters: [listenOption("tcp:8013")],
  },
  makeService(options) {
    return listenService(options.listen, Factory.forProtocol(Daytime));
  },
};
