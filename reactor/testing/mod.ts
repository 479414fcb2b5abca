// Copyright 2026 the Torsion authors. MIT license.
/**
 * Test doubles for protocol code, after `twisted.internet.testing`: a fake
 * {@linkcode Clock}, in-memory transports, and more. Protocols tested with
 * them need no sockets and no timers.
 *
 * ```ts
 * import { Clock } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const clock = new Clock();
 * let fired = false;
 * clock.callLater(10, () => { fired = true; });
 * clock.advance(10);
 * equal(fired, true);
 * ```
 *
 * @module
 */

export { RecordedOptions } from "./recorded_options.ts";
export { Clock } from "./clock.ts";
export {
  StringTransport,
  StringTransportWithDisconnection,
} from "./string_transport.ts";
export { captureLog, LogCapture } from "./log_capture.ts";
export {
  assertNoResult,
  failureResultOf,
  successResultOf,
} from "./deferred_results.ts";
export {
  connectedServerAndClient,
  type ConnectedServerAndClientOptions,
  FakeTransport,
  IOPump,
  type ProtocolSource,
} from "./iosim.ts";
export { AccumulatingProtocol } from "./accumulating_protocol.ts";
export { MemoryProcessTransport } from "./memory_process_transport.ts";
export {
  FakeConnector,
  FakePort,
  MemoryReactor,
  MemoryReactorClock,
  type ProcessRecord,
  type SSLClientRecord,
  type SSLServerRecord,
  type StoredTrigger,
  type TCPClientRecord,
  type TCPServerRecord,
  type UDPServerRecord,
  type UNIXClientRecord,
  type UNIXServerRecord,
} from "./memory_reactor.ts";
