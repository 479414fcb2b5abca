// Copyright 2026 the Torsion authors. MIT license.
/**
 * The contracts between reactors, transports, protocols and factories, after
 * `twisted.internet.interfaces`. Each method says when it is called and what
 * happens around a close.
 *
 * @module
 */

import type { Deferred } from "../defer/deferred.ts";
import type { Failure } from "../defer/failure.ts";
import type { ThreadPool } from "./threads/thread_pool.ts";
import type {
  IOpenSSLClientConnectionCreator,
  IOpenSSLServerConnectionCreator,
} from "./ssl.ts";

/**
 * An address: {@linkcode IPv4Address}, {@linkcode IPv6Address} or
 * {@linkcode UNIXAddress} (see `reactor/address.ts`).
 */
export interface IAddress {
  /** `"TCP"`, `"UDP"` or `"UNIX"`. */
  readonly type: string;
}

/** Gives the prefix of log lines about an object (Twisted's `ILoggingContext`). */
export interface ILoggingContext {
  /** Returns the prefix, e.g. the protocol's class name. */
  logPrefix(): string;
}

/**
 * Something that produces data for a consumer, and can be told to stop.
 */
export interface IProducer {
  /**
   * Stop producing for good: the consumer is going away. No more writes
   * should follow.
   */
  stopProducing(): void;
}

/**
 * A producer that writes whenever it has data until it is paused (a
 * "streaming" producer, registered with `streaming = true`).
 */
export interface IPushProducer extends IProducer {
  /** Stop writing until {@linkcode IPushProducer.resumeProducing}: the consumer's buffer is full. */
  pauseProducing(): void;
  /** Start writing again after a {@linkcode IPushProducer.pauseProducing}. */
  resumeProducing(): void;
}

/**
 * A producer that writes only when asked (registered with
 * `streaming = false`): each {@linkcode IPullProducer.resumeProducing} writes
 * one chunk, synchronously.
 */
export interface IPullProducer extends IProducer {
  /** Write one chunk now. */
  resumeProducing(): void;
}

