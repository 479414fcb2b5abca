// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode StatefulStringProtocol}: dispatch of received strings by state,
 * after `twisted.protocols.basic.StatefulStringProtocol`.
 *
 * @module
 */

import * as log from "../defer/log.ts";
import type { ITransport } from "../reactor/interfaces.ts";

/**
 * The handlers of a {@linkcode StatefulStringProtocol}, one per state (the
 * `proto_<state>` methods of Twisted): each gets a string received in its
 * state and returns the next state, or `"done"` to close the connection.
 *
 * @typeParam S The state names.
 *
 * @example Usage
 * ```ts
 * import type { StateHandlers } from "@torsion/torsion/protocols";
 * import { equal } from "node:assert/strict";
 *
 * const handlers: StateHandlers<"init" | "body"> = {
 *   init: () => "body",
 *   body: (data) => data.length === 0 ? "done" : "body",
 * };
 * equal(handlers.init(new Uint8Array([1])), "body");
 * ```
 */
export type StateHandlers<S extends string> = {
  readonly [K in S]: (data: Uint8Array) => NoInfer<S> | "done";
};

/**
 * What a {@linkcode StatefulStringProtocol} works for: a string receiver
 * with a transport (and, optionally, a log prefix).
 *
 * @example Usage
 * ```ts
 * import type { StatefulStringOwner } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const owner: StatefulStringOwner = {
 *   transport: new StringTransport(),
 *   logPrefix: () => "Login",
 * };
 * equal(owner.logPrefix?.(), "Login");
 * ```
 */
export interface StatefulStringOwner {
  /** The transport closed when a handler returns `"done"`. */
  readonly transport: ITransport;
  /** The prefix of log lines about the owner. */
  logPrefix?(): string;
}

/**
 * Calls a handler per state for each string received (Twisted's
 * `StatefulStringProtocol`, a mixin there). TypeScript mixins need `any`, so
 * here it is a helper the protocol owns and calls from `stringReceived`:
 * the handlers go in a table keyed by state name, where Twisted has a
 * `proto_<state>` method per state ({@linkcode StatefulStringProtocol.proto}
 * `.init` stands for `proto_init`). It works with any string receiver:
 * {@linkcode NetstringReceiver}, {@linkcode Int32StringReceiver}, and the
 * others.
 *
 * The {@linkcode StatefulStringProtocol.state} starts as `"init"`; each
 * handler's return value becomes the next state; `"done"` closes the
 * connection. A string arriving in a state without a handler (such as
 * `"done"`) is logged as `callback <state> not found` and dropped.
 *
 * @typeParam S The state names, inferred from the handler table.
 *
 * @example Usage
 * ```ts
 * import { NetstringReceiver, StatefulStringProtocol } from "@torsion/torsion/protocols";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * // A login: a user name, then a password, then the connection closes.
 * class Login extends NetstringReceiver {
 *   user = "";
 *   readonly states = new StatefulStringProtocol(this, {
 *     init: (data) => {
 *       this.user = new TextDecoder().decode(data);
 *       this.sendString("password?");
 *       return "password";
 *     },
 *     password: (data) => {
 *       const ok = new TextDecoder().decode(data) === "secret";
 *       this.sendString(ok ? `welcome ${this.user}` : "denied");
 *       return "done";
 *     },
 *   });
 *   override stringReceived(data: Uint8Array): void {
 *     this.states.stringReceived(data);
 *   }
 * }
 * const t = new StringTransport();
 * const p = new Login();
 * p.makeConnection(t);
 * p.dataReceived(new TextEncoder().encode("3:bob,6:secret,"));
 * equal(t.valueText(), "9:password?,11:welcome bob,");
 * equal(t.disconnecting, true);
 * equal(p.states.state, "done");
 * ```
 */
export class StatefulStringProtocol<const S extends string = string> {
  /**
   * The current state: the key of the handler called for the next string.
   *
   * @default {"init"}
   */
  state: S | "done";
  /** The handlers, by state name. */
  readonly proto: StateHandlers<S>;
  #owner: StatefulStringOwner;

  /**
   * Creates the dispatcher.
   *
   * @param owner The protocol receiving the strings.
   * @param proto The handlers, by state name.
   * @param initialState The first state.
   */
  constructor(
    owner: StatefulStringOwner,
    proto: StateHandlers<S>,
    initialState: S = "init" as S,
  ) {
    this.#owner = owner;
    this.proto = proto;
    this.state = initialState;
  }

  /**
   * Calls the handler of the current state with `data`, and moves to the
   * state it returns; `"done"` closes the owner's connection. Call it from
   * the owner's `stringReceived`.
   *
   * @param data The string received.
   *
   * @example Usage
   * ```ts
   * import { StatefulStringProtocol } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const transport = new StringTransport();
   * const s = new StatefulStringProtocol({ transport }, {
   *   init: () => "next",
   *   next: () => "done",
   * });
   * s.stringReceived(new Uint8Array());
   * equal(s.state, "next");
   * s.stringReceived(new Uint8Array());
   * equal(transport.disconnecting, true);
   * ```
   */
  stringReceived(data: Uint8Array): void {
    const state = this.state;
    const proto = this.proto as Readonly<
      Record<string, (data: Uint8Array) => S | "done">
    >;
    if (!Object.hasOwn(proto, state)) {
      log.msg(`callback ${state} not found`, {
        system: this.#owner.logPrefix?.() ?? "-",
      });
      return;
    }
    this.state = proto[state](data);
    if (this.state === "done") this.#owner.transport.loseConnection();
  }
}
