// Copyright 2026 the Torsion authors. MIT license.
/**
 * Services, after `twisted.application`: a program as a tree of
 * {@linkcode Service}s under an {@linkcode Application}, started and stopped
 * together. {@linkcode startApplication} runs the tree on a reactor, the way
 * `twistd` does: `reactor.stop()` (or Ctrl-C) waits until every service
 * has stopped.
 *
 * ```ts
 * import { Reactor } from "@torsion/torsion/reactor";
 * import { Application, Service, startApplication } from "@torsion/torsion/application";
 * import { deepEqual } from "node:assert/strict";
 *
 * const events: string[] = [];
 * class Worker extends Service {
 *   override startService(): void {
 *     super.startService();
 *     events.push(`start ${this.name}`);
 *   }
 *   override stopService(): void {
 *     super.stopService();
 *     events.push(`stop ${this.name}`);
 *   }
 * }
 * const reactor = new Reactor();
 * const application = new Application("demo");
 * for (const name of ["db", "web"]) {
 *   const worker = new Worker();
 *   worker.setName(name);
 *   worker.setServiceParent(application);
 * }
 * startApplication(application, { reactor }).addCallback(() => reactor.stop());
 * await reactor.run({ installSignalHandlers: false });
 * deepEqual(events, ["start db", "start web", "stop web", "stop db"]);
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
export { TCPServer, type TCPServerOptions } from "./tcp_server.ts";
export { UNIXServer, type UNIXServerOptions } from "./unix_server.ts";
export { TCPClient, type TCPClientOptions } from "./tcp_client.ts";
export { UNIXClient, type UNIXClientOptions } from "./unix_client.ts";
export {
  StreamServerEndpointService,
  type StreamServerEndpointServiceOptions,
} from "./stream_server_endpoint_service.ts";
export * as strports from "./strports.ts";
export type { StrportsOptions } from "./strports.ts";
