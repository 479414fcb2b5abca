// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// A Torsion Protocol echo under Twisted's contract (the bytes dataReceived
// gets are its to keep): what an echo costs without the lent read buffers
// of `echo.ts`. Prints the port it listens on (useful with port 0).
// Run: deno run --allow-net=127.0.0.1 bench/servers/echo_keeps.ts PORT
import {
  Factory,
  type IPv4Address,
  Protocol,
  reactor,
} from "../../reactor/mod.ts";

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

const factory = Factory.forProtocol(Echo);
factory.noisy = false;
// Deno's default backlog, as the raw baseline has.
const port = reactor.listenTCP(Number(Deno.args[0] ?? 0), factory, {
  interface: "127.0.0.1",
  backlog: 511,
});
console.log((port.getHost() as IPv4Address).port);
reactor.run();
