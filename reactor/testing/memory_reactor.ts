// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode MemoryReactor} and {@linkcode MemoryReactorClock}: reactors
 * that record what was asked of them instead of touching the network.
 *
 * @module
 */

import type { Deferred } from "../../defer/deferred.ts";
import { succeed } from "../../defer/succeed.ts";
import { tcpAddress } from "../_addresses.ts";
import { IPv4Address, UNIXAddress } from "../address.ts";
import { NotConnectingError } from "../errors.ts";
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IAddress,
  IConnector,
  IDatagramProtocol,
  IListeningPort,
  IProcessProtocol,
  IProtocolFactory,
  IReactorCore,
  IReactorProcess,
  IReactorSSL,
  IReactorTCP,
  IReactorTime,
  IReactorUNIX,
  ITriggerId,
  ListenTCPOptions,
  ListenUDPOptions,
  ListenUNIXOptions,
  SpawnProcessOptions,
  TriggerPhase,
} from "../interfaces.ts";
import type { DelayedCall } from "../delayed_call.ts";
import { Clock } from "./clock.ts";
import type {
  IOpenSSLClientConnectionCreator,
  IOpenSSLServerConnectionCreator,
} from "../ssl.ts";
import { MemoryProcessTransport } from "./memory_process_transport.ts";

/**
 * The connector a {@linkcode MemoryReactor} returns: it never connects.
 *
 * @example Usage
 * ```ts
 * import { ClientFactory } from "@torsion/torsion/reactor";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const r = new MemoryReactor();
 * const c = r.connectTCP("example.com", 79, new ClientFactory());
 * c.stopConnecting();
 * equal(c.state, "disconnected");
 * ```
 */
export class FakeConnector implements IConnector {
  /** The state; `"connecting"` until stopped or disconnected. */
  state: "disconnected" | "connecting" | "connected" = "connecting";
  /** Whether `stopConnecting()` was called. */
  stoppedConnecting = false;
  /** Whether `disconnect()` was called. */
  disconnected = false;
  /** How many times `connect()` was called. */
  connects = 0;
  readonly #destination: IAddress;

  /**
   * Creates a `FakeConnector`.
   *
   * @param destination What `getDestination()` returns.
   */
  constructor(destination: IAddress) {
    this.#destination = destination;
  }

  /** Counts a (re)connection attempt. */
  connect(): void {
    this.connects++;
    this.state = "connecting";
  }

  /** Notes the call and moves to `"disconnected"`. */
  disconnect(): void {
    this.disconnected = true;
    this.state = "disconnected";
  }

  /**
   * Notes the call and moves to `"disconnected"`.
   *
   * @throws {NotConnectingError} Unless connecting.
   */
  stopConnecting(): void {
    if (this.state !== "connecting") throw new NotConnectingError();
    this.stoppedConnecting = true;
    this.state = "disconnected";
  }

  /** Returns the destination. */
  getDestination(): IAddress {
    return this.#destination;
  }
}

/**
 * The port a {@linkcode MemoryReactor} returns: it never accepts.
 *
 * @example Usage
 * ```ts
 * import { Factory } from "@torsion/torsion/reactor";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const port = new MemoryReactor().listenTCP(8000, new Factory());
 * equal(port.getHost().toString(), "IPv4Address(type='TCP', host='0.0.0.0', port=8000)");
 * ```
 */
export class FakePort implements IListeningPort {
  /** Whether the port is "listening". */
  listening = true;
  readonly #host: IAddress;

  /**
   * Creates a `FakePort`.
   *
   * @param host What `getHost()` returns.
   */
  constructor(host: IAddress) {
    this.#host = host;
  }

  /** Marks the port listening. */
  startListening(): void {
    this.listening = true;
  }

  /** Marks the port not listening; returns a fired Deferred. */
  stopListening(): Deferred<void> {
    this.listening = false;
    return succeed(undefined);
  }

  /** Returns the address. */
  getHost(): IAddress {
    return this.#host;
  }
}

/** A `listenTCP` call recorded by {@linkcode MemoryReactor}: port, factory, backlog, interface. */
export type TCPServerRecord = [number, IProtocolFactory, number, string];
/** A `connectTCP` call: host, port, factory, timeout, bindAddress. */
export type TCPClientRecord = [
  string,
  number,
  IProtocolFactory,
  number,
  [string, number] | null,
];
/** A `listenSSL` call: port, factory, context factory, backlog, interface. */
export type SSLServerRecord = [
  number,
  IProtocolFactory,
  IOpenSSLServerConnectionCreator,
  number,
  string,
];
/** A `connectSSL` call: host, port, factory, context factory, timeout, bindAddress. */
export type SSLClientRecord = [
  string,
  number,
  IProtocolFactory,
  IOpenSSLClientConnectionCreator,
  number,
  [string, number] | null,
];
/** A `listenUNIX` call: path, factory, backlog, mode, wantPID. */
export type UNIXServerRecord = [
  string,
  IProtocolFactory,
  number,
  number,
  boolean,
];
/** A `listenUDP` call: port, protocol, interface, maxPacketSize (Twisted's `udpServers` rows). */
export type UDPServerRecord = [number, IDatagramProtocol, string, number];
/** A `connectUNIX` call: path, factory, timeout. */
export type UNIXClientRecord = [string, IProtocolFactory, number];

