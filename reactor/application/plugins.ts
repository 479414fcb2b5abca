// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode getPlugins}: the runner's built-in plugins (Twisted's
 * `twisted/plugins/twisted_*.py`), each a {@linkcode ServiceMaker} naming
 * the module that builds it. The modules live with the protocols they serve
 * (`protocols/plugins/`) and are loaded only when run, so this layer never
 * imports the protocols.
 *
 * @module
 */

import { ServiceMaker } from "./service_maker.ts";

/** A module of `protocols/plugins/`, by file name. */
function builtin(file: string): string {
  return new URL(`../../protocols/plugins/${file}`, import.meta.url).href;
}

/**
 * Returns the built-in plugins, sorted by name: `daytime` (RFC 867),
 * `echo` (RFC 862), `qotd` (RFC 865). Each takes `--listen ENDPOINT`
 * (repeatable; `tcp:8000:interface=127.0.0.1`, or a bare port number).
 *
 * @returns The plugins, not loaded yet.
 *
 * @example Usage
 * ```ts
 * import { getPlugins } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(getPlugins().map((p) => p.tapname), ["daytime", "echo", "qotd"]);
 * ```
 */
export function getPlugins(): ServiceMaker[] {
  return [
    new ServiceMaker(
      "Torsion Daytime",
      builtin("daytime.ts"),
      "A daytime server (RFC 867): sends the local time and hangs up.",
      "daytime",
    ),
    new ServiceMaker(
      "Torsion Echo",
      builtin("echo.ts"),
      "An echo server (RFC 862): sends back what it receives.",
      "echo",
    ),
    new ServiceMaker(
      "Torsion QOTD",
      builtin("qotd.ts"),
      "A Quote of the Day server (RFC 865): sends a quote and hangs up.",
      "qotd",
    ),
  ];
}
