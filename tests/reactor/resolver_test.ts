// Copyright 2026 the Torsion authors. MIT license.
// Name resolution: reactor.resolve, getHostByName, the SystemResolver and
// its timeout, and installResolver as the seam connectTCP/connectSSL use.
import { equal, match, ok, rejects } from "node:assert/strict";
import { fail, succeed } from "../../defer/mod.ts";
import {
  DefaultOpenSSLContextFactory,
  DNSLookupError,
  Factory,
  getHostByName,
  type IPv4Address,
  isIPAddress,
  isIPv6Address,
  optionsForClientTLS,
  SystemResolver,
} from "../../reactor/mod.ts";
import {
  Clock,
  failureResultOf,
  successResultOf,
} from "../../reactor/testing/mod.ts";
import { withReactor } from "../_reactor.ts";
import { collector, Echo, listen, Recorder } from "../_tcp.ts";

Deno.test("resolve() gives 0.0.0.0 for '', an IPv4 address itself, and looks names up", async () => {
  await withReactor(async (reactor) => {
    equal(successResultOf(reactor.resolve("")), "0.0.0.0");
    equal(successResultOf(reactor.resolve("192.0.2.7")), "192.0.2.7");
    equal(await reactor.resolve("localhost"), "127.0.0.1");
    equal(await getHostByName("localhost", { reactor }), "127.0.0.1");
  });
});

Deno.test("resolve() finds names from /etc/hosts", async () => {
  // An IPv4 entry of this machine's /etc/hosts (localhost if none other).
  let name = "localhost";
  let address = "127.0.0.1";
  try {
    for (const line of (await Deno.readTextFile("/etc/hosts")).split("\n")) {
      const [addr, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
      const other = names.find((n) => n !== "localhost" && n.length > 0);
      if (addr && isIPAddress(addr) && other !== undefined) {
        [name, address] = [other, addr];
        break;
      }
    }
  } catch {
    // No /etc/hosts: localhost it is.
  }
  await withReactor(async (reactor) => {
    equal(await reactor.resolve(name), address, `${name} in /etc/hosts`);
  });
});

Deno.test("resolve() of an unknown name fails with DNSLookupError naming it", async () => {
  await withReactor(async (reactor) => {
    await rejects(
      Promise.resolve(reactor.resolve("nonexistent.invalid")),
      (err: unknown) =>
        err instanceof DNSLookupError &&
        /address 'nonexistent\.invalid' not found: /.test(err.message),
    );
  });
});

Deno.test("SystemResolver fails a lookup after the summed timeouts", () => {
  const clock = new Clock();
  const resolver = new SystemResolver({
    callLater: (delay, f) => clock.callLater(delay, f),
    _backend: { lookupHost: () => new Promise<string>(() => {}) },
  });
  const d = resolver.getHostByName("slow.example", [1, 2]);
  clock.advance(2.9);
  equal(d.called, false);
  clock.advance(0.1);
  const f = failureResultOf(d, DNSLookupError);
  equal(
    f.getErrorMessage(),
    "DNS lookup failed: address 'slow.example' not found: timeout error.",
  );
  // Twisted's default schedule sums to 60 seconds.
  const d2 = resolver.getHostByName("slow.example");
  clock.advance(59.9);
  equal(d2.called, false);
  clock.advance(0.1);
  failureResultOf(d2, DNSLookupError);
});

Deno.test("SystemResolver without a backend lookup fails with DNSLookupError", () => {
  const clock = new Clock();
  const resolver = new SystemResolver({
    callLater: (delay, f) => clock.callLater(delay, f),
    _backend: {},
  });
  failureResultOf(resolver.getHostByName("x.example"), DNSLookupError);
  equal(clock.getDelayedCalls().length, 0);
});

Deno.test("installResolver() replaces the resolver of resolve() and returns the old one", async () => {
  await withReactor((reactor) => {
    const old = reactor.resolver;
    ok(old instanceof SystemResolver);
    const asked: string[] = [];
    const previous = reactor.installResolver({
      getHostByName(name) {
        asked.push(name);
        return succeed("10.9.8.7");
      },
    });
    equal(previous, old);
    equal(successResultOf(reactor.resolve("db.internal")), "10.9.8.7");
    equal(successResultOf(reactor.resolve("10.0.0.1")), "10.0.0.1");
    equal(asked.join(), "db.internal");
  });
});

Deno.test("connectTCP() and connectSSL() ask an installed resolver", async () => {
  await withReactor(async (reactor) => {
    const asked: string[] = [];
    reactor.installResolver({
      getHostByName(name) {
        asked.push(name);
        return name.endsWith(".test")
          ? succeed("127.0.0.1")
          : fail(new Error("no such name"));
      },
    });
    const [, n] = listen(reactor, Factory.forProtocol(Echo));
    const c = collector("via resolver", 12);
    reactor.connectTCP("echo.test", n, new Recorder(c.Collector));
    await c.lost;
    equal(new TextDecoder().decode(c.bytes()), "via resolver");

    const failed = new Recorder(Echo);
    reactor.connectTCP("elsewhere.example", n, failed);
    const reason = await failed.failed;
    ok(reason.check(DNSLookupError));
    match(
      reason.getErrorMessage(),
      /address 'elsewhere\.example' not found: no such name/,
    );

    // TLS: the address comes from the resolver, the name verified from the
    // context.
    const fixtures = new URL("transports/tls_fixtures/", import.meta.url)
      .pathname;
    const f = Factory.forProtocol(Echo);
    f.noisy = false;
    const port = reactor.listenSSL(
      0,
      f,
      new DefaultOpenSSLContextFactory(
        `${fixtures}server.key`,
        `${fixtures}server.pem`,
      ),
      { interface: "127.0.0.1" },
    );
    const tlsPort = (port.getHost() as IPv4Address).port;
    const t = collector("tls via resolver", 16);
    reactor.connectSSL(
      "secure.test",
      tlsPort,
      new Recorder(t.Collector),
      optionsForClientTLS("localhost", {
        trustRoot: { path: `${fixtures}ca.pem` },
      }),
    );
    await t.lost;
    equal(new TextDecoder().decode(t.bytes()), "tls via resolver");
    equal(asked.join(), "echo.test,elsewhere.example,secure.test");
  });
});

Deno.test("connectTCP() to an unknown host names it in the DNSLookupError", async () => {
  await withReactor(async (reactor) => {
    const f = new Recorder(Echo);
    reactor.connectTCP("nonexistent.invalid", 80, f);
    const reason = await f.failed;
    ok(reason.check(DNSLookupError));
    match(reason.getErrorMessage(), /'nonexistent\.invalid'/);
  });
});

Deno.test("isIPAddress and isIPv6Address", () => {
  ok(isIPAddress("127.0.0.1"));
  ok(!isIPAddress("256.0.0.1"));
  ok(!isIPAddress("1.2.3"));
  ok(!isIPAddress("localhost"));
  ok(isIPv6Address("::1"));
  ok(isIPv6Address("fe80::1%eth0"));
  ok(!isIPv6Address("127.0.0.1"));
  ok(!isIPv6Address("example.com"));
});
