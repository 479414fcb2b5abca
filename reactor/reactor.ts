// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Reactor}: the event loop's time and lifecycle, and the default
 * instance {@linkcode reactor}.
 *
 * @module
 */

import type { Deferred } from "../defer/deferred.ts";
import { DeferredList } from "../defer/deferred_list.ts";
import * as log from "../defer/log.ts";
import { isPromiseLike } from "../defer/_is_promise_like.ts";
import { ensureDeferred } from "../defer/maybe_deferred.ts";
import { TimerHeap } from "./_timer_heap.ts";
import { denoBackend } from "./backends/deno/deno_backend.ts";
import type {
  ReactorBackend,
  ReactorResource,
  TransportReactor,
} from "./backend.ts";
import { DelayedCall, type DelayedCallOwner } from "./delayed_call.ts";
import {
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
} from "./errors.ts";
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IDatagramProtocol,
  IProcessProtocol,
  IProtocolFactory,
  IReactorCore,
  IReactorMulticast,
  IReactorProcess,
  IReactorSSL,
  IReactorTCP,
  IReactorThreads,
  IReactorTime,
  IReactorUDP,
  IReactorUNIX,
  ITriggerId,
  ListenMulticastOptions,
  ListenTCPOptions,
  ListenUDPOptions,
  ListenUNIXOptions,
  SpawnProcessOptions,
  TriggerPhase,
} from "./interfaces.ts";
import type {
  IOpenSSLClientConnectionCreator,
  IOpenSSLServerConnectionCreator,
} from "./ssl.ts";
import {
  DEFAULT_RESOLVE_TIMEOUT,
  type IResolverSimple,
  isIPAddress,
  SystemResolver,
} from "./resolver.ts";
import { succeed } from "../defer/succeed.ts";
import { Port } from "./transports/port.ts";
import { Connector } from "./transports/connector.ts";
import { Process } from "./transports/process.ts";
import { MulticastPort, UDPPort } from "./transports/udp.ts";
import { ThreadPool } from "./threads/thread_pool.ts";

/** Options of {@linkcode Reactor.run}. */
export interface RunOptions {
  /**
   * Stop the reactor gracefully on `SIGINT` and `SIGTERM` while it runs.
   * @default {true}
   */
  installSignalHandlers?: boolean;
}

/** Options of {@linkcode Reactor}'s constructor. */
export interface ReactorOptions {
  /**
   * The I/O backend: sockets, their errors, signals and exit.
   *
   * @default {denoBackend}
   */
  backend?: ReactorBackend;
}

interface Trigger extends ITriggerId {
  readonly f: (...args: never[]) => unknown;
  readonly args: unknown[];
}

/** The triggers of one system event, fired phase by phase (Twisted's `_ThreePhaseEvent`). */
class ThreePhaseEvent {
  before: Trigger[] = [];
  during: Trigger[] = [];
  after: Trigger[] = [];
  state: "BASE" | "BEFORE" = "BASE";
  finishedBefore: Trigger[] = [];

  remove(t: ITriggerId): void {
    if (this.state === "BEFORE" && t.phase === "before") {
      // Removing a trigger that already ran while the event is firing has
      // no effect.
      if (this.finishedBefore.includes(t as Trigger)) return;
    }
    const list = this[t.phase];
    const i = list.indexOf(t as Trigger);
    if (i === -1) {
      throw new Error(
        `Cannot remove the ${t.phase} ${t.eventType} trigger: it is not registered`,
      );
    }
    list.splice(i, 1);
  }

  fire(): void {
    this.state = "BEFORE";
    this.finishedBefore = [];
    const waits: Deferred<unknown>[] = [];
    let t: Trigger | undefined;
    while ((t = this.before.shift()) !== undefined) {
      this.finishedBefore.push(t);
      try {
        const r = (t.f as (...a: unknown[]) => unknown)(...t.args);
        if (isPromiseLike(r)) waits.push(ensureDeferred(r));
      } catch (e) {
        log.err(e);
      }
    }
    if (waits.length === 0) {
      this.#continue();
    } else {
      new DeferredList(waits).addCallback(() => this.#continue());
    }
  }

  #continue(): void {
    this.state = "BASE";
    this.finishedBefore = [];
    for (const phase of [this.during, this.after]) {
      let t: Trigger | undefined;
      while ((t = phase.shift()) !== undefined) {
        try {
          (t.f as (...a: unknown[]) => unknown)(...t.args);
        } catch (e) {
          log.err(e);
        }
      }
    }
  }
}