/** Something that accepts data from a producer (a transport is one). */
export interface IConsumer {
  /**
   * Attaches a producer. A push producer (`streaming = true`) is paused when
   * the consumer's buffer fills and resumed when it drains; a pull producer
   * (`streaming = false`) is asked for a chunk each time the buffer drains.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If a producer is already registered.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void;
  /** Detaches the producer. */
  unregisterProducer(): void;
  /**
   * Accepts data.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  write(data: Uint8Array | string): void;
}

/**
 * The transport a protocol writes to and closes (Twisted's `ITransport`).
 * Calls other than `getPeer`/`getHost` take effect later: `write` buffers,
 * `loseConnection` closes once the buffer is flushed.
 */
export interface ITransport {
  /** Whether the connection is open (`false` once `connectionLost` ran). */
  readonly connected: boolean;
  /** Whether `loseConnection()` was called (the close is under way). */
  readonly disconnecting: boolean;
  /**
   * Queues data to send. Never loses data while connected; writes made
   * after `loseConnection()` are still sent, writes after the connection
   * was lost are dropped silently. Do not change a `Uint8Array` after
   * passing it here: it is sent without a copy.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  write(data: Uint8Array | string): void;
  /**
   * Queues several pieces of data, as one `write` of their concatenation.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void;
  /**
   * Closes the connection once everything written has been sent (and a
   * registered producer has unregistered). The protocol then gets
   * `connectionLost` with `ConnectionDone`.
   */
  loseConnection(): void;
  /** Returns the address of the other side. */
  getPeer(): IAddress;
  /** Returns the address of this side. */
  getHost(): IAddress;
}

/**
 * How much a stream transport buffers toward its peer, for
 * {@linkcode ITCPTransport.setWriteBufferLimits}. Sizes are bytes written
 * and not yet sent.
 */
export interface WriteBufferLimits {
  /**
   * Above this, a registered streaming producer is paused (inside the
   * `write()` that crossed it, and again on each later write above it, as
   * Twisted's `bufferSize`) and, with `pauseReading`, the transport stops
   * reading from the peer. `Infinity` never pauses.
   *
   * @default {65536}
   */
  high?: number;
  /**
   * At or below this, a paused streaming producer is resumed and reading
   * goes on. `0`, Twisted's behaviour, waits until the buffer is empty.
   *
   * @default {0}
   */
  low?: number;
  /**
   * Above this, the connection is aborted (`WriteBufferOverflow`, a
   * `ConnectionAborted`, with a log line): the ceiling for what reaches the
   * buffer with reading paused, such as writes made from timers or other
   * connections toward a peer that does not read, or one huge write.
   * `Infinity` has no ceiling.
   *
   * @default {16777216}
   */
  max?: number;
  /**
   * Whether the transport stops reading from the peer while more than
   * `high` bytes wait to be sent, so that a peer that sends without reading
   * is held back by TCP's own flow control instead of growing our buffer.
   * `false` reads on regardless, as Twisted does.
   *
   * @default {true}
   */
  pauseReading?: boolean;
}

/** A TCP (or Unix stream) connection's transport (Twisted's `ITCPTransport`). */
export interface ITCPTransport extends ITransport, IConsumer, IPushProducer {
  /**
   * Changes how much the transport buffers toward the peer; limits not
   * given keep their value. Twisted's unbounded behaviour (reading never
   * paused, no ceiling) is `{ pauseReading: false, max: Infinity }`.
   *
   * @param limits The limits to change.
   * @throws {RangeError} Unless `max >= high >= low >= 0` holds afterwards.
   */
  setWriteBufferLimits(limits: WriteBufferLimits): void;
  /** Returns the limits in effect, every field set. */
  getWriteBufferLimits(): Required<WriteBufferLimits>;
  /** Returns the number of bytes written and not yet sent. */
  getWriteBufferSize(): number;
  /**
   * Half-closes: once the buffer is flushed, shuts down the write side (the
   * peer reads end of stream) and calls the protocol's `writeConnectionLost`
   * if it has one. Reading goes on.
   */
  loseWriteConnection(): void;
  /**
   * Closes at once, dropping unsent data. The protocol gets
   * `connectionLost` with `ConnectionAborted` on a later turn, never inside
   * this call.
   */
  abortConnection(): void;
  /** Returns whether Nagle's algorithm is off (`TCP_NODELAY`). */
  getTcpNoDelay(): boolean;
  /**
   * Turns Nagle's algorithm off (`true`) or on.
   *
   * @param enabled Whether to turn it off.
   */
  setTcpNoDelay(enabled: boolean): void;
  /** Returns whether TCP keepalive is on. */
  getTcpKeepAlive(): boolean;
  /**
   * Turns TCP keepalive on or off.
   *
   * @param enabled Whether to turn it on.
   */
  setTcpKeepAlive(enabled: boolean): void;
}

/**
 * A protocol: the object that gets a connection's events (Twisted's
 * `IProtocol`). Events come in this order, each at most as noted:
 * `makeConnection` (once, which calls `connectionMade`), `dataReceived`
 * (any number), `readConnectionLost` (half-closeable protocols, at most
 * once), `connectionLost` (exactly once).
 */
export interface IProtocol {
  /**
   * Connects the protocol to its transport, then calls
   * {@linkcode IProtocol.connectionMade}.
   *
   * @param transport The transport.
   */
  makeConnection(transport: ITransport): void;
  /** Called once the connection is set up. */
  connectionMade(): void;
  /**
   * Called with bytes as they arrive, in chunks of any size: the protocol
   * must not rely on message boundaries. The array is the protocol's to keep,
   * unless {@linkcode IProtocol.keepsReceivedData} is `false`.
   * Throwing closes the connection, with the error as the reason.
   *
   * @param data The bytes.
   */
  dataReceived(data: Uint8Array): void;
  /**
   * Whether `dataReceived` may keep the array it is given (Twisted's
   * promise, the default when absent). A protocol that sets it to `false`
   * is lent a view of the transport's read buffer instead, which is read
   * into again once `dataReceived` has returned: the fast receive path,
   * with no fresh memory and no copy per read. Such a protocol may look at
   * the bytes during the call and pass them to a transport's `write()`
   * (which then holds the memory until it is sent), and copies
   * (`data.slice()`) whatever it keeps.
   */
  readonly keepsReceivedData?: boolean;
  /**
   * Called once when the connection is closed, with the reason wrapped in a
   * {@linkcode Failure}: `ConnectionDone` for a clean close (the peer's end
   * of stream, or our `loseConnection`), `ConnectionLost` for an error
   * (the Deno error is its `cause`), `ConnectionAborted` after
   * `abortConnection`, or the error `dataReceived` threw.
   *
   * @param reason Why.
   */
  connectionLost(reason: Failure): void;
}

/**
 * A protocol that handles the two halves of a TCP connection closing
 * separately (Twisted's `IHalfCloseableProtocol`).
 */
export interface IHalfCloseableProtocol {
  /**
   * The peer shut down its write side (we read end of stream). Called
   * instead of `connectionLost`; the protocol may go on writing, and calls
   * `loseConnection` when done.
   */
  readConnectionLost(): void;
  /** Our `loseWriteConnection()` has completed. */
  writeConnectionLost(): void;
}

/** Builds protocols for connections (Twisted's `IProtocolFactory`). */
export interface IProtocolFactory {
  /**
   * Builds the protocol for a new connection.
   *
   * @param addr The address of the other side.
   * @returns The protocol, or `null` to refuse the connection (it is closed
   *   at once).
   */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** Called by each port or connector that starts using the factory. */
  doStart(): void;
  /** Called by each port or connector that stops using the factory. */
  doStop(): void;
}

/** A listening port (Twisted's `IListeningPort`). */
export interface IListeningPort {
  /** Starts listening (again, after `stopListening`). */
  startListening(): void;
  /**
   * Stops listening; connections already accepted stay open.
   *
   * @returns A Deferred that fires once the listener is closed and the
   *   factory's `doStop` has run.
   */
  stopListening(): Deferred<void>;
  /** Returns the address listened on (with the real port when 0 was asked). */
  getHost(): IAddress;
}

/** A connection attempt and its later reconnections (Twisted's `IConnector`). */
export interface IConnector {
  /** `"disconnected"`, `"connecting"` or `"connected"`. */
  readonly state: "disconnected" | "connecting" | "connected";
  /**
   * Connects (again) with the same factory.
   *
   * @throws {Error} Unless the state is `"disconnected"`.
   */
  connect(): void;
  /** Stops a connection attempt, or closes the connection. */
  disconnect(): void;
  /**
   * Stops the connection attempt: the factory's `clientConnectionFailed`
   * gets a `UserError`.
   *
   * @throws {Error} `NotConnectingError` unless connecting.
   */
  stopConnecting(): void;
  /** Returns the address being connected to. */
  getDestination(): IAddress;
}

/** A call scheduled with `callLater` (Twisted's `IDelayedCall`). */
export interface IDelayedCall {
  /** Returns when the call will run, in the clock's seconds. */
  getTime(): number;
  /**
   * Cancels the call.
   *
   * @throws {Error} `AlreadyCancelled` or `AlreadyCalled`.
   */
  cancel(): void;
  /**
   * Moves the call later (or earlier, with a negative value) by
   * `secondsLater` from its scheduled time.
   *
   * @param secondsLater Seconds to add.
   */
  delay(secondsLater: number): void;
  /**
   * Reschedules the call `secondsFromNow` seconds from now.
   *
   * @param secondsFromNow Seconds from now.
   */
  reset(secondsFromNow: number): void;
  /** Returns whether the call has neither run nor been cancelled. */
  active(): boolean;
}

/** Time and timed calls (Twisted's `IReactorTime`). The reactor and `Clock` implement it. */
export interface IReactorTime {
  /** Returns the current time in seconds. */
  seconds(): number;
  /**
   * Calls `f(...args)` after `delay` seconds.
   *
   * @param delay Seconds to wait.
   * @param f The function.
   * @param args Its arguments.
   * @returns The pending call.
   */
  callLater<A extends unknown[]>(
    delay: number,
    f: (...args: A) => unknown,
    ...args: A
  ): IDelayedCall;
  /** Returns the calls that are scheduled and still pending. */
  getDelayedCalls(): IDelayedCall[];
}

/** The phases of a system event, in firing order. */
export type TriggerPhase = "before" | "during" | "after";

/** A handle for a trigger added with `addSystemEventTrigger`. */
export interface ITriggerId {
  /** The event type, e.g. `"shutdown"`. */
  readonly eventType: string;
  /** The phase. */
  readonly phase: TriggerPhase;
}

/** The reactor's lifecycle (Twisted's `IReactorCore`). */
export interface IReactorCore {
  /** Whether the reactor is running (from startup until shutdown). */
  readonly running: boolean;
  /**
   * Runs the reactor.
   *
   * @returns A promise that settles once shutdown has finished.
   */
  run(): Promise<void>;
  /** Stops the reactor: the shutdown event fires on the next iteration. */
  stop(): void;
  /** Stops the reactor at once, without the shutdown event. */
  crash(): void;
  /**
   * Fires a system event's triggers (before, during, after).
   *
   * @param eventType The event, e.g. `"startup"` or `"shutdown"`.
   */
  fireSystemEvent(eventType: string): void;
  /**
   * Adds a trigger.
   *
   * @param phase `"before"` (may return a Deferred to wait for), `"during"`
   *   or `"after"`.
   * @param eventType The event.
   * @param f The trigger.
   * @param args Its arguments.
   * @returns A handle for {@linkcode IReactorCore.removeSystemEventTrigger}.
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: TriggerPhase,
    eventType: string,
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId;
  /**
   * Removes a trigger.
   *
   * @param triggerId The handle from `addSystemEventTrigger`.
   */
  removeSystemEventTrigger(triggerId: ITriggerId): void;
  /**
   * Calls `f(...args)` now if the reactor is running, else once it has
   * started.
   *
   * @param f The function.
   * @param args Its arguments.
   * @returns A trigger handle, or `undefined` if `f` was called at once.
   */
  callWhenRunning<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): ITriggerId | undefined;
}

