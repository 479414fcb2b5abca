// Copyright 2026 the Torsion authors. MIT license.
/**
 * Stream endpoints (Twisted's `twisted.internet.endpoints`): where to listen
 * or connect, as objects, and {@linkcode connectProtocol}.
 *
 * @module
 */

import { Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import { execute } from "../defer/maybe_deferred.ts";
import { ConnectingCancelledError, NoProtocol } from "./errors.ts";
import { ClientFactory, Factory } from "./factory.ts";
import type {
  IAddress,
  IConnector,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorSSL,
  IReactorTCP,
  IReactorUNIX,
  ITransport,
} from "./interfaces.ts";
import type {
  IOpenSSLClientConnectionCreator,
  IOpenSSLServerConnectionCreator,
} from "./ssl.ts";
import { Protocol } from "./protocol.ts";

/** Something that can listen (Twisted's `IStreamServerEndpoint`). */
export interface IStreamServerEndpoint {
  /**
   * Listens with `factory`.
   *
   * @param factory Builds a protocol per connection.
   * @returns A Deferred of the listening port (failed if it cannot listen).
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort>;
}

/** Something that can connect (Twisted's `IStreamClientEndpoint`). */
export interface IStreamClientEndpoint {
  /**
   * Connects, building the protocol with `factory`.
   *
   * @param factory Builds the protocol.
   * @returns A Deferred of the protocol, fired after its `connectionMade`;
   *   failed with the connection error. The factory's client hooks are not
   *   called. Cancelling it stops the attempt (`ConnectingCancelledError`).
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol>;
}

/** Options of the TCP server endpoints. */
export interface TCPServerEndpointOptions {
  /** The listen queue size. @default {50} */
  backlog?: number;
  /** The address to bind. @default {"" for TCP4, "::" for TCP6} */
  interface?: string;
}

/**
 * Listens on an IPv4 TCP port (Twisted's `TCP4ServerEndpoint`).
 *
 * @example Usage
 * ```ts
 * import { Factory, Protocol, Reactor, TCP4ServerEndpoint, type IPv4Address } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const endpoint = new TCP4ServerEndpoint(reactor, 0, { interface: "127.0.0.1" });
 * const factory = Factory.forProtocol(Protocol);
 * factory.noisy = false;
 * const port = await endpoint.listen(factory);
 * ok((port.getHost() as IPv4Address).port > 0);
 * await port.stopListening();
 * ```
 */
export class TCP4ServerEndpoint implements IStreamServerEndpoint {
  readonly #reactor: IReactorTCP;
  readonly #port: number;
  readonly #backlog: number;
  readonly #interface: string;

  /**
   * Creates a `TCP4ServerEndpoint`.
   *
   * @param reactor The reactor.
   * @param port The port (0: any).
   * @param options Backlog and interface.
   */
  constructor(
    reactor: IReactorTCP,
    port: number,
    options: TCPServerEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#port = port;
    this.#backlog = options.backlog ?? 50;
    this.#interface = options.interface ?? this.defaultInterface();
  }

  /** Returns the interface used when none is given: `""`, all IPv4 addresses. */
  protected defaultInterface(): string {
    return "";
  }

  /**
   * Listens.
   *
   * @param factory The factory.
   * @returns A Deferred of the port; failed with `CannotListenError`.
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    return execute(() =>
      this.#reactor.listenTCP(this.#port, factory, {
        backlog: this.#backlog,
        interface: this.#interface,
      })
    );
  }
}

/**
 * Listens on an IPv6 TCP port, by default on `::` (Twisted's
 * `TCP6ServerEndpoint`).
 *
 * @example Usage
 * ```ts
 * import { Reactor, TCP6ServerEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new TCP6ServerEndpoint(new Reactor(), 8080));
 * ```
 */
export class TCP6ServerEndpoint extends TCP4ServerEndpoint {
  /** Returns `"::"`. */
  protected override defaultInterface(): string {
    return "::";
  }
}

/** Options of the Unix server endpoint. */
export interface UNIXServerEndpointOptions {
  /** The listen queue size. @default {50} */
  backlog?: number;
  /** The socket file's permission bits. @default {0o666} */
  mode?: number;
  /** Whether to keep a `<path>.lock` file. @default {false} */
  wantPID?: boolean;
}

/**
 * Listens on a Unix socket (Twisted's `UNIXServerEndpoint`).
 *
 * @example Usage
 * ```ts
 * import { Reactor, UNIXServerEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new UNIXServerEndpoint(new Reactor(), "/tmp/example.sock"));
 * ```
 */
export class UNIXServerEndpoint implements IStreamServerEndpoint {
  readonly #reactor: IReactorUNIX;
  readonly #path: string;
  readonly #options: UNIXServerEndpointOptions;

  /**
   * Creates a `UNIXServerEndpoint`.
   *
   * @param reactor The reactor.
   * @param path The socket's path.
   * @param options Backlog, mode, lock file.
   */
  constructor(
    reactor: IReactorUNIX,
    path: string,
    options: UNIXServerEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#path = path;
    this.#options = options;
  }

  /**
   * Listens.
   *
   * @param factory The factory.
   * @returns A Deferred of the port; failed with `CannotListenError`.
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    return execute(() =>
      this.#reactor.listenUNIX(this.#path, factory, this.#options)
    );
  }
}

interface HalfCloseable {
  readConnectionLost?(): void;
  writeConnectionLost?(): void;
}

/** Connects the user's protocol once the connection is made, and fires the endpoint's Deferred. */
class WrappingProtocol extends Protocol {
  readonly #connected: Deferred<IProtocol>;
  readonly wrapped: IProtocol;

  constructor(connected: Deferred<IProtocol>, wrapped: IProtocol) {
    super();
    this.#connected = connected;
    this.wrapped = wrapped;
    // Half-close support is detected by the transport: offer it only if the
    // wrapped protocol has it.
    const w = wrapped as HalfCloseable;
    const self = this as HalfCloseable;
    if (typeof w.readConnectionLost === "function") {
      self.readConnectionLost = () => w.readConnectionLost!();
    }
    if (typeof w.writeConnectionLost === "function") {
      self.writeConnectionLost = () => w.writeConnectionLost!();
    }
    const h = wrapped as { handshakeCompleted?: () => void };
    if (typeof h.handshakeCompleted === "function") {
      (this as { handshakeCompleted?: () => void }).handshakeCompleted = () =>
        h.handshakeCompleted!();
    }
  }

  override logPrefix(): string {
    const w = this.wrapped as { logPrefix?: () => string };
    return w.logPrefix?.() ?? this.wrapped.constructor.name;
  }

  override connectionMade(): void {
    this.wrapped.makeConnection(this.transport as ITransport);
    this.#connected.callback(this.wrapped);
  }

  override dataReceived(data: Uint8Array): void {
    this.wrapped.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    this.wrapped.connectionLost(reason);
  }
}

/** The factory a client endpoint connects with: it forwards only start, stop and build. */
class WrappingFactory extends ClientFactory {
  override noisy = false;
  readonly onConnection: Deferred<IProtocol>;
  readonly #wrapped: IProtocolFactory;
  #connector: IConnector | null = null;

  constructor(wrapped: IProtocolFactory) {
    super();
    this.#wrapped = wrapped;
    this.onConnection = new Deferred<IProtocol>((d) => {
      const connector = this.#connector;
      d.errback(
        new ConnectingCancelledError(connector?.getDestination() ?? "unknown"),
      );
      try {
        connector?.stopConnecting();
      } catch {
        // Already connected or failed.
      }
    });
  }

  override startedConnecting(connector: IConnector): void {
    this.#connector = connector;
  }

  override doStart(): void {
    this.#wrapped.doStart();
  }

  override doStop(): void {
    this.#wrapped.doStop();
  }

  override buildProtocol(addr: IAddress): IProtocol | null {
    let proto: IProtocol | null;
    try {
      proto = this.#wrapped.buildProtocol(addr);
      if (proto === null) throw new NoProtocol();
    } catch (e) {
      if (!this.onConnection.called) this.onConnection.errback(e);
      return null;
    }
    return new WrappingProtocol(this.onConnection, proto);
  }

  override clientConnectionFailed(_c: IConnector, reason: Failure): void {
    if (!this.onConnection.called) this.onConnection.errback(reason);
  }
}

/** Options of the TCP client endpoints. */
export interface TCPClientEndpointOptions {
  /** Seconds before giving up. @default {30} */
  timeout?: number;
}

/**
 * Connects over TCP to a host and port (Twisted's `TCP4ClientEndpoint`;
 * host names are resolved, so it serves as `TCP6ClientEndpoint` and
 * `HostnameEndpoint` too).
 *
 * @example Usage
 * ```ts
 * import { ConnectionRefusedError, Factory, Protocol, Reactor, TCP4ClientEndpoint } from "@torsion/torsion/reactor";
 * import { rejects } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const running = reactor.run({ installSignalHandlers: false });
 * const endpoint = new TCP4ClientEndpoint(reactor, "127.0.0.1", 1);
 * await rejects(Promise.resolve(endpoint.connect(Factory.forProtocol(Protocol))), ConnectionRefusedError);
 * reactor.stop();
 * await running;
 * ```
 */
export class TCP4ClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorTCP;
  readonly #host: string;
  readonly #port: number;
  readonly #timeout: number;

  /**
   * Creates a `TCP4ClientEndpoint`.
   *
   * @param reactor The reactor.
   * @param host The host.
   * @param port The port.
   * @param options The timeout.
   */
  constructor(
    reactor: IReactorTCP,
    host: string,
    port: number,
    options: TCPClientEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#timeout = options.timeout ?? 30;
  }

  /**
   * Connects.
   *
   * @param factory Builds the protocol.
   * @returns A Deferred of the connected protocol.
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      this.#reactor.connectTCP(this.#host, this.#port, wf, {
        timeout: this.#timeout,
      });
    } catch (e) {
      wf.onConnection.errback(e);
    }
    return wf.onConnection;
  }
}

/**
 * Connects over TCP (an alias of {@linkcode TCP4ClientEndpoint}: host names
 * and addresses of both families work with either).
 *
 * @example Usage
 * ```ts
 * import { Reactor, TCP6ClientEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new TCP6ClientEndpoint(new Reactor(), "::1", 8080));
 * ```
 */
export class TCP6ClientEndpoint extends TCP4ClientEndpoint {}

/**
 * Connects to a Unix socket (Twisted's `UNIXClientEndpoint`).
 *
 * @example Usage
 * ```ts
 * import { Reactor, UNIXClientEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new UNIXClientEndpoint(new Reactor(), "/tmp/example.sock"));
 * ```
 */
export class UNIXClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorUNIX;
  readonly #path: string;
  readonly #timeout: number;

  /**
   * Creates a `UNIXClientEndpoint`.
   *
   * @param reactor The reactor.
   * @param path The socket's path.
   * @param options The timeout.
   */
  constructor(
    reactor: IReactorUNIX,
    path: string,
    options: TCPClientEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#path = path;
    this.#timeout = options.timeout ?? 30;
  }

  /**
   * Connects.
   *
   * @param factory Builds the protocol.
   * @returns A Deferred of the connected protocol.
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      this.#reactor.connectUNIX(this.#path, wf, { timeout: this.#timeout });
    } catch (e) {
      wf.onConnection.errback(e);
    }
    return wf.onConnection;
  }
}

/**
 * Listens on a TLS port (Twisted's `SSL4ServerEndpoint`), with
 * `reactor.listenSSL`.
 *
 * @example Usage
 * ```ts
 * import { DefaultOpenSSLContextFactory, Reactor, SSL4ServerEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const ctx = new DefaultOpenSSLContextFactory("server.key", "server.pem");
 * ok(new SSL4ServerEndpoint(new Reactor(), 8443, ctx, { interface: "127.0.0.1" }));
 * ```
 */
export class SSL4ServerEndpoint implements IStreamServerEndpoint {
  readonly #reactor: IReactorSSL;
  readonly #port: number;
  readonly #context: IOpenSSLServerConnectionCreator;
  readonly #backlog: number;
  readonly #interface: string;

  /**
   * Creates an `SSL4ServerEndpoint`.
   *
   * @param reactor The reactor.
   * @param port The port (0: any).
   * @param contextFactory The server's key and certificate.
   * @param options Backlog (default 50) and interface (default `""`).
   */
  constructor(
    reactor: IReactorSSL,
    port: number,
    contextFactory: IOpenSSLServerConnectionCreator,
    options: TCPServerEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#port = port;
    this.#context = contextFactory;
    this.#backlog = options.backlog ?? 50;
    this.#interface = options.interface ?? "";
  }

  /**
   * Listens.
   *
   * @param factory The factory.
   * @returns A Deferred of the port; failed with `CannotListenError`.
   */
  listen(factory: IProtocolFactory): Deferred<IListeningPort> {
    return execute(() =>
      this.#reactor.listenSSL(this.#port, factory, this.#context, {
        backlog: this.#backlog,
        interface: this.#interface,
      })
    );
  }
}

/**
 * Connects to a TLS server (Twisted's `SSL4ClientEndpoint`), with
 * `reactor.connectSSL`: the server is verified as the context says.
 *
 * @example Usage
 * ```ts
 * import { optionsForClientTLS, Reactor, SSL4ClientEndpoint } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(new SSL4ClientEndpoint(new Reactor(), "example.com", 443, optionsForClientTLS("example.com")));
 * ```
 */
export class SSL4ClientEndpoint implements IStreamClientEndpoint {
  readonly #reactor: IReactorSSL;
  readonly #host: string;
  readonly #port: number;
  readonly #context: IOpenSSLClientConnectionCreator;
  readonly #timeout: number;

  /**
   * Creates an `SSL4ClientEndpoint`.
   *
   * @param reactor The reactor.
   * @param host The host.
   * @param port The port.
   * @param contextFactory The client context.
   * @param options The timeout (default 30 seconds).
   */
  constructor(
    reactor: IReactorSSL,
    host: string,
    port: number,
    contextFactory: IOpenSSLClientConnectionCreator,
    options: TCPClientEndpointOptions = {},
  ) {
    this.#reactor = reactor;
    this.#host = host;
    this.#port = port;
    this.#context = contextFactory;
    this.#timeout = options.timeout ?? 30;
  }

  /**
   * Connects. The Deferred fires after `connectionMade`, which (as in
   * Twisted) comes before the handshake: a failed verification is reported
   * to the protocol's `connectionLost`.
   *
   * @param factory Builds the protocol.
   * @returns A Deferred of the connected protocol.
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    const wf = new WrappingFactory(factory);
    try {
      this.#reactor.connectSSL(this.#host, this.#port, wf, this.#context, {
        timeout: this.#timeout,
      });
    } catch (e) {
      wf.onConnection.errback(e);
    }
    return wf.onConnection;
  }
}

/**
 * Connects `protocol` (an instance) through `endpoint` (Twisted's
 * `connectProtocol`).
 *
 * @typeParam P The protocol type.
 * @param endpoint The client endpoint.
 * @param protocol The protocol instance.
 * @returns A Deferred of `protocol`, fired once it is connected.
 *
 * @example Usage
 * ```ts
 * import { connectProtocol, Protocol, Reactor, TCP4ClientEndpoint } from "@torsion/torsion/reactor";
 * import { rejects } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const running = reactor.run({ installSignalHandlers: false });
 * const d = connectProtocol(new TCP4ClientEndpoint(reactor, "127.0.0.1", 1), new Protocol());
 * await rejects(Promise.resolve(d));
 * reactor.stop();
 * await running;
 * ```
 */
export function connectProtocol<P extends IProtocol>(
  endpoint: IStreamClientEndpoint,
  protocol: P,
): Deferred<P> {
  class OneShot extends Factory {
    override noisy = false;
    override buildProtocol(): IProtocol {
      return protocol;
    }
  }
  return endpoint.connect(new OneShot()) as Deferred<P>;
}
