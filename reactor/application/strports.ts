// Copyright 2026 the Torsion authors. MIT license.
/**
 * Listening services and ports from description strings such as
 * `"tcp:8000"` (Twisted's `twisted.application.strports`): the syntax of
 * `serverFromString`.
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import { getReactor } from "../default.ts";
import { type EndpointReactor, serverFromString } from "../endpoint_strings.ts";
import type { IListeningPort, IProtocolFactory } from "../interfaces.ts";
import { StreamServerEndpointService } from "./stream_server_endpoint_service.ts";

/** Options of {@linkcode service} and {@linkcode listen}. */
export interface StrportsOptions {
  /** The reactor to listen with. @default {the default reactor} */
  reactor?: EndpointReactor;
}

/**
 * Makes the service that listens on `description` with `factory` (Twisted's
 * `strports.service`): a {@linkcode StreamServerEndpointService} whose first
 * start throws if the port cannot be bound (`CannotListenError`), so that a
 * program does not start half-way.
 *
 * @param description Where to listen, as `serverFromString` reads it:
 *   `tcp:PORT[:interface=IP][:backlog=N]`, `tcp6:...`,
 *   `unix:PATH[:mode=666][:lockfile=1]`.
 * @param factory Builds a protocol per connection.
 * @param options The reactor.
 * @returns The service, not started.
 * @throws {RangeError} For an unknown endpoint type.
 * @throws {TypeError} For a malformed description.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { Application, strports } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const application = new Application("echo");
 * strports.service("tcp:8000", Factory.forProtocol(Protocol), { reactor })
 *   .setServiceParent(application);
 * application.privilegedStartService();
 * equal(reactor.tcpServers[0][0], 8000);
 * ```
 */
export function service(
  description: string,
  factory: IProtocolFactory,
  options: StrportsOptions = {},
): StreamServerEndpointService {
  const reactor = options.reactor ?? getReactor();
  return new StreamServerEndpointService(
    serverFromString(reactor, description),
    factory,
    { raiseSynchronously: true },
  );
}

/**
 * Listens on `description` with `factory` now (Twisted's `strports.listen`).
 *
 * @param description Where to listen, as for {@linkcode service}.
 * @param factory Builds a protocol per connection.
 * @param options The reactor.
 * @returns The listening port.
 * @throws {CannotListenError} If it cannot be bound.
 * @throws {RangeError} For an unknown endpoint type.
 * @throws {TypeError} For a malformed description.
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol } from "@torsion/torsion/reactor";
 * import { strports } from "@torsion/torsion/application";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const port = strports.listen("unix:/tmp/example.sock:mode=600", Factory.forProtocol(Protocol), { reactor });
 * equal(reactor.unixServers[0][3], 0o600);
 * await port.stopListening();
 * ```
 */
export function listen(
  description: string,
  factory: IProtocolFactory,
  options: StrportsOptions = {},
): IListeningPort {
  const reactor = options.reactor ?? getReactor();
  const d = serverFromString(reactor, description).listen(factory);
  // The string endpoints listen synchronously: the Deferred has fired.
  let port: IListeningPort | null = null;
  let failure: Failure | null = null;
  d.addCallbacks(
    (p) => {
      port = p;
    },
    (f: Failure) => {
      failure = f;
    },
  );
  if (failure !== null) throw (failure as Failure).value;
  if (port === null) {
    throw new Error(
      `Cannot listen on ${
        JSON.stringify(description)
      }: the endpoint did not listen at once`,
    );
  }
  return port;
}
