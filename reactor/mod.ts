// Copyright 2026 the Torsion authors. MIT license.
/**
 * The reactor, after `twisted.internet`: time and lifecycle, the protocol
 * and factory base classes, addresses, interfaces and errors.
 *
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const r = new Reactor();
 * let ran = false;
 * r.callWhenRunning(() => { ran = true; r.stop(); });
 * await r.run({ installSignalHandlers: false });
 * equal(ran, true);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./address.ts";
export type * from "./interfaces.ts";
export type * from "./backend.ts";
export { DelayedCall, type DelayedCallOwner } from "./delayed_call.ts";
export { Reactor, type ReactorOptions, type RunOptions } from "./reactor.ts";
export { defaultClock, getReactor, installReactor } from "./default.ts";
export { reactor } from "./default_reactor.ts";
export { denoBackend } from "./backends/deno/deno_backend.ts";
export { spawnDenoProcess } from "./backends/deno/deno_process.ts";
export { listenDenoDatagram } from "./backends/deno/deno_datagram.ts";
export { EpollBackend } from "./backends/epoll/epoll_backend.ts";
export { EpollReactor } from "./backends/epoll/epoll_reactor.ts";
export {
  getReactorTypes,
  reactorFromEnvironment,
  reactorNamed,
  type ReactorType,
} from "./backends/reactor_from_environment.ts";
export {
  getConnectError,
  getConnectionLostReason,
} from "./backends/deno/deno_errors.ts";
export { BaseProtocol, Protocol } from "./protocol.ts";
export { DatagramProtocol } from "./datagram_protocol.ts";
export { ProcessProtocol } from "./process_protocol.ts";
export {
  getProcessOutput,
  getProcessOutputAndValue,
  type GetProcessOutputAndValueOptions,
  type GetProcessOutputOptions,
  getProcessValue,
  type ProcessUtilsOptions,
  UnexpectedErrorOutput,
} from "./process_utils.ts";
export {
  ClientFactory,
  Factory,
  type ProtocolClass,
  ServerFactory,
} from "./factory.ts";
export { ReconnectingClientFactory } from "./reconnecting_client_factory.ts";
export { StreamTransport } from "./transports/stream_transport.ts";
export {
  type SocketOptions,
  SocketTransport,
} from "./transports/socket_transport.ts";
export { Connection } from "./transports/connection.ts";
export {
  DEFAULT_RESOLVE_TIMEOUT,
  type IResolverSimple,
  isIPAddress,
  isIPv6Address,
  type ResolverReactor,
  SystemResolver,
} from "./resolver.ts";
export {
  getHostByName,
  type GetHostByNameOptions,
} from "./get_host_by_name.ts";
export {
  CertificateOptions,
  type CertificateOptionsInit,
  ClientTLSOptions,
  type ClientTLSOptionsInit,
  DefaultOpenSSLContextFactory,
  type IOpenSSLClientConnectionCreator,
  type IOpenSSLServerConnectionCreator,
  isClientTLSContext,
  optionsForClientTLS,
  type PemSource,
  type TLSClientConfig,
  type TLSServerConfig,
} from "./ssl.ts";
export { Port, type PortAddress } from "./transports/port.ts";
export {
  MulticastPort,
  UDPPort,
  type UDPPortOptions,
} from "./transports/udp.ts";
export { Connector, type ConnectorAddress } from "./transports/connector.ts";
export { Process } from "./transports/process.ts";
export * from "./threads/mod.ts";
export { react, type ReactOptions, type ReactReactor } from "./task/react.ts";
export { ClientCreator, type ClientCreatorReactor } from "./client_creator.ts";
export { LoopingCall } from "./task/looping_call.ts";
export { deferLater } from "./task/defer_later.ts";
export {
  coiterate,
  cooperate,
  CooperativeTask,
  Cooperator,
  type CooperatorOptions,
  NotPaused,
  SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskFinished,
  TaskStopped,
  theCooperator,
} from "./task/cooperator.ts";
export {
  connectProtocol,
  type IStreamClientEndpoint,
  type IStreamServerEndpoint,
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
  type TCPClientEndpointOptions,
  type TCPServerEndpointOptions,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
  type UNIXServerEndpointOptions,
} from "./endpoints.ts";
export {
  clientFromString,
  type EndpointReactor,
  serverFromString,
} from "./endpoint_strings.ts";
