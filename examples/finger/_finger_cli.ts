// Copyright 2026 the Torsion authors. MIT license.
/**
 * The command line of the finger scripts (finger02.ts to finger09.ts):
 * `--port N` (default 1079, the tutorial's; 0: any free port) and
 * `--host H` (default 127.0.0.1), plus `--help`.
 *
 * @module
 */

import { cli, portNumber } from "../_cli.ts";

/**
 * Parses the finger scripts' flags.
 *
 * @param script The script's file name, for the usage text.
 * @param flags Deno's flags the script needs, for the usage text.
 * @returns The port and the address to listen on.
 */
export function fingerCli(
  script: string,
  flags = "--allow-net",
): { port: number; host: string } {
  const usage = `
Usage: deno run ${flags} examples/finger/${script} [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 1079]
             (finger's own port, 79, needs root)
  --host H   the address to listen on [default: 127.0.0.1]

Then: echo moshez | nc -C 127.0.0.1 1079
`;
  const { values } = cli(usage, {
    port: { type: "string", default: "1079" },
    host: { type: "string", default: "127.0.0.1" },
  });
  return { port: portNumber(usage, values.port), host: values.host };
}
