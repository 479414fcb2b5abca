// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode NetstringParseError}: the error of invalid netstring data.
 *
 * @module
 */

/**
 * The received data is not a valid netstring (Twisted's
 * `NetstringParseError`). {@linkcode NetstringReceiver} does not throw it: it
 * closes the connection, sets `brokenPeer`, and keeps the error in
 * {@linkcode NetstringReceiver.parseError}.
 *
 * @example Usage
 * ```ts
 * import { NetstringParseError, NetstringReceiver } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { ok } from "node:assert/strict";
 *
 * const p = new NetstringReceiver();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(new TextEncoder().encode("007:abcdefg,"));
 * ok(p.parseError instanceof NetstringParseError);
 * ok(p.parseError instanceof SyntaxError);
 * ```
 */
export class NetstringParseError extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetstringParseError";
  }
}
