// Copyright 2026 the Torsion authors. MIT license.
// Torsion's echo server (`Echo` from the wire protocols, which is lent its
// read buffers: `keepsReceivedData = false`) for the loopback load tests.
// Prints the port it listens on (useful with port 0).
// Run: deno run --allow-net=127.0.0.1 bench/servers/echo.ts PORT [--tls]
import { Echo } from "../../protocols/wire.ts";
import { Factory } from "../../reactor/mod.ts";
import { serveTorsion } from "./_torsion.ts";

const factory = Factory.forProtocol(Echo);
factory.noisy = false;
serveTorsion(factory);