/** A `spawnProcess` call recorded by {@linkcode MemoryReactor}. */
export interface ProcessRecord {
  /** The process protocol. */
  readonly processProtocol: IProcessProtocol;
  /** The program. */
  readonly executable: string;
  /** The argument vector. */
  readonly args: readonly string[];
  /** The options as given. */
  readonly options: SpawnProcessOptions;
  /** The transport returned (and given to `makeConnection`). */
  readonly transport: MemoryProcessTransport;
}

/** A trigger recorded by {@linkcode MemoryReactor.addSystemEventTrigger}. */
export interface StoredTrigger extends ITriggerId {
  /** The trigger. */
  f: (...args: never[]) => unknown;
  /** Its arguments. */
  args: unknown[];
}

/**
 * A reactor for tests that records what it is asked to do (Twisted's
 * `MemoryReactor`): `listenTCP`/`connectTCP`/`listenSSL`/`connectSSL`/
 * `listenUNIX`/`connectUNIX`/`listenUDP` calls land in
 * {@linkcode MemoryReactor.tcpServers} and friends, and
 * connections never complete. `spawnProcess` calls land in
 * {@linkcode MemoryReactor.processes}, each with the
 * {@linkcode MemoryProcessTransport} given to the protocol (as the
 * `MemoryProcessReactor` of Twisted's endpoint tests); no process runs. `connect*` calls the factory's
 * `startedConnecting`. `run()` runs the `callWhenRunning` functions, then
 * stops. Unlike Twisted's, `hasRun`/`hasStopped`/`hasCrashed` start `false`.
 *
 * @example Usage
 * ```ts
 * import { Factory } from "@torsion/torsion/reactor";
 * import { MemoryReactor } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const reactor = new MemoryReactor();
 * const factory = new Factory();
 * reactor.listenTCP(8007, factory, { interface: "127.0.0.1" });
 * const [port, f, backlog, iface] = reactor.tcpServers[0];
 * equal(port, 8007);
 * equal(f, factory);
 * equal(backlog, 50);
 * equal(iface, "127.0.0.1");
 * ```
 */
