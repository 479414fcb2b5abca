// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode UDPPort} and {@linkcode MulticastPort}: UDP sockets driving a
 * {@linkcode DatagramProtocol} (Twisted's `udp.Port` and
 * `udp.MulticastPort`).
 *
 * A port is IPv6 when its interface is an IPv6 address (`"::1"`, `"::"`
 * for all), else IPv4 (the default interface `""` means all IPv4
 * addresses), as Twisted picks `AF_INET6`: `getHost()` returns an
 * {@linkcode IPv6Address} then, and `write`/`connect` take addresses of
 * the port's family only (`InvalidAddressError` otherwise). A port on `::`
 * also receives IPv4 datagrams, from IPv4-mapped addresses
 * (`::ffff:127.0.0.1`), and can answer them there.
 *
 * What the Deno backend's sockets can and cannot do (measured, see
 * `reactor/backends/deno/deno_datagram.ts`): they bind synchronously and
 * need no `--unstable-net`; connected mode is emulated here (datagrams from
 * other senders are dropped by the port), because `node:dgram`'s
 * `connect()` in Deno 2.9.6 never connects the system's socket (every send
 * is a `sendto`, seen with `strace`); so a refused datagram is never
 * reported and `connectionRefused` is not called (Twisted calls it when a
 * connected socket gets `ECONNREFUSED`); a send error (unroutable address,
 * broadcast without `setBroadcastAllowed(true)`) is logged, because sends
 * complete after `write()` returns. Multicast is IPv4 only.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import * as log from "../../defer/log.ts";
import { fail, succeed } from "../../defer/succeed.ts";
import type {
  NetDatagramSocket,
  ReactorResource,
  TransportReactor,
} from "../backend.ts";
import { IPv4Address, IPv6Address } from "../address.ts";
import {
  CannotListenError,
  InvalidAddressError,
  MessageLengthError,
  MulticastJoinError,
} from "../errors.ts";
import type {
  DatagramAddress,
  IDatagramProtocol,
  IMulticastTransport,
  IUDPTransport,
} from "../interfaces.ts";
import { isIPAddress, isIPv6Address } from "../resolver.ts";

/**
 * Bytes of datagrams held for a port whose reactor has not run yet (the
 * default receive buffer of a Linux socket); more are dropped, as the
 * system would.
 */
const EARLY_LIMIT = 212_992;

/** The largest UDP payload over IPv4. */
const MAX_IPV4_PAYLOAD = 65_507;
/** The largest UDP payload over IPv6 (no jumbograms). */
const MAX_IPV6_PAYLOAD = 65_527;

const encoder = new TextEncoder();

/** How a {@linkcode UDPPort} binds. */
export interface UDPPortOptions {
  /**
   * The address to bind: IPv4 (`""`: all IPv4 addresses) or IPv6 (`"::"`:
   * all), which makes the port IPv6.
   */
  readonly interface: string;
  /** Longer datagrams are truncated to this many bytes. */
  readonly maxPacketSize: number;
  /** Whether other sockets may bind the same port (multicast). */
  readonly listenMultiple: boolean;
}

/**
 * An IPv6 address in one spelling (`0:0::1` and `::1` are the same peer;
 * so are `::ffff:127.0.0.1` and `::ffff:7f00:1`), its scope id kept; any
 * other host as it is.
 */
function canonicalIPv6(host: string): string {
  if (!host.includes(":")) return host;
  const at = host.indexOf("%");
  const addr = at === -1 ? host : host.slice(0, at);
  try {
    return new URL(`http://[${addr}]/`).hostname.slice(1, -1) +
      (at === -1 ? "" : host.slice(at));
  } catch {
    return host;
  }
}

function protocolPrefix(protocol: IDatagramProtocol): string {
  try {
    const p = protocol as { logPrefix?: () => string };
    return p.logPrefix?.() ?? protocol.constructor.name;
  } catch {
    return protocol.constructor.name;
  }
}