/** Options of `listenTCP`. */
export interface ListenTCPOptions {
  /** The listen queue size. @default {50} */
  backlog?: number;
  /** The address to bind: `""` for all (IPv4 and IPv6 where the system allows), `"::"`, `"127.0.0.1"`... @default {""} */
  interface?: string;
}

/** Options of `connectTCP`. */
export interface ConnectTCPOptions {
  /** Seconds before giving up with `TimeoutError`. @default {30} */
  timeout?: number;
  /** A local address to connect from: `[host, port]`. */
  bindAddress?: [string, number];
}

/** Options of `listenUNIX`. */
export interface ListenUNIXOptions {
  /**
   * The listen queue size (Twisted's default). Ignored: Deno's Unix
   * listeners always use 1024.
   *
   * @default {50}
   */
  backlog?: number;
  /** The permission bits of the socket file. @default {0o666} */
  mode?: number;
  /** Whether to write a `<path>.lock` file holding the process id. @default {false} */
  wantPID?: boolean;
}

/** Options of `connectUNIX`. */
export interface ConnectUNIXOptions {
  /** Seconds before giving up with `TimeoutError`. @default {30} */
  timeout?: number;
}

/** TCP servers and clients (Twisted's `IReactorTCP`). */
export interface IReactorTCP {
  /**
   * Listens on a TCP port, synchronously.
   *
   * @param port The port (0: any free port).
   * @param factory Builds a protocol per connection.
   * @param options Backlog and interface.
   * @returns The listening port.
   * @throws {Error} `CannotListenError` if the port cannot be bound.
   */
  listenTCP(
    port: number,
    factory: IProtocolFactory,
    options?: ListenTCPOptions,
  ): IListeningPort;
  /**
   * Connects to a TCP server.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param options Timeout and local address.
   * @returns The connector.
   */
  connectTCP(
    host: string,
    port: number,
    factory: IProtocolFactory,
    options?: ConnectTCPOptions,
  ): IConnector;
}

