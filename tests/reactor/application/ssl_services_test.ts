// Copyright 2026 the Torsion authors. MIT license.
// SSLServer and SSLClient: on a MemoryReactor (the calls they make), and
// on a real reactor (a TLS echo through both services).
import { deepEqual, equal, ok } from "node:assert/strict";
import { SSLClient, SSLServer } from "../../../reactor/application/mod.ts";
import {
  ClientFactory,
  DefaultOpenSSLContextFactory,
  Factory,
  type IPv4Address,
  optionsForClientTLS,
  Protocol,
} from "../../../reactor/mod.ts";
import { MemoryReactor } from "../../../reactor/testing/mod.ts";
import { signal, withReactor } from "../../_reactor.ts";
import { Echo } from "../../_tcp.ts";

const FIXTURES =
  new URL("../transports/tls_fixtures/", import.meta.url).pathname;
const serverContext = () =>
  new DefaultOpenSSLContextFactory(
    `${FIXTURES}server.key`,
    `${FIXTURES}server.pem`,
  );

Deno.test("SSLServer listens with listenSSL's arguments and stops listening", async () => {
  const reactor = new MemoryReactor();
  const factory = Factory.forProtocol(Protocol);
  const ctx = serverContext();
  const server = new SSLServer(8443, factory, ctx, {
    backlog: 7,
    interface: "127.0.0.1",
    reactor,
  });
  server.privilegedStartService();
  server.startService();
  deepEqual(reactor.sslServers, [[8443, factory, ctx, 7, "127.0.0.1"]]);
  ok(server.listeningPort !== null);
  await server.stopService();
  equal(server.listeningPort, null);
});

Deno.test("SSLClient connects with connectSSL's arguments and disconnects on stop", () => {
  const reactor = new MemoryReactor();
  const factory = new ClientFactory();
  const ctx = optionsForClientTLS("example.com");
  const client = new SSLClient("example.com", 443, factory, ctx, {
    timeout: 5,
    reactor,
  });
  client.startService();
  deepEqual(reactor.sslClients, [["example.com", 443, factory, ctx, 5, null]]);
  client.stopService();
  equal(reactor.connectors[0].disconnected, true);
  equal(client.connector, null);
});

Deno.test("SSLServer and SSLClient carry a TLS echo on a real reactor", async () => {
  await withReactor(async (reactor) => {
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    const server = new SSLServer(0, f, serverContext(), {
      interface: "127.0.0.1",
      reactor,
    });
    server.startService();
    const n = (server.listeningPort!.getHost() as IPv4Address).port;
    const [echoed, onEcho] = signal<string>();
    class Client extends Protocol {
      override connectionMade(): void {
        this.transport.write("service echo");
      }
      override dataReceived(d: Uint8Array): void {
        onEcho(new TextDecoder().decode(d));
        this.transport.loseConnection();
      }
    }
    const cf = new ClientFactory();
    cf.noisy = false;
    cf.protocol = Client;
    const client = new SSLClient(
      "127.0.0.1",
      n,
      cf,
      optionsForClientTLS("localhost", {
        trustRoot: { path: `${FIXTURES}ca.pem` },
      }),
      { reactor },
    );
    client.startService();
    equal(await echoed, "service echo");
    client.stopService();
    await server.stopService();
  });
});