/**
 * A UDP port (Twisted's `udp.Port`), made by `reactor.listenUDP`: bound
 * synchronously, it connects its protocol at once (`startProtocol` runs
 * inside `listenUDP`) and, once the reactor runs, hands it each datagram
 * that arrives, truncated to `maxPacketSize` bytes as Twisted's
 * `recvfrom(maxPacketSize)` does (datagrams that arrive before the reactor
 * runs are held, up to 212,992 bytes, and delivered when it starts). A
 * throw from `datagramReceived` is logged and the port keeps serving.
 *
 * The port is IPv6 when its interface is an IPv6 address, IPv4 otherwise
 * (see the module notes). `write(datagram, [host, port])` sends at once
 * and in order; the host must be an IP address of the port's family
 * (`InvalidAddressError` otherwise) and the datagram at most 65,507 bytes
 * over IPv4, 65,527 over IPv6 (`MessageLengthError` otherwise). After
 * `connect(host, port)` writes go to that peer and datagrams from anyone
 * else are dropped.
 *
 * @example Usage
 * ```ts
 * import { DatagramProtocol, IPv4Address, Reactor } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const port = reactor.listenUDP(0, new DatagramProtocol(), { interface: "127.0.0.1" });
 * ok((port.getHost() as IPv4Address).port > 0);
 * await port.stopListening();
 * ```
 */
export class UDPPort implements IUDPTransport, ReactorResource {
  /** The protocol. */
  readonly protocol: IDatagramProtocol;
  /** The port asked for (0: any). */
  readonly port: number;
  /** The interface asked for (`""`: all IPv4 addresses). */
  readonly interface: string;
  /** Whether the port is IPv6 (its interface is an IPv6 address). */
  readonly isIPv6: boolean;
  /** Longer datagrams are truncated to this many bytes. */
  readonly maxPacketSize: number;
  /** Whether the port is listening. */
  connected = false;
  /** The backend's socket while listening. */
  protected _socket: NetDatagramSocket | null = null;
  readonly #reactor: TransportReactor;
  readonly #listenMultiple: boolean;
  #connectedAddr: DatagramAddress | null = null;
  /** The connected peer's host in canonical form (IPv6), for the filter. */
  #connectedHost = "";
  #broadcast = false;
  #host: IPv4Address | IPv6Address | null = null;
  #stopped: Deferred<void> | null = null;
  /** The port number bound, for the log line at close. */
  #boundPort = 0;
  /** Whether datagrams are delivered (the reactor runs). */
  #live = false;
  /** Datagrams that arrived before the reactor ran. */
  #early: [Uint8Array, string, number][] = [];
  #earlyBytes = 0;

  /**
   * Made by the reactor's `listenUDP`/`listenMulticast`.
   *
   * @param reactor The reactor.
   * @param port The port (0: any).
   * @param protocol The protocol.
   * @param options Interface, maximum packet size, port sharing.
   * @throws {InvalidAddressError} If the interface is not an IPv4 or IPv6
   *   address.
   */
  constructor(
    reactor: TransportReactor,
    port: number,
    protocol: IDatagramProtocol,
    options: UDPPortOptions,
  ) {
    const iface = options.interface;
    const ipv6 = typeof iface === "string" && isIPv6Address(iface);
    if (
      typeof iface !== "string" ||
      (iface !== "" && !ipv6 && !isIPAddress(iface))
    ) {
      throw new InvalidAddressError(
        String(iface),
        "not an IPv4 or IPv6 address.",
      );
    }
    this.#reactor = reactor;
    this.port = port;
    this.protocol = protocol;
    this.interface = iface;
    this.isIPv6 = ipv6;
    this.maxPacketSize = options.maxPacketSize;
    this.#listenMultiple = options.listenMultiple;
  }

  /**
   * Binds the socket and connects the protocol, synchronously.
   *
   * @throws {CannotListenError} If the port cannot be bound.
   */
  startListening(): void {
    if (this.connected) return;
    const net = this.#reactor._backend;
    let socket: NetDatagramSocket;
    try {
      if (net.listenUDP === undefined) {
        throw new Error("this reactor's backend has no UDP");
      }
      socket = net.listenUDP({
        hostname: this.interface || "0.0.0.0",
        port: this.port,
        reuseAddress: this.#listenMultiple,
      });
    } catch (e) {
      throw new CannotListenError(this.interface, this.port, e);
    }
    this._socket = socket;
    this.#boundPort = socket.address.port;
    this.#host = null;
    this.#connectedAddr = null;
    this.#connectedHost = "";
    this.#broadcast = false;
    this.connected = true;
    log.msg(
      `${protocolPrefix(this.protocol)} starting on ${socket.address.port}`,
    );
    this.#reactor._addResource(this);
    this.#live = false;
    this.#early = [];
    this.#earlyBytes = 0;
    socket.start(
      (data, host, port) => this.#received(socket, data, host, port),
      (e) => log.err(e, `Error on UDP port ${socket.address.port}`),
    );
    this.#reactor.callWhenRunning(() => this.#goLive(socket));
    try {
      this.protocol.makeConnection(this);
    } catch (e) {
      log.err(e, "Error starting a datagram protocol");
    }
  }