/**
 * TLS servers and clients (Twisted's `IReactorSSL`): TCP with TLS on top,
 * the same protocols and factories.
 */
export interface IReactorSSL {
  /**
   * Listens on a TLS port, synchronously.
   *
   * @param port The port (0: any free port).
   * @param factory Builds a protocol per connection.
   * @param contextFactory The server's key and certificate.
   * @param options Backlog (default 50) and interface (default `""`).
   * @returns The listening port.
   * @throws {Error} `CannotListenError` if the port cannot be bound or the
   *   key or certificate cannot be read.
   */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLServerConnectionCreator,
    options?: ListenTCPOptions,
  ): IListeningPort;
  /**
   * Connects to a TLS server, verifying its certificate and name.
   *
   * @param host A host name or address.
   * @param port The port.
   * @param factory A client factory.
   * @param contextFactory The client's roots and the name to verify.
   * @param options Timeout (default 30 seconds).
   * @returns The connector.
   */
  connectSSL(
    host: string,
    port: number,
    factory: IProtocolFactory,
    contextFactory: IOpenSSLClientConnectionCreator,
    options?: ConnectTCPOptions,
  ): IConnector;
}

/**
 * A TLS connection's transport (Twisted's `ISSLTransport` with
 * `INegotiated`).
 */
