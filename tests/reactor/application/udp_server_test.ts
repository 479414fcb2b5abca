// Copyright 2026 the Torsion authors. MIT license.
// UDPServer: the listenUDP call it makes on a MemoryReactor, and a real port
// opened and closed with the service on the reactor under test.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { UDPServer } from "../../../reactor/application/mod.ts";
import {
  CannotListenError,
  type DatagramAddress,
  DatagramProtocol,
  type IPv4Address,
} from "../../../reactor/mod.ts";
import { MemoryReactor } from "../../../reactor/testing/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";

Deno.test("UDPServer calls listenUDP with its arguments when started, and stops listening", async () => {
  const reactor = new MemoryReactor();
  const protocol = new DatagramProtocol();
  const server = new UDPServer(5353, protocol, {
    interface: "127.0.0.1",
    maxPacketSize: 512,
    reactor,
  });
  deepEqual(reactor.udpServers, []);
  server.privilegedStartService();
  server.startService();
  deepEqual(reactor.udpServers, [[5353, protocol, "127.0.0.1", 512]]);
  ok(server.listeningPort !== null);
  await server.stopService();
  equal(server.listeningPort, null);
  equal(server.stopService(), undefined);
});

Deno.test("UDPServer opens a real port: datagrams arrive while it runs, stopProtocol runs when it stops", async () => {
  await withReactor(async (reactor) => {
    const [got, gotIt] = signal<[string, DatagramAddress]>();
    let stopped = 0;
    class Once extends DatagramProtocol {
      override datagramReceived(d: Uint8Array, addr: DatagramAddress): void {
        gotIt([new TextDecoder().decode(d), addr]);
      }
      override stopProtocol(): void {
        stopped++;
      }
    }
    const server = new UDPServer(0, new Once(), {
      interface: "127.0.0.1",
      reactor,
    });
    server.startService();
    const n = (server.listeningPort!.getHost() as IPv4Address).port;
    const sender = reactor.listenUDP(0, new DatagramProtocol(), {
      interface: "127.0.0.1",
    });
    sender.write("ping", ["127.0.0.1", n]);
    deepEqual(await got, ["ping", ["127.0.0.1", sender.getHost().port]]);
    const busy = new UDPServer(n, new DatagramProtocol(), {
      interface: "127.0.0.1",
      reactor,
    });
    throws(() => busy.startService(), CannotListenError);
    await server.stopService();
    equal(stopped, 1);
    await sender.stopListening();
  });
});
