// Copyright 2026 the Torsion authors. MIT license.
/**
 * The errors of `twisted.words.protocols.irc`: {@linkcode IRCBadMessage},
 * {@linkcode IRCBadModes} and {@linkcode IRCPasswordMismatch}.
 *
 * @module
 */

/**
 * A line from the server is not a valid IRC message (Twisted's
 * `IRCBadMessage`): empty, too long, without a command, with a numeric that
 * lacks parameters, or not UTF-8. {@linkcode parseMessage} throws it;
 * `IRCClient` catches it, logs the line through `badMessage` and goes on
 * with the next line.
 *
 * @example Usage
 * ```ts
 * import { IRCBadMessage, parseMessage } from "@torsion/torsion/irc";
 * import { equal, ok, throws } from "node:assert/strict";
 *
 * throws(() => parseMessage(""), (e: unknown) => {
 *   ok(e instanceof IRCBadMessage);
 *   ok(e instanceof SyntaxError);
 *   equal(e.message, "Empty line.");
 *   return true;
 * });
 * ```
 */
export class IRCBadMessage extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IRCBadMessage";
  }
}

/**
 * A mode string could not be parsed (Twisted's `IRCBadModes`, a
 * `ValueError` there): see {@linkcode parseModes}.
 *
 * @example Usage
 * ```ts
 * import { IRCBadModes, parseModes } from "@torsion/torsion/irc";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => parseModes("+s", ["extra"]), IRCBadModes);
 * ```
 */
export class IRCBadModes extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IRCBadModes";
  }
}

/**
 * The server refused the password (`ERR_PASSWDMISMATCH`); thrown by
 * `IRCClient.irc_ERR_PASSWDMISMATCH` with Twisted's text, "Password
 * Incorrect.", and logged by the dispatch like any handler's error.
 *
 * @example Usage
 * ```ts
 * import { IRCPasswordMismatch } from "@torsion/torsion/irc";
 * import { equal } from "node:assert/strict";
 *
 * const e = new IRCPasswordMismatch("Password Incorrect.");
 * equal(e.name, "IRCPasswordMismatch");
 * equal(e.message, "Password Incorrect.");
 * ```
 */
export class IRCPasswordMismatch extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IRCPasswordMismatch";
  }
}