export interface ISSLTransport extends ITCPTransport {
  /**
   * The peer's certificate; always `null` with Deno's TLS sockets, whose
   * `TlsConn` exposes none (see `Connection.getPeerCertificate`).
   */
  getPeerCertificate(): unknown;
  /** The ALPN protocol the handshake agreed on, or `null`. */
  readonly negotiatedProtocol: string | null;
}

/** A TCP transport that can switch to TLS (Twisted's `ITLSTransport`). */
export interface ITLSTransport extends ITCPTransport {
  /**
   * Switches to TLS: bytes written before go out in clear first.
   *
   * @param contextFactory The TLS context.
   * @param normal Whether the connecting side runs the client handshake.
   */
  startTLS(
    contextFactory:
      | IOpenSSLClientConnectionCreator
      | IOpenSSLServerConnectionCreator,
    normal?: boolean,
  ): void;
}

/**
 * A protocol told when its TLS handshake has completed (Twisted's
 * `IHandshakeListener`).
 */
export interface IHandshakeListener {
  /** The handshake completed: the peer is verified, ALPN is negotiated. */
  handshakeCompleted(): void;
}

/** Unix socket servers and clients (Twisted's `IReactorUNIX`). */
export interface IReactorUNIX {
  /**
   * Listens on a Unix socket, synchronously.
   *
   * @param path The socket's path.
   * @param factory Builds a protocol per connection.
   * @param options Backlog, mode, lock file.
   * @returns The listening port.
   * @throws {Error} `CannotListenError` if the path cannot be bound.
   */
  listenUNIX(
    path: string,
    factory: IProtocolFactory,
    options?: ListenUNIXOptions,
  ): IListeningPort;
  /**
   * Connects to a Unix socket.
   *
   * @param path The socket's path.
   * @param factory A client factory.
   * @param options Timeout.
   * @returns The connector.
   */
  connectUNIX(
    path: string,
    factory: IProtocolFactory,
    options?: ConnectUNIXOptions,
  ): IConnector;
}

