// Copyright 2026 the Torsion authors. MIT license.
// Behaviour of twisted.protocols.basic.StatefulStringProtocol.
import { deepEqual, equal } from "node:assert/strict";
import {
  Int32StringReceiver,
  NetstringReceiver,
  StatefulStringProtocol,
} from "../../protocols/mod.ts";
import { captureLog, StringTransport } from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A netstring login: a name, then a password, then done. */
class Login extends NetstringReceiver {
  log: string[] = [];
  readonly states = new StatefulStringProtocol(this, {
    init: (data) => {
      this.log.push(`name ${decoder.decode(data)}`);
      return "password";
    },
    password: (data) => {
      this.log.push(`password ${decoder.decode(data)}`);
      return "done";
    },
  });
  override stringReceived(data: Uint8Array): void {
    this.states.stringReceived(data);
  }
}

function connect<P extends { makeConnection(t: StringTransport): void }>(
  p: P,
): [P, StringTransport] {
  const t = new StringTransport();
  p.makeConnection(t);
  return [p, t];
}

Deno.test("StatefulStringProtocol starts in the init state", () => {
  const [p] = connect(new Login());
  equal(p.states.state, "init");
});

Deno.test("StatefulStringProtocol moves to the state the handler returns", () => {
  const [p, t] = connect(new Login());
  p.dataReceived(enc("3:bob,"));
  deepEqual(p.log, ["name bob"]);
  equal(p.states.state, "password");
  equal(t.disconnecting, false);
});

Deno.test("StatefulStringProtocol closes the connection on the done state", () => {
  const [p, t] = connect(new Login());
  p.dataReceived(enc("3:bob,6:secret,"));
  deepEqual(p.log, ["name bob", "password secret"]);
  equal(p.states.state, "done");
  equal(t.disconnecting, true);
});

Deno.test("StatefulStringProtocol logs and drops a string in a state without a handler", () => {
  using captured = captureLog();
  const [p] = connect(new Login());
  p.dataReceived(enc("3:bob,6:secret,5:extra,"));
  deepEqual(p.log, ["name bob", "password secret"]);
  deepEqual(captured.messages, ["callback done not found"]);
  equal(captured.events[0].system, "Login");
  equal(captured.events[0].isError, false);
});

Deno.test("StatefulStringProtocol ignores Object.prototype names as handlers", () => {
  using captured = captureLog();
  const transport = new StringTransport();
  const s = new StatefulStringProtocol<string>({ transport }, {}, "toString");
  s.stringReceived(enc("x"));
  equal(s.state, "toString");
  deepEqual(captured.messages, ["callback toString not found"]);
  equal(captured.events[0].system, "-");
});

Deno.test("StatefulStringProtocol starts in the state given to its constructor", () => {
  const transport = new StringTransport();
  const seen: string[] = [];
  const s = new StatefulStringProtocol({ transport }, {
    hello: () => {
      seen.push("hello");
      return "hello";
    },
  }, "hello");
  s.stringReceived(enc(""));
  deepEqual(seen, ["hello"]);
});

Deno.test("StatefulStringProtocol follows a state assigned from outside", () => {
  const [p] = connect(new Login());
  p.states.state = "password";
  p.dataReceived(enc("2:pw,"));
  deepEqual(p.log, ["password pw"]);
});

Deno.test("StatefulStringProtocol works over Int32StringReceiver at every chunk size", () => {
  class Counter extends Int32StringReceiver {
    total = 0;
    readonly states = new StatefulStringProtocol(this, {
      init: (data) => {
        this.total = data[0];
        return "adding";
      },
      adding: (data) => {
        this.total += data[0];
        return this.total >= 10 ? "done" : "adding";
      },
    });
    override stringReceived(data: Uint8Array): void {
      this.states.stringReceived(data);
    }
  }
  const wire = new Uint8Array([0, 0, 0, 1, 4, 0, 0, 0, 1, 3, 0, 0, 0, 1, 3]);
  for (let size = 1; size <= wire.length; size++) {
    const [p, t] = connect(new Counter());
    for (let i = 0; i < wire.length; i += size) {
      p.dataReceived(wire.slice(i, i + size));
    }
    equal(p.total, 10, `size ${size}`);
    equal(t.disconnecting, true);
  }
});