  #received(
    socket: NetDatagramSocket,
    data: Uint8Array,
    host: string,
    port: number,
  ): void {
    if (socket !== this._socket) return;
    if (!this.#live) {
      if (this.#earlyBytes + data.length <= EARLY_LIMIT) {
        this.#early.push([data, host, port]);
        this.#earlyBytes += data.length;
      }
      return;
    }
    this.#deliver(data, host, port);
  }

  /** The reactor runs: deliver what arrived before, then as it comes. */
  #goLive(socket: NetDatagramSocket): void {
    if (socket !== this._socket || this.#live) return;
    this.#live = true;
    const early = this.#early;
    this.#early = [];
    this.#earlyBytes = 0;
    for (const [data, host, port] of early) {
      if (socket !== this._socket) return;
      this.#deliver(data, host, port);
    }
  }

  #deliver(data: Uint8Array, host: string, port: number): void {
    const peer = this.#connectedAddr;
    if (
      peer !== null &&
      (peer[1] !== port ||
        (peer[0] !== host && this.#connectedHost !== canonicalIPv6(host)))
    ) {
      return;
    }
    if (data.length > this.maxPacketSize) {
      data = data.subarray(0, this.maxPacketSize);
    }
    try {
      this.protocol.datagramReceived(data, [host, port]);
    } catch (e) {
      try {
        log.err(e, "Unhandled error in datagramReceived");
      } catch {
        // Logging failed too; the port keeps serving.
      }
    }
  }

  /**
   * Sends one datagram, in order with earlier ones. The send completes
   * after this returns; its error, if any, is logged.
   *
   * @param datagram The bytes (a string is sent as UTF-8).
   * @param addr The peer's `[ip, port]`; omitted (or the same peer) once
   *   connected. `"<broadcast>"` stands for `255.255.255.255` (IPv4 ports).
   * @throws {InvalidAddressError} If the host is not an IP address, or not
   *   one of the port's family (IPv4 or IPv6).
   * @throws {MessageLengthError} If the datagram is over 65,507 bytes
   *   (IPv4) or 65,527 bytes (IPv6).
   * @throws {Error} If not listening, if no address is given on an
   *   unconnected port, or another one on a connected port.
   */
  write(datagram: Uint8Array | string, addr?: DatagramAddress): void {
    const socket = this._socket;
    if (socket === null) {
      throw new Error("Cannot write: the UDP port is not listening");
    }
    let host: string;
    let port: number;
    const peer = this.#connectedAddr;
    if (peer !== null) {
      if (addr !== undefined && (addr[0] !== peer[0] || addr[1] !== peer[1])) {
        throw new Error(
          `Cannot write to ${addr[0]}:${
            addr[1]
          }: this UDP port is connected to ${peer[0]}:${peer[1]}`,
        );
      }
      [host, port] = peer;
    } else {
      if (addr === undefined) {
        throw new Error(
          "Cannot write: an unconnected UDP port needs an address",
        );
      }
      [host, port] = addr;
      const v4 = host === "<broadcast>" || isIPAddress(host);
      if (!v4 && !isIPv6Address(host)) {
        throw new InvalidAddressError(
          host,
          "write() only accepts IP addresses, not hostnames",
        );
      }
      if (v4 && this.isIPv6) {
        throw new InvalidAddressError(
          host,
          "IPv6 port write() called with IPv4 or broadcast address",
        );
      }
      if (!v4 && !this.isIPv6) {
        throw new InvalidAddressError(
          host,
          "IPv4 port write() called with IPv6 address",
        );
      }
      if (host === "<broadcast>") host = "255.255.255.255";
    }
    const bytes = typeof datagram === "string"
      ? encoder.encode(datagram)
      : datagram;
    if (
      bytes.length > (this.isIPv6 ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD)
    ) {
      throw new MessageLengthError("message too long");
    }
    socket.send(bytes, host, port).catch((e) => {
      if (socket !== this._socket) return;
      log.err(e, `Cannot send a datagram to ${host}:${port}`);
    });
  }

  /**
   * Sends the concatenation of `seq` as one datagram.
   *
   * @param seq The parts.
   * @param addr As for {@linkcode UDPPort.write}.
   */
  writeSequence(
    seq: Iterable<Uint8Array | string>,
    addr?: DatagramAddress,
  ): void {
    const parts = [...seq].map((p) =>
      typeof p === "string" ? encoder.encode(p) : p
    );
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    this.write(all, addr);
  }

  /**
   * Connects the port to one peer: writes go there, datagrams from other
   * senders are dropped.
   *
   * @param host The peer's IP address, of the port's family.
   * @param port The peer's port.
   * @throws {Error} If connected already (Twisted does not reconnect).
   * @throws {InvalidAddressError} If `host` is not an IP address, or not
   *   one of the port's family (Twisted's socket `connect` fails there).
   */
  connect(host: string, port: number): void {
    if (this.#connectedAddr !== null) {
      throw new Error(
        "already connected, reconnecting is not currently supported",
      );
    }
    const v4 = isIPAddress(host);
    if (!v4 && !isIPv6Address(host)) {
      throw new InvalidAddressError(host, "not an IPv4 or IPv6 address.");
    }
    if (v4 === this.isIPv6) {
      throw new InvalidAddressError(
        host,
        this.isIPv6
          ? "IPv6 port connect() called with IPv4 address"
          : "IPv4 port connect() called with IPv6 address",
      );
    }
    this.#connectedAddr = [host, port];
    this.#connectedHost = v4 ? host : canonicalIPv6(host);
  }

  /**
   * Stops listening: the socket closes now (no datagram is delivered
   * afterwards); once the system has released it (a later turn), the
   * protocol's `stopProtocol` runs and the Deferred fires, and the port
   * can be bound again.
   *
   * @returns A Deferred that fires once the protocol is stopped.
   */
  stopListening(): Deferred<void> {
    if (!this.connected) return this.#stopped ?? succeed(undefined);
    if (this.#stopped !== null) return this.#stopped;
    const d = new Deferred<void>();
    this.#stopped = d;
    this.#reactor._track(
      this.#closeSocket().then(() => this.#connectionLost(d)),
    );
    return d;
  }

  /** Closes the socket; resolves once the system released it. */
  #closeSocket(): Promise<void> {
    const socket = this._socket!;
    this._socket = null;
    try {
      return socket.close().catch((e) => {
        log.err(e, "Error closing a UDP socket");
      });
    } catch (e) {
      log.err(e, "Error closing a UDP socket");
      return Promise.resolve();
    }
  }

  #connectionLost(d: Deferred<void>): void {
    if (this.#stopped !== d) return;
    this.#stopped = null;
    this.connected = false;
    this.#reactor._removeResource(this);
    log.msg(`(UDP Port ${this.#boundPort} Closed)`);
    try {
      this.protocol.doStop();
    } catch (e) {
      log.err(e, "Error stopping a datagram protocol");
    }
    d.callback(undefined);
  }

  /**
   * The reactor is shutting down: close now and stop the protocol at once;
   * the shutdown waits for the system to release the socket.
   *
   * @ignore
   */
  _reactorShutdown(): void {
    if (!this.connected) return;
    const d = this.#stopped ?? new Deferred<void>();
    this.#stopped = d;
    if (this._socket !== null) this.#reactor._track(this.#closeSocket());
    this.#connectionLost(d);
  }

  /**
   * Returns the bound address, with the real port when 0 was asked: an
   * {@linkcode IPv6Address} on an IPv6 port (flow info and scope id 0, as
   * Twisted's), else an {@linkcode IPv4Address}.
   *
   * @throws {Error} If not listening.
   */
  getHost(): IPv4Address | IPv6Address {
    if (this.#host !== null && this._socket !== null) return this.#host;
    const socket = this._socket;
    if (socket === null) {
      throw new Error("Cannot tell the address: the UDP port is not listening");
    }
    const { hostname, port } = socket.address;
    return this.#host = this.isIPv6
      ? new IPv6Address("UDP", hostname, port)
      : new IPv4Address("UDP", hostname, port);
  }

  /**
   * Allows or forbids sending to broadcast addresses (`SO_BROADCAST`).
   *
   * @param enabled Whether to allow it.
   */
  setBroadcastAllowed(enabled: boolean): void {
    this._socketOrThrow().setBroadcast(enabled);
    this.#broadcast = enabled;
  }

  /** Whether sending to broadcast addresses is allowed (`false` at first). */
  getBroadcastAllowed(): boolean {
    return this.#broadcast;
  }

  /**
   * The socket, or an error saying the port is not listening.
   *
   * @ignore
   */
  protected _socketOrThrow(): NetDatagramSocket {
    if (this._socket === null) {
      throw new Error("The UDP port is not listening");
    }
    return this._socket;
  }

  /** Returns a description like Twisted's: `<Echo on 9999>`. */
  toString(): string {
    return `<${protocolPrefix(this.protocol)} on ${
      this._socket === null ? "(not listening)" : this._socket.address.port
    }>`;
  }
}