/** A UDP peer: an IP address and a port, as Twisted's `(host, port)` tuple. */
export type DatagramAddress = readonly [host: string, port: number];

/**
 * A datagram protocol, as a UDP port drives it (Twisted's
 * `DatagramProtocol`; `reactor/datagram_protocol.ts` has the base class).
 */
export interface IDatagramProtocol {
  /** Connects the protocol to its port (called by `listenUDP`). */
  makeConnection(transport: IUDPTransport): void;
  /** Called by the port when it stops listening. */
  doStop(): void;
  /** A datagram arrived (truncated to the port's `maxPacketSize`). */
  datagramReceived(data: Uint8Array, addr: DatagramAddress): void;
  /** A connected port's peer refused a datagram (ICMP "port unreachable"). */
  connectionRefused(): void;
}

/** A UDP port, as its protocol sees it (Twisted's `IUDPTransport`). */
export interface IUDPTransport {
  /**
   * Sends one datagram: to `addr` (an IP address, not a host name), or,
   * once connected, to the connected peer (`addr` omitted or equal to it).
   */
  write(datagram: Uint8Array | string, addr?: DatagramAddress): void;
  /** Connects to one peer: writes go to it, datagrams from others are dropped. */
  connect(host: string, port: number): void;
  /** The local address. */
  getHost(): IAddress;
  /** Stops listening; the Deferred fires once the protocol's `stopProtocol` ran. */
  stopListening(): Deferred<void>;
  /** Allows or forbids sending to broadcast addresses (`SO_BROADCAST`). */
  setBroadcastAllowed(enabled: boolean): void;
  /** Whether broadcast is allowed. */
  getBroadcastAllowed(): boolean;
}

/** A UDP port that can join multicast groups (Twisted's `IMulticastTransport`). */
export interface IMulticastTransport extends IUDPTransport {
  /** The interface multicast is sent from (`""`: the system's choice). */
  getOutgoingInterface(): string;
  /** Sets the interface multicast is sent from; the Deferred fires with `true`. */
  setOutgoingInterface(addr: string): Deferred<boolean>;
  /** Whether multicast sent here is also delivered to this host. */
  getLoopbackMode(): boolean;
  /** Sets whether multicast sent here is also delivered to this host. */
  setLoopbackMode(mode: boolean): void;
  /** The time to live of multicast sent here. */
  getTTL(): number;
  /** Sets the time to live of multicast sent here. */
  setTTL(ttl: number): void;
  /** Joins a group; the Deferred fails with `MulticastJoinError` if it cannot. */
  joinGroup(addr: string, iface?: string): Deferred<boolean>;
  /** Leaves a group; the Deferred fails if it was not joined. */
  leaveGroup(addr: string, iface?: string): Deferred<boolean>;
}

/** Options of `listenUDP`. */
export interface ListenUDPOptions {
  /**
   * The address to bind: an IPv4 one (`""` for all IPv4 addresses), or an
   * IPv6 one (`"::"` for all), which makes the port IPv6. @default {""}
   */
  interface?: string;
  /** The largest datagram delivered whole; longer ones are truncated. @default {8192} */
  maxPacketSize?: number;
}

/** Options of `listenMulticast`. */
export interface ListenMulticastOptions extends ListenUDPOptions {
  /** Whether other sockets may bind the same port (`SO_REUSEADDR`). @default {false} */
  listenMultiple?: boolean;
}

