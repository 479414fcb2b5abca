// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Port}: a listening TCP or Unix socket.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { Deferred as DeferredClass } from "../../defer/deferred.ts";
import * as log from "../../defer/log.ts";
import { succeed } from "../../defer/succeed.ts";
import type {
  NetListener,
  NetStream,
  ReactorResource,
  TransportReactor,
} from "../backend.ts";
import { tcpAddress, toIAddress } from "../_addresses.ts";
import { closeQuietly } from "./_close_quietly.ts";
import { makeTransport } from "./_make_transport.ts";
import { CannotListenError } from "../errors.ts";
import type {
  IAddress,
  IDelayedCall,
  IListeningPort,
  IProtocolFactory,
} from "../interfaces.ts";
import { UNIXAddress } from "../address.ts";
import type { IOpenSSLServerConnectionCreator } from "../ssl.ts";

/** Where a {@linkcode Port} listens. */
export type PortAddress =
  | {
    transport: "tcp";
    interface: string;
    port: number;
    backlog: number;
    /** A TLS port's context (`listenSSL`). */
    tls?: IOpenSSLServerConnectionCreator;
  }
  | {
    transport: "unix";
    path: string;
    backlog: number;
    mode: number;
    wantPID: boolean;
  };

/** Seconds to wait after an accept error. */
const ACCEPT_BACKOFF = 0.1;

/**
 * A listening socket (Twisted's `tcp.Port`/`unix.Port`), made by
 * `reactor.listenTCP`/`listenUNIX`: it accepts connections (once the reactor
 * runs) and builds a protocol for each with the factory; a factory returning
 * `null` refuses the connection (it is closed at once). An accept error is
 * logged, and after one that means a lack of resources (`EMFILE`...) the
 * port waits briefly before accepting again: it never stops listening by
 * itself.
 *
 * @example Usage
 * ```ts
 * import { Factory, IPv4Address, Protocol, Reactor } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const port = reactor.listenTCP(0, Factory.forProtocol(Protocol), { interface: "127.0.0.1" });
 * const host = port.getHost() as IPv4Address;
 * ok(host.port > 0);
 * await port.stopListening();
 * ```
 */
export class Port implements IListeningPort, ReactorResource {
  /** The factory building the protocols. */
  readonly factory: IProtocolFactory;
  /** Whether the port is listening. */
  connected = false;
  /** Whether `stopListening()` is under way. */
  disconnecting = false;
  readonly #reactor: TransportReactor;
  readonly #address: PortAddress;
  #listener: NetListener | null = null;
  #host: IAddress | null = null;
  #backoff: IDelayedCall | null = null;
  #wake: (() => void) | null = null;
  #stopped: DeferredClass<void> | null = null;
  /** The listener being closed by `stopListening()`. */
  #closing: NetListener | null = null;

  /**
   * Made by the reactor's `listenTCP`/`listenUNIX`.
   *
   * @param reactor The reactor.
   * @param address Where to listen.
   * @param factory The factory.
   */
  constructor(
    reactor: TransportReactor,
    address: PortAddress,
    factory: IProtocolFactory,
  ) {
    this.#reactor = reactor;
    this.#address = address;
    this.factory = factory;
  }

