// Copyright 2026 the Torsion authors. MIT license.
/**
 * Torsion: Twisted's event-driven networking model for Deno. This module
 * re-exports the whole public API: `./defer` (Deferreds, Failure, log),
 * `./reactor` (the reactor, protocols, factories, transports, endpoints,
 * scheduling) and `./protocols` (framing helpers, wire services, policies).
 * The test doubles are in `./testing`, the IRC client in `./irc`.
 *
 * Both `./defer` and `./reactor` have a `TimeoutError`, as Twisted does; here
 * `TimeoutError` is the Deferred's (`addTimeout`) and the connection timeout
 * is `ConnectTimeoutError`.
 *
 * ```ts
 * import { Factory, LineReceiver, Reactor } from "@torsion/torsion";
 * import { ok } from "node:assert/strict";
 *
 * class Hello extends LineReceiver {
 *   override connectionMade(): void {
 *     this.sendLine("hello");
 *     this.transport.loseConnection();
 *   }
 * }
 * const reactor = new Reactor();
 * const factory = Factory.forProtocol(Hello);
 * factory.noisy = false;
 * const port = reactor.listenTCP(0, factory, { interface: "127.0.0.1" });
 * ok(port.getHost().type === "TCP");
 * await port.stopListening();
 * ```
 *
 * @module
 */

export * from "./defer/mod.ts";
export * from "./reactor/mod.ts";
export * from "./protocols/mod.ts";
export { TimeoutError } from "./defer/mod.ts";
export { TimeoutError as ConnectTimeoutError } from "./reactor/mod.ts";
