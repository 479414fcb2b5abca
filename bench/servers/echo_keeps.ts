// Copyright 2026 the Torsion authors. MIT license.
// A Torsion Protocol echo under Twisted's contract (the bytes dataReceived
// gets are its to keep): what an echo costs without the lent read buffers
// of `echo.ts`. Prints the port it listens on (useful with port 0).
// Run: deno run --allow-net=127.0.0.1 bench/servers/echo_keeps.ts PORT [--tls]
import { Factory, Protocol } from "../../reactor/mod.ts";
import { serveTorsion } from "./_torsion.ts";

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

const factory = Factory.forProtocol(Echo);
factory.noisy = false;
serveTorsion(factory);