/** UDP ports (Twisted's `IReactorUDP`). */
export interface IReactorUDP {
  /**
   * Binds a UDP port, synchronously, and connects the protocol to it.
   *
   * @param port The port (0: any free port).
   * @param protocol The datagram protocol.
   * @param options Interface and maximum packet size.
   * @returns The port.
   * @throws {Error} `CannotListenError` if the port cannot be bound.
   */
  listenUDP(
    port: number,
    protocol: IDatagramProtocol,
    options?: ListenUDPOptions,
  ): IUDPTransport;
}

/** Multicast UDP ports (Twisted's `IReactorMulticast`). */
export interface IReactorMulticast {
  /**
   * Binds a multicast-capable UDP port, synchronously.
   *
   * @param port The port (0: any free port).
   * @param protocol The datagram protocol.
   * @param options Interface, maximum packet size, port sharing.
   * @returns The port.
   * @throws {Error} `CannotListenError` if the port cannot be bound.
   */
  listenMulticast(
    port: number,
    protocol: IDatagramProtocol,
    options?: ListenMulticastOptions,
  ): IMulticastTransport;
}

/**
 * The signals {@linkcode IProcessTransport.signalProcess} takes by name:
 * Twisted's portable set.
 */
export type ProcessSignal = "HUP" | "INT" | "KILL" | "TERM" | "STOP";

/**
 * The transport of a child process (Twisted's `IProcessTransport`), which
 * `spawnProcess` returns and gives to the process protocol's
 * `makeConnection`: writes go to the child's standard input, and the
 * child's output comes to the protocol's `childDataReceived`. As a push
 * producer it pauses and resumes reading the child's output. It has no
 * addresses (Twisted's `getHost`/`getPeer` raise `NotImplementedError`).
 */
export interface IProcessTransport extends IConsumer, IPushProducer {
  /**
   * The child's process id, from before `makeConnection` until the child
   * has exited (`null` from then on, and for a child that could not be
   * started).
   */
  readonly pid: number | null;
  /**
   * Queues data for the child's standard input. Dropped silently once it
   * is closed, or if it is not a pipe.
   *
   * @param data Bytes, or a string sent as UTF-8.
   */
  write(data: Uint8Array | string): void;
  /**
   * Queues several pieces of data for the child's standard input.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void;
  /**
   * Queues data for a descriptor of the child that reads from us.
   *
   * @param childFD The descriptor in the child (0).
   * @param data Bytes, or a string sent as UTF-8.
   * @throws {RangeError} If `childFD` is not a pipe the child reads from.
   */
  writeToChild(childFD: number, data: Uint8Array | string): void;
  /** Closes the child's standard input once everything queued is written. */
  closeStdin(): void;
  /** Closes the pipe of the child's standard output (a later write of the child fails). */
  closeStdout(): void;
  /** Closes the pipe of the child's standard error. */
  closeStderr(): void;
  /**
   * Closes one of the child's pipes (stdin after what is queued is written);
   * a descriptor that is not an open pipe is ignored.
   *
   * @param childFD The descriptor in the child.
   */
  closeChildFD(childFD: number): void;
  /** Closes standard input, error and output. */
  loseConnection(): void;
  /**
   * Sends the child a signal.
   *
   * @param signal `"TERM"`, `"KILL"`, `"INT"`, `"HUP"`, `"STOP"`, or a signal
   *   number of the platform.
   * @throws {ProcessExitedAlready} If the child has exited.
   */
  signalProcess(signal: ProcessSignal | number): void;
}

/**
 * What a child process's protocol gets (Twisted's `IProcessProtocol`);
 * `ProcessProtocol` implements it and routes the descriptors to
 * `outReceived`/`errReceived` and friends. Events come in this order:
 * `makeConnection` (once, inside `spawnProcess`), then any number of
 * `childDataReceived`, `childConnectionLost` once per pipe and
 * `processExited` once, in the order they happen, then `processEnded` once,
 * after the child has exited **and** every pipe has closed (so no output is
 * lost).
 */