/** The longest delay a host timer takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Torsion's reactor on Deno (Twisted's `ReactorBase`): timed calls, the
 * startup/shutdown lifecycle with system event triggers, and the sockets
 * (`listenTCP`, `connectTCP`, ...) and child processes (`spawnProcess`).
 *
 * Nothing is dispatched before {@linkcode Reactor.run}: calls scheduled
 * earlier run once it has started. While it runs, the process stays alive
 * even with nothing to do, as Twisted's does; once it has stopped, the
 * process can exit. Timed calls share one binary heap and a single host
 * timer armed for the earliest deadline.
 *
 * Most programs use the default instance {@linkcode reactor}; tests and
 * libraries may make their own.
 *
 * @example Usage
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const r = new Reactor();
 * const events: string[] = [];
 * r.callLater(0.01, () => { events.push("timer"); r.stop(); });
 * r.addSystemEventTrigger("before", "shutdown", () => { events.push("shutdown"); });
 * await r.run({ installSignalHandlers: false });
 * deepEqual(events, ["timer", "shutdown"]);
 * ```
 */
export class Reactor
  implements
    IReactorTime,
    IReactorCore,
    IReactorTCP,
    IReactorSSL,
    IReactorUNIX,
    IReactorUDP,
    IReactorMulticast,
    IReactorProcess,
    IReactorThreads,
    TransportReactor,
    DelayedCallOwner {
  #running = false;
  #started = false;
  #stopped = true;
  #startedBefore = false;
  #justStopped = false;
  #installSignals = true;
  #heap = new TimerHeap();
  /** Calls scheduled while due calls run; they join the heap afterwards. */
  #newCalls: DelayedCall[] = [];
  #ticking = false;
  #hostTimer: ReturnType<typeof setTimeout> | null = null;
  #armedFor = Infinity;
  /**
   * Due calls run on the next macrotask through this channel: a
   * `setTimeout(0)` waits about 2 ms in Deno 2.9.6 (a chain of them, 2.1
   * ms a hop, measured), where a message takes microseconds. Open while
   * the reactor runs.
   */
  #immediate: MessageChannel | null = null;
  #immediatePending = false;
  #events = new Map<string, ThreePhaseEvent>();
  #resolveRun: (() => void) | null = null;
  #signalHandler: (() => void) | null = null;
  #resources = new Set<ReactorResource>();
  /** The I/O backend: the one seam where sockets are made and signals heard. */
  readonly _backend: ReactorBackend;
  /** Pending I/O loops (reads, writes, accepts, connects). */
  #tasks = new Set<Promise<unknown>>();
  #shuttingDown = false;
  #sessionCounter = 0;
  #threadPool: ThreadPool | null = null;
  #resolver: IResolverSimple = new SystemResolver(this);
  #resolverInstalled = false;
  /** Calls queued by `callFromThread`, run in order on a later iteration. */
  #threadCalls: [(...args: never[]) => unknown, unknown[]][] = [];

  /**
   * Creates a reactor.
   *
   * @param options The I/O backend (Deno's by default).
   */
  constructor(options: ReactorOptions = {}) {
    this._backend = options.backend ?? denoBackend;
    this.addSystemEventTrigger("during", "shutdown", () => this.crash());
    this.addSystemEventTrigger(
      "during",
      "shutdown",
      () => this.#disconnectAll(),
    );
    this.addSystemEventTrigger(
      "during",
      "startup",
      () => this.#reallyStartRunning(),
    );
  }

  /** Whether the reactor is running: from the "during startup" phase until shutdown. */
  get running(): boolean {
    return this.#running;
  }

  /** Returns the current time in seconds since the epoch (monotonic within the process). */
  seconds(): number {
    return (performance.timeOrigin + performance.now()) / 1000;
  }

  /**
   * Calls `f(...args)` after `delay` seconds. An error thrown by `f` is
   * logged and the reactor goes on. A call scheduled from a timed call runs
   * on a later iteration, even with a zero delay.
   *
   * @param delay Seconds to wait (at least 0).
   * @param f The function.
   * @param args Its arguments.
   * @returns The pending call.
   * @throws {RangeError} If `delay` is negative or not a number.
   */
  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ): DelayedCall {
    if (!(delay >= 0)) {
      throw new RangeError(
        `Cannot schedule a call: delay must be a number >= 0, received ${delay}`,
      );
    }
    const call = new DelayedCall(
      this.seconds() + delay,
      f as (...args: never[]) => unknown,
      args,
      this,
    );
    if (this.#ticking) {
      this.#newCalls.push(call);
    } else {
      this.#heap.push(call);
      if (call.time < this.#armedFor && this.#started) this.#arm();
    }
    return call;
  }

  /** Returns the pending timed calls. */
  getDelayedCalls(): DelayedCall[] {
    return [...this.#heap.items, ...this.#newCalls.filter((c) => c.active())];
  }

  /** @ignore */
  _cancelCall(call: DelayedCall): void {
    if (call._heapIndex >= 0) {
      this.#heap.remove(call);
    } else {
      const i = this.#newCalls.indexOf(call);
      if (i !== -1) this.#newCalls.splice(i, 1);
    }
  }

  /** @ignore */
  _moveCall(call: DelayedCall): void {
    if (call._heapIndex < 0) return;
    this.#heap.update(call);
    if (call.time < this.#armedFor && this.#started) this.#arm();
  }

  /**
   * When the earliest scheduled call is due, on {@linkcode Reactor.seconds}'
   * clock: `Infinity` with none, `-Infinity` when one is due now. A backend
   * that holds the JavaScript thread (the epoll reactor's short wait) lets
   * go by then.
   *
   * @returns The deadline in seconds.
   */
  _nextTimerDue(): number {
    if (this.#immediatePending || this.#justStopped) return -Infinity;
    const top = this.#heap.peek();
    return top === undefined ? Infinity : top.time;
  }

  /** Arms the host timer for the earliest deadline (or, idle, for as long as it goes). */
  #arm(): void {
    if (!this.#started) return;
    let deadline: number;
    if (this.#justStopped) {
      deadline = -Infinity;
    } else {
      const top = this.#heap.peek();
      deadline = top === undefined ? Infinity : top.time;
    }
    if (this.#hostTimer !== null || this.#immediatePending) {
      if (this.#armedFor <= deadline) return;
      if (this.#hostTimer !== null) {
        clearTimeout(this.#hostTimer);
        this.#hostTimer = null;
      }
    }
    const now = this.seconds();
    let ms = deadline === Infinity
      ? MAX_TIMER_MS
      : Math.max(0, Math.ceil((deadline - now) * 1000));
    if (ms > MAX_TIMER_MS) ms = MAX_TIMER_MS;
    this.#armedFor = deadline === -Infinity ? -Infinity : now + ms / 1000;
    if (ms === 0) {
      // Due now: the next macrotask, after the I/O that is ready.
      if (this.#immediatePending) return;
      this.#immediatePending = true;
      let channel = this.#immediate;
      if (channel === null) {
        channel = this.#immediate = new MessageChannel();
        channel.port1.onmessage = this.#onImmediate;
      }
      channel.port2.postMessage(null);
      return;
    }
    this.#hostTimer = setTimeout(this.#onTimer, ms);
  }

  #onImmediate = (): void => {
    if (!this.#immediatePending) return;
    this.#immediatePending = false;
    this.#onTimer();
  };

  /** Closes the channel of due calls (the reactor has stopped). */
  #closeImmediate(): void {
    this.#immediatePending = false;
    const channel = this.#immediate;
    if (channel === null) return;
    this.#immediate = null;
    channel.port1.close();
    channel.port2.close();
  }

  #onTimer = (): void => {
    if (this.#hostTimer !== null) clearTimeout(this.#hostTimer);
    this.#hostTimer = null;
    this.#immediatePending = false;
    this.#armedFor = Infinity;
    this.#runUntilCurrent();
    this.#arm();
  };

  /** Runs the timed calls that are due, then starts the shutdown if `stop()` was called. */
  #runUntilCurrent(): void {
    const now = this.seconds();
    const heap = this.#heap;
    this.#ticking = true;
    try {
      for (;;) {
        const call = heap.peek();
        if (call === undefined || call.time > now) break;
        heap.pop();
        try {
          call._run();
        } catch (e) {
          log.err(e, "while handling timed call");
        }
      }
    } finally {
      this.#ticking = false;
    }
    if (this.#newCalls.length > 0) {
      for (const c of this.#newCalls) heap.push(c);
      this.#newCalls = [];
    }
    if (this.#justStopped) {
      this.#justStopped = false;
      this.fireSystemEvent("shutdown");
    }
  }

  /**
   * Runs the reactor: fires the "startup" event (so `callWhenRunning`
   * functions run now), then dispatches timed calls and I/O until
   * {@linkcode Reactor.stop} or {@linkcode Reactor.crash}.
   *
   * @param options Whether to handle `SIGINT`/`SIGTERM`.
   * @returns A promise that settles once shutdown has finished (the
   *   "after shutdown" triggers have run). Awaiting it is optional.
   * @throws {ReactorAlreadyRunning} If it is running.
   * @throws {ReactorNotRestartable} If it has run and stopped before.
   */
  run(options: RunOptions = {}): Promise<void> {
    if (this.#started) throw new ReactorAlreadyRunning();
    if (this.#startedBefore) throw new ReactorNotRestartable();
    this.#started = true;
    this.#stopped = false;
    this.#installSignals = options.installSignalHandlers ?? true;
    const done = new Promise<void>((resolve) => {
      this.#resolveRun = resolve;
    });
    this.fireSystemEvent("startup");
    this.#arm();
    return done;
  }

  /**
   * Stops the reactor gracefully: at the end of the next iteration (timed
   * calls already due still run), the "shutdown" event fires: "before"
   * triggers (which may return Deferreds to wait for), then the reactor
   * closes every port and connection (`ConnectionLost`), then "during" and
   * "after" triggers.
   *
   * @throws {ReactorNotRunning} If it is not running.
   */
  stop(): void {
    if (this.#stopped) throw new ReactorNotRunning();
    this.#stopped = true;
    this.#justStopped = true;
    this.#startedBefore = true;
    this.#shuttingDown = true;
    this.#arm();
  }

  /**
   * Stops the reactor at once, firing no events. A crashed reactor may be
   * run again.
   */
  crash(): void {
    this.#started = false;
    this.#running = false;
    this.addSystemEventTrigger(
      "during",
      "startup",
      () => this.#reallyStartRunning(),
    );
    if (this.#hostTimer !== null) {
      clearTimeout(this.#hostTimer);
      this.#hostTimer = null;
    }
    this.#armedFor = Infinity;
    this.#closeImmediate();
    this.#removeSignalHandlers();
    const resolve = this.#resolveRun;
    this.#resolveRun = null;
    if (resolve === null) return;
    if (!this.#shuttingDown) {
      // A bare crash: nothing was closed, nothing to wait for.
      queueMicrotask(resolve);
      return;
    }
    // Settle run() once the shutdown event has finished and the I/O loops
    // of the ports and connections it closed have ended.
    queueMicrotask(async () => {
      while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
      resolve();
    });
  }

  #reallyStartRunning(): void {
    this.#running = true;
    if (this.#installSignals) this.#addSignalHandlers();
  }

  #addSignalHandlers(): void {
    if (this.#signalHandler !== null) return;
    this.#signalHandler = this._backend.onShutdownSignal((sig) => {
      log.msg(`Received ${sig}, shutting down.`);
      if (!this.#stopped) this.stop();
    });
  }

  #removeSignalHandlers(): void {
    const remove = this.#signalHandler;
    this.#signalHandler = null;
    if (remove !== null) remove();
  }

  /**
   * Fires a system event: its "before" triggers, then (once the Deferreds
   * they returned have fired) its "during" and "after" triggers. An error
   * thrown by a trigger is logged; the others still run. Each trigger runs
   * once.
   *
   * @param eventType The event, e.g. `"startup"` or `"shutdown"`.
   */
  fireSystemEvent(eventType: string): void {
    this.#events.get(eventType)?.fire();
  }

  /**
   * Adds a trigger to run when a system event fires.
   *
   * @param phase `"before"`, `"during"` or `"after"`.
   * @param eventType The event: `"startup"`, `"shutdown"`, or your own.
   * @param f The trigger. In the "before" phase it may return a Deferred or
   *   promise; the later phases wait for it.
   * @param args Its arguments.
   * @returns A handle for {@linkcode Reactor.removeSystemEventTrigger}.
   * @throws {RangeError} For an invalid phase.
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    eventType: string,
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId {
    if (phase !== "before" && phase !== "during" && phase !== "after") {
      throw new RangeError(
        `Cannot add a system event trigger: invalid phase "${phase}"`,
      );
    }
    let event = this.#events.get(eventType);
    if (event === undefined) {
      event = new ThreePhaseEvent();
      this.#events.set(eventType, event);
    }
    const trigger: Trigger = {
      eventType,
      phase,
      f: f as (...args: never[]) => unknown,
      args,
    };
    event[phase].push(trigger);
    return trigger;
  }

  /**
   * Removes a trigger added with {@linkcode Reactor.addSystemEventTrigger}.
   *
   * @param triggerId Its handle.
   * @throws {RangeError} For a handle with an invalid phase.
   * @throws {Error} If it is not registered.
   */
  removeSystemEventTrigger(triggerId: ITriggerId): void {
    const phase = triggerId.phase;
    if (phase !== "before" && phase !== "during" && phase !== "after") {
      throw new RangeError(
        `Cannot remove a system event trigger: invalid phase "${phase}"`,
      );
    }
    const event = this.#events.get(triggerId.eventType);
    if (event === undefined) {
      throw new Error(
        `Cannot remove the ${triggerId.phase} ${triggerId.eventType} trigger: it is not registered`,
      );
    }
    event.remove(triggerId);
  }

  /**
   * Calls `f(...args)` now if the reactor is running, else as an "after
   * startup" trigger.
   *
   * @param f The function.
   * @param args Its arguments.
   * @returns The trigger's handle, or `undefined` if `f` ran at once.
   */
  callWhenRunning<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId | undefined {
    if (this.#running) {
      f(...args);
      return undefined;
    }
    return this.addSystemEventTrigger("after", "startup", f, ...args);
  }

  /**
   * The resolver `resolve` asks (Twisted's `reactor.resolver`): a
   * {@linkcode SystemResolver} (the system's `getaddrinfo`) unless
   * {@linkcode Reactor.installResolver} replaced it.
   */
  get resolver(): IResolverSimple {
    return this.#resolver;
  }

  /**
   * Replaces the resolver (Twisted's `installResolver`): `resolve` asks it,
   * and so do `connectTCP`/`connectSSL` before connecting to a host name
   * (with the system resolver, Deno's connect resolves names itself, IPv4
   * and IPv6). A failed lookup reaches `clientConnectionFailed` as a
   * `DNSLookupError` naming the host.
   *
   * @param resolver The new resolver.
   * @returns The resolver it replaces.
   *
   * @example A resolver for tests
   * ```ts
   * import { succeed } from "@torsion/torsion/defer";
   * import { Reactor } from "@torsion/torsion/reactor";
   * import { equal } from "node:assert/strict";
   *
   * const reactor = new Reactor();
   * reactor.installResolver({ getHostByName: () => succeed("10.1.2.3") });
   * let address = "";
   * reactor.resolve("db.internal").addCallback((a) => { address = a; });
   * equal(address, "10.1.2.3");
   * ```
   */
  installResolver(resolver: IResolverSimple): IResolverSimple {
    const old = this.#resolver;
    this.#resolver = resolver;
    this.#resolverInstalled = true;
    return old;
  }

  /** @ignore The resolver connectors ask first, once one was installed. */
  get _connectResolver(): IResolverSimple | null {
    return this.#resolverInstalled ? this.#resolver : null;
  }

  /**
   * Resolves a host name to an IPv4 address (Twisted's `reactor.resolve`):
   * `""` gives `"0.0.0.0"`, an IPv4 address gives itself, anything else
   * goes to {@linkcode Reactor.resolver}. Names in `/etc/hosts` resolve.
   *
   * @param name The host name.
   * @param options `timeout`: seconds, or Twisted's retry schedule
   *   (default `[1, 3, 11, 45]`, which the system resolver sums to 60).
   * @returns A Deferred of the address; failed with `DNSLookupError`
   *   ("address 'name' not found: ...").
   *
   * @example Usage
   * ```ts
   * import { Reactor } from "@torsion/torsion/reactor";
   * import { equal } from "node:assert/strict";
   *
   * const reactor = new Reactor();
   * equal(await reactor.resolve("localhost"), "127.0.0.1");
   * equal(await reactor.resolve(""), "0.0.0.0");
   * ```
   */
  resolve(
    name: string,
    options: { timeout?: number | readonly number[] } = {},
  ): Deferred<string> {
    if (!name) return succeed("0.0.0.0");
    if (isIPAddress(name)) return succeed(name);
    const t = options.timeout;
    return this.#resolver.getHostByName(
      name,
      t === undefined
        ? DEFAULT_RESOLVE_TIMEOUT
        : typeof t === "number"
        ? [t]
        : t,
    );
  }

  /**
   * Listens on a TCP port, synchronously (connections are accepted once the
   * reactor runs).
   *
   * @param port The port; 0 for any free port (`getHost()` tells which).
   * @param factory Builds a protocol per connection.
   * @param options `backlog` (default 50) and `interface` (default `""`:
   *   all IPv4 addresses; `"::"` for IPv6, `"127.0.0.1"`...).
   * @returns The listening port.
   * @throws {CannotListenError} If the port cannot be bound (in use, no
   *   permission, bad address), with Twisted's message.
   */
  listenTCP(
    port: number,
    factory: IProtocolFactory,
    options: ListenTCPOptions = {},
  ): Port {
    const p = new Port(this, {
      transport: "tcp",
      interface: options.interface ?? "",
      port,
      backlog: options.backlog ?? 50,
    }, factory);
    p.startListening();
    return p;
  }

  /**
   * Connects to a TCP server. The attempt starts once the reactor runs; the
   * factory's client hooks report how it goes. Host names are resolved.
   *
   * @param host A host name or an IPv4/IPv6 address.
   * @param port The port.
   * @param factory A client factory.
   * @param options `timeout` in seconds (default 30). Deno cannot bind the
   *   local address of an outgoing connection: `bindAddress` is refused.
   * @returns The connector.
   * @throws {TypeError} If `bindAddress` is given.
   */
  connectTCP(
    host: string,
    port: number,
    factory: IProtocolFactory,
    options: ConnectTCPOptions = {},
  ): Connector {
    if (options.bindAddress !== undefined) {
      throw new TypeError(
        "Cannot connect from a bound address: Deno.connect has no bindAddress",
      );
    }
    const c = new Connector(
      this,
      { transport: "tcp", host, port },
      factory,
      options.timeout ?? 30,
    );
    c.connect();
    return c;
  }

  /**
   * Listens on a TLS port (Twisted's `listenSSL`), synchronously: the key
   * and certificate are read now; connections are accepted once the
   * reactor runs. Each connection's protocol gets `connectionMade` at
   * once, before the handshake (as in Twisted); writes wait for the
   * handshake. A failed handshake (a client that does not trust the
   * certificate, a plain TCP client, garbage) loses that connection only,
   * with a `ConnectionLost` reason naming the TLS error. The transport is a
   * `Connection` with `negotiatedProtocol` (ALPN) set once the handshake
   * completes, when the protocol's `handshakeCompleted()` is called.
   *
   * @param port The port; 0 for any free port.
   * @param factory Builds a protocol per connection.
   * @param contextFactory The server's key and certificate, e.g.
   *   `new DefaultOpenSSLContextFactory("server.key", "server.pem")`.
   * @param options `backlog` (default 50) and `interface` (default `""`).
   * @returns The listening port.
   * @throws {CannotListenError} If the port cannot be bound, or the key or
   *   certificate cannot be read or parsed.
   *
   * @example An HTTPS-style port
   * ```ts ignore
   * import { DefaultOpenSSLContextFactory, Factory, Protocol, reactor } from "@torsion/torsion/reactor";
   *
   * const ctx = new DefaultOpenSSLContextFactory("server.key", "server.pem");
   * reactor.listenSSL(8443, Factory.forProtocol(Protocol), ctx);
   * ```
   */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLServerConnectionCreator,
    options: ListenTCPOptions = {},
  ): Port {
    const p = new Port(this, {
      transport: "tcp",
      interface: options.interface ?? "",
      port,
      backlog: options.backlog ?? 50,
      tls: contextFactory,
    }, factory);
    p.startListening();
    return p;
  }

  /**
   * Connects to a TLS server (Twisted's `connectSSL`). The server's
   * certificate must chain to a root the context trusts (the platform's
   * by default) and be valid for the name the context verifies: `host`
   * for `CertificateOptions`, the name given to `optionsForClientTLS`
   * otherwise. A failed verification loses the connection with a
   * `ConnectionLost` reason naming it ("TLS error: invalid peer
   * certificate: UnknownIssuer"); the protocol had `connectionMade`
   * already, as in Twisted.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param contextFactory The client context.
   * @param options `timeout` for the TCP connect, in seconds (default 30);
   *   `bindAddress` is refused as by `connectTCP`.
   * @returns The connector.
   * @throws {TypeError} If `bindAddress` is given.
   *
   * @example Usage
   * ```ts ignore
   * import { ClientFactory, optionsForClientTLS, Protocol, reactor } from "@torsion/torsion/reactor";
   *
   * const f = new ClientFactory();
   * f.protocol = Protocol;
   * reactor.connectSSL("example.com", 443, f, optionsForClientTLS("example.com"));
   * ```
   */
  connectSSL(
    host: string,
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLClientConnectionCreator,
    options: ConnectTCPOptions = {},
  ): Connector {
    if (options.bindAddress !== undefined) {
      throw new TypeError(
        "Cannot connect from a bound address: Deno.connect has no bindAddress",
      );
    }
    const c = new Connector(
      this,
      { transport: "tcp", host, port, tls: contextFactory },
      factory,
      options.timeout ?? 30,
    );
    c.connect();
    return c;
  }

  /**
   * Another name for {@linkcode Reactor.listenSSL}.
   *
   * @param port The port.
   * @param factory Builds a protocol per connection.
   * @param contextFactory The server's key and certificate.
   * @param options `backlog` and `interface`.
   * @returns The listening port.
   */
  listenTLS(
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLServerConnectionCreator,
    options: ListenTCPOptions = {},
  ): Port {
    return this.listenSSL(port, factory, contextFactory, options);
  }

  /**
   * Another name for {@linkcode Reactor.connectSSL}.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param contextFactory The client context.
   * @param options `timeout`.
   * @returns The connector.
   */
  connectTLS(
    host: string,
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLClientConnectionCreator,
    options: ConnectTCPOptions = {},
  ): Connector {
    return this.connectSSL(host, port, factory, contextFactory, options);
  }

  /**
   * Binds a UDP port (Twisted's `listenUDP`), synchronously, and connects
   * the protocol to it: its `startProtocol` runs before this returns, and
   * `getHost()` tells the real port at once. Datagrams are handed to
   * `datagramReceived(data, [host, port])`, truncated to `maxPacketSize`
   * bytes. Needs only `--allow-net` (no `--unstable-net`: the Deno backend
   * uses `node:dgram`). As in Twisted, an IPv6 `interface` (`"::1"`, or
   * `"::"` for all) makes an IPv6 port: `getHost()` returns an
   * `IPv6Address`, and it writes to and connects to IPv6 addresses only.
   *
   * @param port The port; 0 for any free port.
   * @param protocol The datagram protocol.
   * @param options `interface` (default `""`: all IPv4 addresses) and
   *   `maxPacketSize` (default 8192).
   * @returns The port, which is also the protocol's transport.
   * @throws {CannotListenError} If the port cannot be bound (in use, no
   *   such address).
   * @throws {InvalidAddressError} If `interface` is not an IPv4 or IPv6
   *   address.
   *
   * @example A UDP echo server
   * ```ts
   * import { type DatagramAddress, DatagramProtocol, Reactor } from "@torsion/torsion/reactor";
   * import { ok } from "node:assert/strict";
   *
   * class Echo extends DatagramProtocol {
   *   override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
   *     this.transport!.write(data, addr);
   *   }
   * }
   * const reactor = new Reactor();
   * const port = reactor.listenUDP(0, new Echo(), { interface: "127.0.0.1" });
   * ok(port.getHost().port > 0);
   * await port.stopListening();
   * ```
   */
  listenUDP(
    port: number,
    protocol: IDatagramProtocol,
    options: ListenUDPOptions = {},
  ): UDPPort {
    const p = new UDPPort(this, port, protocol, {
      interface: options.interface ?? "",
      maxPacketSize: options.maxPacketSize ?? 8192,
      listenMultiple: false,
    });
    p.startListening();
    return p;
  }

  /**
   * Binds a UDP port that can join multicast groups (Twisted's
   * `listenMulticast`), synchronously, as {@linkcode Reactor.listenUDP}.
   *
   * @param port The port; 0 for any free port.
   * @param protocol The datagram protocol.
   * @param options `interface` (default `""`), `maxPacketSize` (default
   *   8192), `listenMultiple` (default `false`: `true` lets other sockets
   *   bind the same port, `SO_REUSEADDR`).
   * @returns The port.
   * @throws {CannotListenError} If the port cannot be bound.
   * @throws {InvalidAddressError} If `interface` is not an IPv4 address
   *   (multicast is IPv4 only).
   *
   * @example Joining a group on loopback
   * ```ts
   * import { DatagramProtocol, Reactor } from "@torsion/torsion/reactor";
   * import { equal } from "node:assert/strict";
   *
   * const reactor = new Reactor();
   * const port = reactor.listenMulticast(0, new DatagramProtocol(), { listenMultiple: true });
   * equal(await port.joinGroup("228.0.0.7", "127.0.0.1"), true);
   * await port.stopListening();
   * ```
   */
  listenMulticast(
    port: number,
    protocol: IDatagramProtocol,
    options: ListenMulticastOptions = {},
  ): MulticastPort {
    const p = new MulticastPort(this, port, protocol, {
      interface: options.interface ?? "",
      maxPacketSize: options.maxPacketSize ?? 8192,
      listenMultiple: options.listenMultiple ?? false,
    });
    p.startListening();
    return p;
  }

  /**
   * Listens on a Unix socket, synchronously.
   *
   * @param path The socket's path.
   * @param factory Builds a protocol per connection.
   * @param options `backlog` (default 50; ignored, Deno's Unix listeners
   *   use 1024), `mode` of the socket file (default `0o666`, set before
   *   the file appears at `path`, so no peer connects under the umask's
   *   permissions), `wantPID` (default `false`: write `<path>.lock` with
   *   the process id, and replace a socket file left behind).
   * @returns The listening port.
   * @throws {CannotListenError} If the path cannot be bound.
   */
  listenUNIX(
    path: string,
    factory: IProtocolFactory,
    options: ListenUNIXOptions = {},
  ): Port {
    const p = new Port(this, {
      transport: "unix",
      path,
      backlog: options.backlog ?? 50,
      mode: options.mode ?? 0o666,
      wantPID: options.wantPID ?? false,
    }, factory);
    p.startListening();
    return p;
  }

  /**
   * Connects to a Unix socket.
   *
   * @param path The socket's path.
   * @param factory A client factory.
   * @param options `timeout` in seconds (default 30).
   * @returns The connector.
   */
  connectUNIX(
    path: string,
    factory: IProtocolFactory,
    options: ConnectUNIXOptions = {},
  ): Connector {
    const c = new Connector(
      this,
      { transport: "unix", path },
      factory,
      options.timeout ?? 30,
    );
    c.connect();
    return c;
  }

  /**
   * Starts a child process (Twisted's `spawnProcess`); its protocol gets
   * `makeConnection` now, and its output and exit once the reactor runs.
   * See {@linkcode Process} for the events and what happens at shutdown.
   *
   * Deno's `Deno.Command` does the work (`--allow-run`), with these
   * differences from Twisted: `args[0]` names the process in Twisted, but
   * the child gets the program's path as `argv[0]` (`args[0]` is not
   * passed); the program is looked up in the child's `PATH`, or the
   * parent's when `env` has none (Python looks in `/bin:/usr/bin` then);
   * only descriptors 0, 1 and 2 can be set up; there is no `uid`, `gid`
   * or `usePTY`.
   *
   * @param processProtocol The protocol, usually a `ProcessProtocol`.
   * @param executable The program: a path, or a name looked up in `PATH`.
   * @param args The argument vector, the process name first, as in
   *   Twisted: `["ls", "-l"]`.
   * @param options `env` (omitted: an **empty** environment, as Twisted on
   *   POSIX; `null`: the parent's), `path` (the working directory) and
   *   `childFDs`.
   * @returns The process transport. A program that cannot be started is
   *   reported to the protocol, not thrown (see {@linkcode Process}).
   * @throws {TypeError} For arguments of the wrong type.
   * @throws {RangeError} For `childFDs` Deno cannot set up.
   */
  spawnProcess(
    processProtocol: IProcessProtocol,
    executable: string,
    args: readonly string[] = [],
    options: SpawnProcessOptions = {},
  ): Process {
    return new Process(this, processProtocol, executable, args, options);
  }

  /**
   * Returns the reactor's pool of Workers (Twisted's `ThreadPool(0, 10)`),
   * made on first use: started when the reactor runs, stopped at its
   * shutdown, which waits for the tasks running and queued in it.
   *
   * @returns The pool.
   */
  getThreadPool(): ThreadPool {
    if (this.#threadPool === null) {
      const pool = new ThreadPool({
        minThreads: 0,
        maxThreads: 10,
        name: "reactor",
        reactor: this,
      });
      this.#threadPool = pool;
      this.callWhenRunning(() => pool.start());
      this.addSystemEventTrigger("during", "shutdown", () => {
        this.#threadPool = null;
        this._track(pool.stop());
      });
    }
    return this.#threadPool;
  }

  /**
   * Sets the most workers the reactor's pool runs at once.
   *
   * @param size The maximum.
   * @throws {RangeError} If `size` is below the pool's minimum (0).
   */
  suggestThreadPoolSize(size: number): void {
    this.getThreadPool().adjustPoolsize(undefined, size);
  }

  /**
   * Runs an exported function of a module in a worker of the reactor's
   * pool (see `ThreadPool`); an error it throws is logged. For its result,
   * use `deferToThread`.
   *
   * @param moduleUrl The module's absolute URL (`import.meta.resolve(...)`).
   * @param exportName The function's export name.
   * @param args Its arguments (structured-cloned).
   * @throws {TypeError} If `moduleUrl` is not an absolute URL.
   */
  callInThread(
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): void {
    this.getThreadPool().callInThread(moduleUrl, exportName, ...args);
  }

  /**
   * Calls `f(...args)` in the reactor's thread soon (Twisted's
   * `callFromThread`; a pool worker reaches it through `callFromThread` of
   * `./threads`): never inside this call, in the order of the calls, and
   * not before the reactor runs. A batch runs in a microtask; calls made
   * while one runs wait for a later turn, so a call that queues itself
   * again cannot starve I/O. An error thrown is logged.
   *
   * @param f The function.
   * @param args Its arguments.
   */
  callFromThread<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): void {
    this.#threadCalls.push([f as (...args: never[]) => unknown, args]);
    if (this.#threadCalls.length > 1) return; // a run is scheduled
    if (!this.#running) {
      this.addSystemEventTrigger("after", "startup", this.#runThreadCalls);
    } else if (this.#runningThreadCalls) {
      this.callLater(0, this.#runThreadCalls);
    } else {
      queueMicrotask(this.#runThreadCalls);
    }
  }

  #runningThreadCalls = false;

  #runThreadCalls = (): void => {
    const calls = this.#threadCalls;
    this.#threadCalls = [];
    this.#runningThreadCalls = true;
    try {
      for (const [f, args] of calls) {
        try {
          (f as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          log.err(e, "while handling a call from a thread");
        }
      }
    } finally {
      this.#runningThreadCalls = false;
    }
  };

  /** @ignore Registers a port or connection to close at shutdown. */
  _addResource(r: ReactorResource): void {
    this.#resources.add(r);
  }

  /** @ignore */
  _removeResource(r: ReactorResource): void {
    this.#resources.delete(r);
  }

  /** @ignore Tracks an I/O loop, so that shutdown can wait for it to end. */
  _track(task: Promise<unknown>): void {
    const tasks = this.#tasks;
    tasks.add(task);
    task.then(
      () => tasks.delete(task),
      (e) => {
        tasks.delete(task);
        log.err(e, "Unexpected error in an I/O loop");
      },
    );
  }

  /** @ignore The next connection's session number, for log prefixes. */
  _nextSession(): number {
    return this.#sessionCounter++;
  }

  #disconnectAll(): void {
    for (const r of [...this.#resources]) {
      try {
        r._reactorShutdown();
      } catch (e) {
        log.err(e, "while closing at shutdown");
      }
    }
  }
}
