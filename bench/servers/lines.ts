// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// A Torsion LineReceiver line-echo server for the loopback load tests:
// delimiter "\n", each line echoed with sendLine. Binary-safe, so it
// overrides the bytes hook (no decoding, as the raw baseline does none).
// Prints the port it listens on.
// Run: deno run --allow-net=127.0.0.1 bench/servers/lines.ts PORT
import { Factory, type IPv4Address, reactor } from "../../reactor/mod.ts";
import { LineReceiver } from "../../protocols/mod.ts";

class LineEcho extends LineReceiver {
  override delimiter = "\n";
  override MAX_LENGTH = 1 << 20;
  override lineReceivedBytes(line: Uint8Array): void {
    this.sendLine(line);
  }
}

const factory = Factory.forProtocol(LineEcho);
factory.noisy = false;
const port = reactor.listenTCP(Number(Deno.args[0] ?? 0), factory, {
  interface: "127.0.0.1",
  backlog: 511,
});
console.log((port.getHost() as IPv4Address).port);
reactor.run();
