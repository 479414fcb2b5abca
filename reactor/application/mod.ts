// Copyright 2026 the Torsion authors. MIT license.
/**
 * Services, after `twisted.application`: a program as a tree of
 * {@linkcode Service}s under an {@linkcode Application}, started and stopped
 * together. {@linkcode startApplication} runs the tree on a reactor, the way
 * `twistd` does: `reactor.stop()` (or Ctrl-C) waits until every service
 * has stopped.
 *
 * - The tree: {@linkcode Service}, {@linkcode MultiService},
 *   {@linkcode Application}, {@linkcode IService},
 *   {@linkcode IServiceCollection}, {@linkcode IProcess}.
 * - Servers and clients: {@linkcode TCPServer}, {@linkcode UNIXServer},
 *   {@linkcode SSLServer}, {@linkcode TCPClient}, {@linkcode UNIXClient},
 *   {@linkcode SSLClient}, {@linkcode UDPServer},
 *   {@linkcode StreamServerEndpointService}, `strports.service` and
 *   `strports.listen` (endpoint strings such as `"tcp:8000"`), and
 *   {@linkcode ClientService} with {@linkcode backoffPolicy}.
 * - Time and work: {@linkcode TimerService}, {@linkcode CooperatorService}.
 * - Log files: {@linkcode LogFile} (rotated by size), {@linkcode DailyLogFile}
 *   (by date), {@linkcode LogReader}.
 * - Runner plugins: {@linkcode IServiceMaker} (what a plugin module exports
 *   as `serviceMaker`), {@linkcode ServiceMaker}, {@linkcode getPlugins},
 *   and their options ({@linkcode parseOptions}, {@linkcode formatOptions},
 *   {@linkcode UsageError}). The runner itself is `@torsion/torsion/run`.
 *
 * ```ts
 * import { Factory, Protocol, Reactor } from "@torsion/torsion/reactor";
 * import { Application, startApplication, strports, TimerService } from "@torsion/torsion/application";
 * import { equal } from "node:assert/strict";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * const reactor = new Reactor();
 * const application = new Application("echo");
 * const factory = Factory.forProtocol(Echo);
 * factory.noisy = false;
 * strports.service("tcp:0:interface=127.0.0.1", factory, { reactor })
 *   .setServiceParent(application);
 * let ticks = 0;
 * const timer = new TimerService(0.01, () => {
 *   if (++ticks === 3) reactor.stop();
 * });
 * timer.clock = reactor;
 * timer.setServiceParent(application);
 * startApplication(application, { reactor });
 * await reactor.run({ installSignalHandlers: false });
 * equal(ticks, 3);
 * equal(application.running, false);
 * ```
 *
 * @module
 */

export { IProcess, IService, IServiceCollection } from "./interfaces.ts";
export { Service } from "./service.ts";
export { MultiService } from "./multi_service.ts";
export { Application, type ApplicationOptions } from "./application.ts";
export {
  type ServiceFailure,
  ServiceStartError,
} from "./service_start_error.ts";
export {
  type ApplicationReactor,
  startApplication,
  type StartApplicationOptions,
} from "./start_application.ts";
export { TimerService } from "./timer_service.ts";
export { CooperatorService } from "./cooperator_service.ts";
export { ConnectingService } from "./connecting_service.ts";
export { ListeningService } from "./listening_service.ts";
export { TCPServer, type TCPServerOptions } from "./tcp_server.ts";
export { UNIXServer, type UNIXServerOptions } from "./unix_server.ts";
export { TCPClient, type TCPClientOptions } from "./tcp_client.ts";
export { UNIXClient, type UNIXClientOptions } from "./unix_client.ts";
export { SSLServer, type SSLServerOptions } from "./ssl_server.ts";
export { SSLClient, type SSLClientOptions } from "./ssl_client.ts";
export {
  UDPServer,
  type UDPServerOptions,
  type UDPServerReactor,
} from "./udp_server.ts";
export {
  StreamServerEndpointService,
  type StreamServerEndpointServiceOptions,
} from "./stream_server_endpoint_service.ts";
export * as strports from "./strports.ts";
export type { StrportsOptions } from "./strports.ts";
export {
  ClientService,
  type ClientServiceOptions,
  type WhenConnectedOptions,
} from "./client_service.ts";
export { backoffPolicy, type BackoffPolicyOptions } from "./backoff_policy.ts";
export {
  BaseLogFile,
  type BaseLogFileOptions,
  DailyLogFile,
  type DateTuple,
  LogFile,
  type LogFileOptions,
  LogReader,
} from "./log_file.ts";
export type {
  LogFileHandle,
  LogFileReader,
  LogFileStat,
  LogFileSystem,
} from "./log_file_system.ts";
export { type IServiceMaker, ServiceMaker } from "./service_maker.ts";
export { getPlugins } from "./plugins.ts";
export {
  type FlagDescription,
  formatOptions,
  type OptionsDescription,
  type OptionValue,
  type ParameterDescription,
  type ParsedOptions,
  parseOptions,
  type ParseOptionsOptions,
  type ParseResult,
  UsageError,
} from "./usage.ts";