export class MemoryReactor
  implements
    IReactorCore,
    IReactorTCP,
    IReactorSSL,
    IReactorUNIX,
    IReactorProcess {
  /** Whether `run()` was called. */
  hasRun = false;
  /** Whether `stop()` was called. */
  hasStopped = false;
  /** Whether `crash()` was called. */
  hasCrashed = false;
  /** Whether it is "running" (only inside `run()`). */
  running = false;
  /** Recorded `listenTCP` calls. */
  readonly tcpServers: TCPServerRecord[] = [];
  /** Recorded `connectTCP` calls. */
  readonly tcpClients: TCPClientRecord[] = [];
  /** Recorded `listenSSL` calls. */
  readonly sslServers: SSLServerRecord[] = [];
  /** Recorded `connectSSL` calls. */
  readonly sslClients: SSLClientRecord[] = [];
  /** Recorded `listenUNIX` calls. */
  readonly unixServers: UNIXServerRecord[] = [];
  /** Recorded `connectUNIX` calls. */
  readonly unixClients: UNIXClientRecord[] = [];
  /** Recorded `listenUDP` calls (the protocol is not started, as in Twisted). */
  readonly udpServers: UDPServerRecord[] = [];
  /** Recorded `spawnProcess` calls. */
  readonly processes: ProcessRecord[] = [];
  /** Every connector returned. */
  readonly connectors: FakeConnector[] = [];
  /** The functions given to `callWhenRunning`, with their arguments. */
  readonly whenRunningHooks: [(...args: never[]) => unknown, unknown[]][] = [];
  /** The triggers added, by phase and event. */
  readonly triggers: Record<TriggerPhase, Record<string, StoredTrigger[]>> = {
    before: {},
    during: {},
    after: {},
  };

  /**
   * Runs the `callWhenRunning` functions, then stops.
   *
   * @returns A fired promise.
   */
  run(): Promise<void> {
    this.hasRun = true;
    this.running = true;
    for (const [f, args] of this.whenRunningHooks.splice(0)) {
      (f as (...a: unknown[]) => unknown)(...args);
    }
    this.stop();
    return Promise.resolve();
  }

  /** Records the stop. */
  stop(): void {
    this.running = false;
    this.hasStopped = true;
  }

  /** Records the crash. */
  crash(): void {
    this.running = false;
    this.hasCrashed = true;
  }

  /**
   * Runs the event's triggers, phase by phase (without waiting for
   * Deferreds).
   *
   * @param eventType The event.
   */
  fireSystemEvent(eventType: string): void {
    for (const phase of ["before", "during", "after"] as const) {
      for (const t of this.triggers[phase][eventType]?.splice(0) ?? []) {
        (t.f as (...a: unknown[]) => unknown)(...t.args);
      }
    }
  }

  /**
   * Records a trigger.
   *
   * @param phase The phase.
   * @param eventType The event.
   * @param f The trigger.
   * @param args Its arguments.
   * @returns Its handle.
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    eventType: string,
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId {
    const t: StoredTrigger = {
      phase,
      eventType,
      f: f as (...args: never[]) => unknown,
      args,
    };
    (this.triggers[phase][eventType] ??= []).push(t);
    return t;
  }

  /**
   * Forgets a trigger.
   *
   * @param triggerId Its handle.
   */
  removeSystemEventTrigger(triggerId: ITriggerId): void {
    const list = this.triggers[triggerId.phase][triggerId.eventType] ?? [];
    const i = list.indexOf(triggerId as StoredTrigger);
    if (i !== -1) list.splice(i, 1);
  }

  /**
   * Calls `f` now if running, else records it for `run()`.
   *
   * @param f The function.
   * @param args Its arguments.
   * @returns `undefined`.
   */
  callWhenRunning<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId | undefined {
    if (this.running) f(...args);
    else this.whenRunningHooks.push([f as (...args: never[]) => unknown, args]);
    return undefined;
  }

  /**
   * Records the call.
   *
   * @param port The port.
   * @param factory The factory.
   * @param options Backlog and interface.
   * @returns A port whose `getHost()` gives the address.
   */
  listenTCP(
    port: number,
    factory: IProtocolFactory,
    options: ListenTCPOptions = {},
  ): FakePort {
    const iface = options.interface ?? "";
    this.tcpServers.push([port, factory, options.backlog ?? 50, iface]);
    return new FakePort(
      tcpAddress(iface.includes(":") ? iface : "0.0.0.0", port),
    );
  }

  /**
   * Records the call in {@linkcode MemoryReactor.udpServers}; the protocol
   * is not connected (as in Twisted's `MemoryReactor`).
   *
   * @param port The port.
   * @param protocol The datagram protocol.
   * @param options Interface (default `""`) and maxPacketSize (default 8192).
   * @returns A port whose `getHost()` gives `0.0.0.0` and the port, over UDP.
   *
   * @example Usage
   * ```ts
   * import { DatagramProtocol } from "@torsion/torsion/reactor";
   * import { MemoryReactor } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const reactor = new MemoryReactor();
   * const p = new DatagramProtocol();
   * reactor.listenUDP(5353, p);
   * deepEqual(reactor.udpServers, [[5353, p, "", 8192]]);
   * ```
   */
  listenUDP(
    port: number,
    protocol: IDatagramProtocol,
    options: ListenUDPOptions = {},
  ): FakePort {
    this.udpServers.push([
      port,
      protocol,
      options.interface ?? "",
      options.maxPacketSize ?? 8192,
    ]);
    return new FakePort(new IPv4Address("UDP", "0.0.0.0", port));
  }

  /**
   * Records the call.
   *
   * @param port The port.
   * @param factory The factory.
   * @param contextFactory The TLS context.
   * @param options Backlog and interface.
   * @returns A port whose `getHost()` gives the address.
   */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLServerConnectionCreator,
    options: ListenTCPOptions = {},
  ): FakePort {
    const iface = options.interface ?? "";
    this.sslServers.push([
      port,
      factory,
      contextFactory,
      options.backlog ?? 50,
      iface,
    ]);
    return new FakePort(
      tcpAddress(iface.includes(":") ? iface : "0.0.0.0", port),
    );
  }

  /**
   * Records the call and calls the factory's `startedConnecting`.
   *
   * @param host The host.
   * @param port The port.
   * @param factory The factory.
   * @param contextFactory The TLS context.
   * @param options Timeout and bind address.
   * @returns A connector that never connects.
   */
  connectSSL(
    host: string,
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLClientConnectionCreator,
    options: ConnectTCPOptions = {},
  ): FakeConnector {
    this.sslClients.push([
      host,
      port,
      factory,
      contextFactory,
      options.timeout ?? 30,
      options.bindAddress ?? null,
    ]);
    const c = new FakeConnector(tcpAddress(host, port));
    return this.#started(c, factory);
  }

  /**
   * Records the call and calls the factory's `startedConnecting`.
   *
   * @param host The host.
   * @param port The port.
   * @param factory The factory.
   * @param options Timeout and bind address.
   * @returns A connector that never connects.
   */
  connectTCP(
    host: string,
    port: number,
    factory: IProtocolFactory,
    options: ConnectTCPOptions = {},
  ): FakeConnector {
    this.tcpClients.push([
      host,
      port,
      factory,
      options.timeout ?? 30,
      options.bindAddress ?? null,
    ]);
    const c = new FakeConnector(tcpAddress(host, port));
    return this.#started(c, factory);
  }

  /**
   * Records the call.
   *
   * @param path The path.
   * @param factory The factory.
   * @param options Backlog, mode, wantPID.
   * @returns A port.
   */
  listenUNIX(
    path: string,
    factory: IProtocolFactory,
    options: ListenUNIXOptions = {},
  ): FakePort {
    this.unixServers.push([
      path,
      factory,
      options.backlog ?? 50,
      options.mode ?? 0o666,
      options.wantPID ?? false,
    ]);
    return new FakePort(new UNIXAddress(path));
  }

  /**
   * Records the call and calls the factory's `startedConnecting`.
   *
   * @param path The path.
   * @param factory The factory.
   * @param options Timeout.
   * @returns A connector that never connects.
   */
  connectUNIX(
    path: string,
    factory: IProtocolFactory,
    options: ConnectUNIXOptions = {},
  ): FakeConnector {
    this.unixClients.push([path, factory, options.timeout ?? 30]);
    return this.#started(new FakeConnector(new UNIXAddress(path)), factory);
  }

  /**
   * Records the call and connects the protocol to a
   * {@linkcode MemoryProcessTransport} (pid 1, 2, ... in call order).
   *
   * @param processProtocol The protocol.
   * @param executable The program.
   * @param args The argument vector.
   * @param options The options.
   * @returns The transport.
   *
   * @example Usage
   * ```ts
   * import { ProcessProtocol } from "@torsion/torsion/reactor";
   * import { MemoryReactor } from "@torsion/torsion/testing";
   * import { deepEqual, equal } from "node:assert/strict";
   *
   * const reactor = new MemoryReactor();
   * const protocol = new ProcessProtocol();
   * reactor.spawnProcess(protocol, "/usr/bin/finger", ["finger", "moshez"]);
   * const [spawned] = reactor.processes;
   * equal(spawned.processProtocol, protocol);
   * deepEqual(spawned.args, ["finger", "moshez"]);
   * equal(protocol.transport, spawned.transport);
   * ```
   */
  spawnProcess(
    processProtocol: IProcessProtocol,
    executable: string,
    args: readonly string[] = [],
    options: SpawnProcessOptions = {},
  ): MemoryProcessTransport {
    const transport = new MemoryProcessTransport(this.processes.length + 1);
    this.processes.push({
      processProtocol,
      executable,
      args,
      options,
      transport,
    });
    processProtocol.makeConnection(transport);
    return transport;
  }

  #started(c: FakeConnector, factory: IProtocolFactory): FakeConnector {
    this.connectors.push(c);
    (factory as { startedConnecting?: (c: IConnector) => void })
      .startedConnecting?.(c);
    return c;
  }
}