/**
 * A UDP port that can join multicast groups (Twisted's
 * `udp.MulticastPort`), made by `reactor.listenMulticast`. Loopback mode
 * starts on and the time to live at 1, as in Twisted. On loopback, join
 * with `joinGroup(group, "127.0.0.1")` and send with
 * `setOutgoingInterface("127.0.0.1")`. IPv4 only: an IPv6 interface
 * throws `InvalidAddressError` (Twisted binds one, but its group calls
 * take IPv4 addresses only, so such a port could never join a group).
 *
 * @example Usage
 * ```ts
 * import { DatagramProtocol, Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * const port = reactor.listenMulticast(0, new DatagramProtocol(), { listenMultiple: true });
 * equal(await port.joinGroup("228.0.0.5", "127.0.0.1"), true);
 * port.setTTL(2);
 * equal(port.getTTL(), 2);
 * await port.stopListening();
 * ```
 */
export class MulticastPort extends UDPPort implements IMulticastTransport {
  #loopback = true;
  #ttl = 1;
  #outgoing = "";

  /**
   * Made by the reactor's `listenMulticast`.
   *
   * @param reactor The reactor.
   * @param port The port (0: any).
   * @param protocol The protocol.
   * @param options Interface, maximum packet size, port sharing.
   * @throws {InvalidAddressError} If the interface is not an IPv4 address.
   */
  constructor(
    reactor: TransportReactor,
    port: number,
    protocol: IDatagramProtocol,
    options: UDPPortOptions,
  ) {
    super(reactor, port, protocol, options);
    if (this.isIPv6) {
      throw new InvalidAddressError(
        this.interface,
        "multicast ports are IPv4 only",
      );
    }
  }

