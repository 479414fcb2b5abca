// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// Torsion's echo server (`Echo` from the wire protocols, which is lent its
// read buffers: `keepsReceivedData = false`) for the loopback load tests.
// Prints the port it listens on (useful with port 0).
// Run: deno run --allow-net=127.0.0.1 bench/servers/echo.ts PORT
import { Echo } from "../../protocols/wire.ts";
import { Factory, type IPv4Address, reactor } from "../../reactor/mod.ts";

const factory = Factory.forProtocol(Echo);
factory.noisy = false;
// Deno's default backlog, as the raw baseline has.
const port = reactor.listenTCP(Number(Deno.args[0] ?? 0), factory, {
  interface: "127.0.0.1",
  backlog: 511,
});
console.log((port.getHost() as IPv4Address).port);
reactor.run();