/**
 * A {@linkcode MemoryReactor} that is also a {@linkcode Clock} (Twisted's
 * `MemoryReactorClock`).
 *
 * @example Usage
 * ```ts
 * import { MemoryReactorClock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const r = new MemoryReactorClock();
 * let fired = false;
 * r.callLater(1, () => { fired = true; });
 * r.advance(1);
 * equal(fired, true);
 * ```
 */
export class MemoryReactorClock extends MemoryReactor implements IReactorTime {
  /** The clock behind the time methods. */
  readonly clock: Clock = new Clock();

  /** Returns the clock's time. */
  seconds(): number {
    return this.clock.seconds();
  }

  /**
   * Schedules a call on the clock.
   *
   * @param delay Seconds.
   * @param f The function.
   * @param args Its arguments.
   * @returns The call.
   */
  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ): DelayedCall {
    return this.clock.callLater(delay, f, ...args);
  }

  /** Returns the pending calls. */
  getDelayedCalls(): DelayedCall[] {
    return this.clock.getDelayedCalls();
  }

  /**
   * Advances the clock.
   *
   * @param amount Seconds.
   */
  advance(amount: number): void {
    this.clock.advance(amount);
  }

  /**
   * Advances the clock by each amount.
   *
   * @param timings Seconds.
   */
  pump(timings: Iterable<number>): void {
    this.clock.pump(timings);
  }
}
