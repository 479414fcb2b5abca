// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode reactor}: the default reactor, built (or taken from
 * `installReactor`) when this module loads, as
 * `from twisted.internet import reactor` does.
 *
 * @module
 */

import { getReactor } from "./default.ts";
import type { Reactor } from "./reactor.ts";

/**
 * The default reactor, as `from twisted.internet import reactor` gives:
 * what Torsion's APIs use when no reactor or clock is passed.
 *
 * @example Usage
 * ```ts ignore
 * import { Factory, Protocol, reactor } from "@torsion/torsion";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * reactor.listenTCP(8000, Factory.forProtocol(Echo));
 * reactor.run();
 * ```
 */
export const reactor: Reactor = getReactor();