export interface IProcessProtocol {
  /**
   * Connects the protocol to its process transport.
   *
   * @param transport The transport.
   */
  makeConnection(transport: IProcessTransport): void;
  /**
   * Bytes the child wrote to one of its descriptors (1: stdout, 2: stderr).
   * Throwing is logged and closes that pipe.
   *
   * @param childFD The descriptor in the child.
   * @param data The bytes, the protocol's to keep.
   */
  childDataReceived(childFD: number, data: Uint8Array): void;
  /**
   * One of the child's pipes closed (the child closed it, exited, or we
   * closed it).
   *
   * @param childFD The descriptor in the child.
   */
  childConnectionLost(childFD: number): void;
  /**
   * The child exited (its pipes may still be open).
   *
   * @param reason `ProcessDone` (exit code 0) or `ProcessTerminated`, in a
   *   Failure.
   */
  processExited(reason: Failure): void;
  /**
   * The child exited and all its pipes are closed: the last event.
   *
   * @param reason `ProcessDone` (exit code 0) or `ProcessTerminated`, in a
   *   Failure.
   */
  processEnded(reason: Failure): void;
}

/** Options of `spawnProcess`. */
export interface SpawnProcessOptions {
  /**
   * The child's complete environment. As in Twisted on POSIX: omitted (or
   * `undefined`) is an **empty** environment, `null` is the parent's.
   *
   * @default {{}}
   */
  env?: Record<string, string> | null;
  /**
   * The child's working directory; `null` for the parent's.
   *
   * @default {null}
   */
  path?: string | null;
  /**
   * How the child's descriptors 0, 1 and 2 are set up: `"w"` a pipe we
   * write to (stdin), `"r"` a pipe we read from (stdout, stderr), or the
   * same number (`{ 2: 2 }`) to share the parent's descriptor. A descriptor
   * left out is connected to `/dev/null` (Twisted closes it). `null` is
   * `{ 0: "w", 1: "r", 2: "r" }`. Deno cannot map other descriptors.
   *
   * @default {null}
   */
  childFDs?: Record<number, "r" | "w" | number> | null;
}

/** Child processes (Twisted's `IReactorProcess`). */
export interface IReactorProcess {
  /**
   * Starts a child process.
   *
   * @param processProtocol The protocol that gets its events.
   * @param executable The program: a path, or a name looked up in `PATH`.
   * @param args The argument vector, the process name first.
   * @param options Environment, working directory, descriptors.
   * @returns The process transport.
   */
  spawnProcess(
    processProtocol: IProcessProtocol,
    executable: string,
    args?: readonly string[],
    options?: SpawnProcessOptions,
  ): IProcessTransport;
}

/**
 * Threads (Twisted's `IReactorThreads`), on Workers: JavaScript functions
 * cannot move between isolates, so work for a thread is an exported
 * function of a module, named by the module's absolute URL and the export.
 */
export interface IReactorThreads {
  /**
   * Returns the reactor's pool of workers (0 to 10), made on first use,
   * started when the reactor runs and stopped at its shutdown.
   */
  getThreadPool(): ThreadPool;
  /**
   * Sets the most workers the reactor's pool runs at once.
   *
   * @param size The maximum.
   */
  suggestThreadPoolSize(size: number): void;
  /**
   * Runs an exported function of a module in a worker of the reactor's
   * pool; an error it throws is logged.
   *
   * @param moduleUrl The module's absolute URL.
   * @param exportName The function's export name.
   * @param args Its arguments (structured-cloned).
   */
  callInThread(
    moduleUrl: string | URL,
    exportName: string,
    ...args: unknown[]
  ): void;
  /**
   * Calls `f(...args)` in the reactor's thread soon: never inside this
   * call, in the order of the calls, once the reactor runs (workers reach
   * it with `callFromThread` of `./threads`). An error it throws is logged.
   *
   * @param f The function.
   * @param args Its arguments.
   */
  callFromThread<A extends unknown[]>(
    f: (...args: A) => unknown,
    ...args: A
  ): void;
}
