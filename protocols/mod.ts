// Copyright 2026 the Torsion authors. MIT license.
/**
 * Protocol helpers, after `twisted.protocols`: framing
 * ({@linkcode LineReceiver}, {@linkcode LineOnlyReceiver},
 * {@linkcode NetstringReceiver}, {@linkcode Int32StringReceiver} and its
 * 8 and 16-bit siblings), state dispatch
 * ({@linkcode StatefulStringProtocol}), a file producer
 * ({@linkcode FileSender}) and the toy services of `wire` ({@linkcode Echo},
 * {@linkcode Discard}, {@linkcode Chargen}, {@linkcode QOTD}, {@linkcode Who},
 * {@linkcode Daytime}, {@linkcode Time}); and the policies of
 * `twisted.protocols.policies` (protocol wrappers, timeouts, connection
 * limits, throttling), from `./policies/mod.ts`.
 *
 * They only parse bytes and write to their transport, so they are tested
 * with a `StringTransport`, at any chunk size.
 *
 * ```ts
 * import { LineReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * class Shout extends LineReceiver {
 *   override lineReceived(line: string): void {
 *     this.sendLine(line.toUpperCase());
 *   }
 * }
 * const t = new StringTransport();
 * const p = new Shout();
 * p.makeConnection(t);
 * for (const byte of new TextEncoder().encode("hi\r\nthere\r\n")) {
 *   p.dataReceived(new Uint8Array([byte]));
 * }
 * equal(t.valueText(), "HI\r\nTHERE\r\n");
 * ```
 *
 * @module
 */

export { LineReceiver } from "./line_receiver.ts";
export { LineOnlyReceiver } from "./line_only_receiver.ts";
export { NetstringReceiver } from "./netstring_receiver.ts";
export { NetstringParseError } from "./netstring_parse_error.ts";
export {
  Int16StringReceiver,
  Int32StringReceiver,
  Int8StringReceiver,
  IntNStringReceiver,
  StringTooLongError,
} from "./int_string_receiver.ts";
export {
  type StatefulStringOwner,
  StatefulStringProtocol,
  type StateHandlers,
} from "./stateful_string_protocol.ts";
export {
  type AsyncReader,
  FileSender,
  type FileSenderSource,
  type FileSenderTransform,
  type SyncReader,
} from "./file_sender.ts";
export { Chargen, Daytime, Discard, Echo, QOTD, Time, Who } from "./wire.ts";
export * from "./policies/mod.ts";