  /** Whether multicast sent here is delivered to this host too (`true` at first). */
  getLoopbackMode(): boolean {
    return this.#loopback;
  }

  /**
   * Sets whether multicast sent here is delivered to this host too.
   *
   * @param mode Whether to loop it back.
   */
  setLoopbackMode(mode: boolean): void {
    this._socketOrThrow().setMulticastLoopback(mode);
    this.#loopback = mode;
  }

  /** The time to live of multicast sent here (1 at first). */
  getTTL(): number {
    return this.#ttl;
  }

  /**
   * Sets the time to live of multicast sent here.
   *
   * @param ttl 0 to 255.
   * @throws {Error} Out of range.
   */
  setTTL(ttl: number): void {
    this._socketOrThrow().setMulticastTTL(ttl);
    this.#ttl = ttl;
  }

  /** The interface multicast is sent from (`""`: the system's choice). */
  getOutgoingInterface(): string {
    return this.#outgoing;
  }

  /**
   * Sets the interface multicast is sent from.
   *
   * @param addr The interface's IPv4 address.
   * @returns A Deferred firing with `true`, or failing with the system's
   *   error.
   */
  setOutgoingInterface(addr: string): Deferred<boolean> {
    try {
      this._socketOrThrow().setMulticastInterface(addr);
    } catch (e) {
      return fail(e);
    }
    this.#outgoing = addr;
    return succeed(true);
  }

  /**
   * Joins a multicast group.
   *
   * @param addr The group's address (`224.0.0.0/4`).
   * @param iface The interface's address (`""`: the system's choice).
   * @returns A Deferred firing with `true`, or failing with
   *   `MulticastJoinError`.
   */
  joinGroup(addr: string, iface = ""): Deferred<boolean> {
    try {
      this._socketOrThrow().addMembership(addr, iface);
    } catch (e) {
      return fail(new MulticastJoinError(addr, iface, e));
    }
    return succeed(true);
  }

  /**
   * Leaves a multicast group.
   *
   * @param addr The group's address.
   * @param iface The interface it was joined on.
   * @returns A Deferred firing with `true`, or failing with
   *   `MulticastJoinError` (not a member, for one).
   */
  leaveGroup(addr: string, iface = ""): Deferred<boolean> {
    try {
      this._socketOrThrow().dropMembership(addr, iface);
    } catch (e) {
      return fail(new MulticastJoinError(addr, iface, e));
    }
    return succeed(true);
  }
}
