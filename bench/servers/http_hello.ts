// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
// Torsion's HTTP "hello" server for ../shared/bench/http_compare.sh: a
// Resource answering every GET with 200 "Hello, world!" (13 bytes),
// keep-alive, no access log (as the Twisted peer). Prints the port.
// Run: deno run --allow-net=127.0.0.1 bench/servers/http_hello.ts PORT
import { type Request, Resource, Site } from "../../protocols/http/mod.ts";
import { type IPv4Address, reactor } from "../../reactor/mod.ts";

const body = new TextEncoder().encode("Hello, world!");

class Hello extends Resource {
  override isLeaf = true;
  renderGET(request: Request): Uint8Array {
    request.setHeader("content-type", "text/plain");
    return body;
  }
  renderPOST(request: Request): Uint8Array {
    return this.renderGET(request);
  }
}

const site = new Site(new Hello());
site.log = () => {}; // No access log on the hot path.
const port = reactor.listenTCP(Number(Deno.args[0] ?? 0), site, {
  interface: "127.0.0.1",
  backlog: 511,
});
console.log((port.getHost() as IPv4Address).port);
reactor.run();