  /**
   * Binds and starts listening, synchronously; connections are accepted once
   * the reactor runs.
   *
   * @throws {CannotListenError} If the address cannot be bound.
   */
  startListening(): void {
    if (this.connected) return;
    const a = this.#address;
    const net = this.#reactor._backend;
    try {
      if (a.transport === "tcp" && a.tls !== undefined) {
        if (net.listenTLS === undefined) {
          throw new Error("this reactor's backend has no TLS");
        }
        this.#listener = net.listenTLS(
          a.interface || "0.0.0.0",
          a.port,
          a.backlog,
          a.tls.serverTLSConfig(),
        );
      } else if (a.transport === "tcp") {
        this.#listener = net.listenTCP(
          a.interface || "0.0.0.0",
          a.port,
          a.backlog,
        );
      } else {
        if (a.wantPID && !net.lockUNIX(a.path)) {
          throw new Error(`the lock file ${a.path}.lock is held`);
        }
        try {
          this.#listener = net.listenUNIX(a.path, a.backlog, a.mode);
        } catch (e) {
          if (a.wantPID) net.unlockUNIX(a.path);
          throw e;
        }
      }
    } catch (e) {
      throw new CannotListenError(
        a.transport === "tcp" ? a.interface : "",
        a.transport === "tcp" ? a.port : a.path,
        e,
      );
    }
    this.#host = null;
    this.connected = true;
    this.disconnecting = false;
    log.msg(`${this.#factoryPrefix()} starting on ${this.#portNumber()}`);
    this.factory.doStart();
    this.#reactor._addResource(this);
    const listener = this.#listener;
    this.#reactor.callWhenRunning(() => {
      if (this.#listener === listener && this.connected) {
        this.#reactor._track(this.#acceptLoop(listener));
      }
    });
  }

  #factoryPrefix(): string {
    const f = this.factory as { logPrefix?: () => string };
    return f.logPrefix?.() ?? this.factory.constructor.name;
  }

  #portNumber(): string | number {
    const a = this.#listener!.address;
    return a.transport === "tcp" ? a.port : a.path;
  }

  #acceptLoopRunning = false;

  async #acceptLoop(listener: NetListener): Promise<void> {
    this.#acceptLoopRunning = true;
    try {
      await this.#accepting(listener);
    } finally {
      this.#acceptLoopRunning = false;
      this.#finishClose(listener);
    }
  }

  async #accepting(listener: NetListener): Promise<void> {
    const net = this.#reactor._backend;
    for (;;) {
      let stream: NetStream;
      try {
        stream = await listener.accept();
      } catch (e) {
        if (this.#listener !== listener || net.isLocalClose(e)) break;
        log.err(e, `Error accepting a connection on ${this.#portNumber()}`);
        if (net.isResourceExhausted(e)) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
            this.#backoff = this.#reactor.callLater(ACCEPT_BACKOFF, resolve);
          });
          this.#backoff = null;
          this.#wake = null;
        }
        if (this.#listener !== listener) break;
        continue;
      }
      if (this.#listener !== listener) {
        closeQuietly(stream);
        break;
      }
      this.#accepted(stream);
    }
  }

  #accepted(stream: NetStream): void {
    const addr = toIAddress(stream.remoteAddress);
    let protocol;
    try {
      protocol = this.factory.buildProtocol(addr);
    } catch (e) {
      log.err(e, `Error building a protocol for ${addr}`);
      protocol = null;
    }
    if (protocol === null) {
      closeQuietly(stream);
      return;
    }
    try {
      makeTransport(this.#reactor, stream, protocol, null)._start();
    } catch (e) {
      // The transport reports what the protocol throws; this is the last
      // guard of the accept loop, which must go on.
      log.err(e, `Error setting up a connection from ${addr}`);
      closeQuietly(stream);
    }
  }

  /**
   * Stops listening. Connections already accepted stay open.
   *
   * @returns A Deferred that fires once the listener is closed and the
   *   factory's `doStop` has run.
   */
  stopListening(): Deferred<void> {
    if (!this.connected) return this.#stopped ?? succeed(undefined);
    if (this.#stopped !== null) return this.#stopped;
    this.disconnecting = true;
    const d = new DeferredClass<void>();
    this.#stopped = d;
    const listener = this.#listener!;
    this.#listener = null;
    this.#closing = listener;
    listener.close();
    this.#backoff?.cancel();
    this.#wake?.();
    // The accept loop (if there is one) finishes the close when its pending
    // accept() fails; this covers a port that never accepted.
    queueMicrotask(() => {
      if (!this.#acceptLoopRunning) this.#finishClose(listener);
    });
    return d;
  }

  #finishClose(listener: NetListener): void {
    if (this.#closing !== listener) return;
    this.#closing = null;
    this.connected = false;
    this.#reactor._removeResource(this);
    const a = this.#address;
    const where = listener.address.transport === "tcp"
      ? listener.address.port
      : a.transport === "unix"
      ? a.path
      : "";
    const kind = a.transport === "unix"
      ? "UNIX"
      : a.tls === undefined
      ? "TCP"
      : "TLS";
    log.msg(`(${kind} Port ${where} Closed)`);
    if (a.transport === "unix" && a.wantPID) {
      this.#reactor._backend.unlockUNIX(a.path);
    }
    try {
      this.factory.doStop();
    } catch (e) {
      log.err(e);
    }
    const d = this.#stopped;
    this.#stopped = null;
    d?.callback(undefined);
  }

  /** @ignore The reactor is shutting down: stop listening now. */
  _reactorShutdown(): void {
    this.stopListening();
  }

  /** Returns the address listened on, with the real port when 0 was asked. */
  getHost(): IAddress {
    if (this.#host !== null) return this.#host;
    const l = this.#listener;
    if (l === null) {
      const a = this.#address;
      return a.transport === "tcp"
        ? tcpAddress(a.interface || "0.0.0.0", a.port)
        : new UNIXAddress(a.path);
    }
    return this.#host = toIAddress(l.address);
  }

  /** Returns a description like Twisted's: `<EchoFactory on 8000>`. */
  toString(): string {
    return `<${this.#factoryPrefix()} on ${
      this.connected ? this.#portNumber() : "(not listening)"
    }>`;
  }
}
