// Copyright 2026 the Torsion authors. MIT license.
// A Torsion Protocol echo server for the loopback load tests.
// Run: deno run --allow-net=127.0.0.1 bench/servers/echo.ts PORT
import { Factory, Protocol, reactor } from "../../reactor/mod.ts";

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

const port = Number(Deno.args[0] ?? 8000);
const factory = Factory.forProtocol(Echo);
factory.noisy = false;
// Deno's default backlog, as the raw baseline uses.
reactor.listenTCP(port, factory, { interface: "127.0.0.1", backlog: 511 });
reactor.run();
