// Copyright 2026 the Torsion authors. MIT license.
// Ported from Twisted's twisted/internet/test/test_core.py
// (SystemEventTestsBuilder), twisted/test/test_internet.py
// (ThreePhaseEventTests, SystemEventTests) and the signal tests of
// twisted/internet/test/test_base.py: the reactor's lifecycle, system event
// triggers, shutdown and signals.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Deferred } from "../../defer/deferred.ts";
import type { Failure } from "../../defer/failure.ts";
import type { IPv4Address } from "../../reactor/address.ts";
import { ClientFactory, Factory } from "../../reactor/factory.ts";
import {
  ConnectionLost,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
} from "../../reactor/errors.ts";
import { Protocol } from "../../reactor/protocol.ts";
import { Reactor } from "../../reactor/reactor.ts";
import { captureLog } from "../../reactor/testing/log_capture.ts";
import {
  runToEnd,
  signal,
  stopIfRunning,
  turn,
  withReactor,
} from "../_reactor.ts";

class DummyException extends Error {
  constructor() {
    super("dummy");
    this.name = "DummyException";
  }
}

// --- run(), stop(), crash() ---

Deno.test("Reactor.stop() throws ReactorNotRunning before run()", () => {
  throws(() => new Reactor().stop(), ReactorNotRunning);
});

Deno.test("Reactor.stop() throws ReactorNotRunning once the reactor has stopped", async () => {
  await withReactor(async (reactor, done) => {
    reactor.callWhenRunning(() => reactor.stop());
    await done;
    throws(() => reactor.stop(), ReactorNotRunning);
  });
});

Deno.test("Reactor.stop() throws ReactorNotRunning when called twice", async () => {
  await withReactor(async (reactor, done) => {
    reactor.stop();
    throws(() => reactor.stop(), ReactorNotRunning);
    await done;
  });
});

Deno.test("Reactor.run() throws ReactorAlreadyRunning while it runs", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.callWhenRunning(() => {
      throws(() => reactor.run(), ReactorAlreadyRunning);
      events.push("tested");
    });
    reactor.callWhenRunning(() => reactor.stop());
    await done;
    deepEqual(events, ["tested"]);
  });
});

Deno.test("Reactor.run() throws ReactorNotRestartable after the reactor stopped", async () => {
  await withReactor(async (reactor, done) => {
    reactor.stop();
    await done;
    throws(() => reactor.run(), ReactorNotRestartable);
  });
});

Deno.test("Reactor.run() throws ReactorNotRestartable from an after-shutdown trigger", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.callWhenRunning(() => reactor.stop());
    reactor.addSystemEventTrigger("after", "shutdown", () => {
      throws(() => reactor.run(), ReactorNotRestartable);
      events.push("tested");
    });
    await done;
    deepEqual(events, ["tested"]);
  });
});

Deno.test("Reactor.crash() stops the reactor at once without firing shutdown triggers", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.addSystemEventTrigger("before", "shutdown", () => {
      events.push("before shutdown");
    });
    reactor.callWhenRunning(() => reactor.callLater(0, () => reactor.crash()));
    await done;
    equal(reactor.running, false);
    deepEqual(events, []);
  });
});

Deno.test("Reactor.run() runs the reactor again after crash()", async () => {
  const reactor = new Reactor();
  const events: (string | [string, boolean])[] = [];
  reactor.callWhenRunning(() => {
    events.push("crash");
    reactor.crash();
  });
  await runToEnd(reactor);
  reactor.callWhenRunning(() => {
    events.push(["stop", reactor.running]);
    reactor.stop();
  });
  await runToEnd(reactor);
  deepEqual(events, ["crash", ["stop", true]]);
});

Deno.test("Reactor.running is false in before-startup triggers and true in during and after ones", async () => {
  const reactor = new Reactor();
  const state: Record<string, boolean> = {};
  reactor.addSystemEventTrigger("before", "startup", () => {
    state.before = reactor.running;
  });
  reactor.addSystemEventTrigger("during", "startup", () => {
    state.during = reactor.running;
  });
  reactor.addSystemEventTrigger("after", "startup", () => {
    state.after = reactor.running;
  });
  reactor.callWhenRunning(() => reactor.stop());
  equal(reactor.running, false);
  deepEqual(state, {});
  await runToEnd(reactor);
  deepEqual(state, { before: false, during: true, after: true });
});

Deno.test("Reactor.callWhenRunning() functions run in the order given, with their arguments", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.callWhenRunning((s: string) => events.push(s), "first");
  reactor.callWhenRunning((s: string) => events.push(s), "second");
  reactor.callWhenRunning(() => reactor.stop());
  await runToEnd(reactor);
  deepEqual(events, ["first", "second"]);
});

Deno.test("Reactor.callWhenRunning() calls at once once the reactor runs, and returns undefined", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    const id = reactor.callWhenRunning((s: string) => events.push(s), "now");
    deepEqual(events, ["now"]);
    equal(id, undefined);
    reactor.stop();
    await done;
  });
});

Deno.test("Reactor.callWhenRunning() before run() returns a trigger that removeSystemEventTrigger() cancels", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const id = reactor.callWhenRunning(() => events.push("removed"));
  reactor.callWhenRunning(() => events.push("kept"));
  ok(id !== undefined);
  reactor.removeSystemEventTrigger(id);
  reactor.callWhenRunning(() => reactor.stop());
  await runToEnd(reactor);
  deepEqual(events, ["kept"]);
});

Deno.test("Reactor dispatches nothing before run()", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.callLater(0, () => events.push("timer"));
  reactor.callWhenRunning(() => events.push("running"));
  reactor.addSystemEventTrigger("before", "startup", () => {
    events.push("startup");
  });
  await turn();
  deepEqual(events, []);
  reactor.callLater(0, () => reactor.stop());
  await runToEnd(reactor);
  deepEqual(events, ["startup", "running", "timer"]);
});

Deno.test("Reactor.run() waits for a Deferred from a before-startup trigger before running", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("before", "startup", () => {
    events.push("trigger");
    const d = new Deferred<void>();
    d.addCallback(() => {
      events.push(`callback running=${reactor.running}`);
      reactor.stop();
    });
    reactor.callLater(0, () => d.callback(undefined));
    return d;
  });
  reactor.callWhenRunning(() => events.push("running"));
  await runToEnd(reactor);
  deepEqual(events, ["trigger", "callback running=false", "running"]);
});

Deno.test("Reactor.run() settles only after the shutdown, once the after-shutdown triggers ran", async () => {
  await withReactor(async (reactor, done) => {
    let settled = false;
    const seen: boolean[] = [];
    done.then(() => {
      settled = true;
    });
    reactor.addSystemEventTrigger("after", "shutdown", () => {
      seen.push(settled);
    });
    reactor.stop();
    await done;
    deepEqual(seen, [false]);
    equal(settled, true);
  });
});

// --- System event triggers (Twisted's ThreePhaseEventTests and
// SystemEventTests); no running reactor needed. ---

for (const phase of ["before", "during", "after"] as const) {
  Deno.test(`Reactor.addSystemEventTrigger() "${phase}" trigger runs only when its event fires`, () => {
    const reactor = new Reactor();
    const events: string[] = [];
    reactor.addSystemEventTrigger(phase, "test", () => events.push(phase));
    reactor.fireSystemEvent("other");
    deepEqual(events, []);
    reactor.fireSystemEvent("test");
    deepEqual(events, [phase]);
  });
}

Deno.test("Reactor.addSystemEventTrigger() throws RangeError for an unknown phase", () => {
  const reactor = new Reactor();
  throws(
    () =>
      reactor.addSystemEventTrigger(
        "xxx" as "before",
        "test",
        () => {},
      ),
    RangeError,
  );
});

Deno.test("Reactor.fireSystemEvent() runs before, during and after triggers in that order, each in the order added", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const add = (phase: "before" | "during" | "after", tag: string) =>
    reactor.addSystemEventTrigger(
      phase,
      "test",
      (s: string) => events.push(s),
      tag,
    );
  add("after", "first after");
  add("during", "first during");
  add("before", "first before");
  add("before", "second before");
  add("during", "second during");
  add("after", "second after");
  deepEqual(events, []);
  reactor.fireSystemEvent("test");
  deepEqual(events, [
    "first before",
    "second before",
    "first during",
    "second during",
    "first after",
    "second after",
  ]);
});

Deno.test("Reactor.fireSystemEvent() waits for a Deferred returned by a before trigger", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const beforeResult = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "test", () => beforeResult);
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  deepEqual(events, []);
  beforeResult.callback(undefined);
  deepEqual(events, ["during", "after"]);
});

Deno.test("Reactor.fireSystemEvent() waits for every Deferred the before triggers return", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const first = new Deferred<void>();
  const second = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "test", () => first);
  reactor.addSystemEventTrigger("before", "test", () => second);
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.fireSystemEvent("test");
  deepEqual(events, []);
  first.callback(undefined);
  deepEqual(events, []);
  second.callback(undefined);
  deepEqual(events, ["during"]);
});

Deno.test("Reactor.fireSystemEvent() runs the later before triggers when one fires an earlier trigger's Deferred", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const first = new Deferred<void>();
  const second = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "test", () => first);
  reactor.addSystemEventTrigger(
    "before",
    "test",
    () => first.callback(undefined),
  );
  reactor.addSystemEventTrigger("before", "test", () => {
    events.push("before");
    return second;
  });
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["before"]);
  second.callback(undefined);
  deepEqual(events, ["before", "during"]);
});

Deno.test("Reactor.fireSystemEvent() waits for a promise returned by a before trigger", async () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const [gate, open] = signal();
  const [after, afterRan] = signal();
  reactor.addSystemEventTrigger("before", "test", () => gate);
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.addSystemEventTrigger("after", "test", () => afterRan());
  reactor.fireSystemEvent("test");
  await turn();
  deepEqual(events, []);
  open();
  await after;
  deepEqual(events, ["during"]);
});

Deno.test("Reactor.fireSystemEvent() goes on to the during phase when a before trigger's Deferred fails", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const d = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "test", () => d);
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.fireSystemEvent("test");
  d.errback(new DummyException());
  deepEqual(events, ["during"]);
  // The failure is the trigger's to handle, as in Twisted.
  d.addErrback(() => {});
});

Deno.test("Reactor.fireSystemEvent() logs an error thrown by a before trigger and runs the others", () => {
  using captured = captureLog();
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("before", "test", () => {
    throw new DummyException();
  });
  reactor.addSystemEventTrigger("before", "test", () => events.push("before"));
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["before", "during"]);
  equal(captured.flushLoggedErrors(DummyException).length, 1);
});

Deno.test("Reactor.fireSystemEvent() logs an error thrown by a during trigger and runs the others", () => {
  using captured = captureLog();
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("during", "test", () => {
    throw new DummyException();
  });
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["during", "after"]);
  equal(captured.flushLoggedErrors(DummyException).length, 1);
});

Deno.test("Reactor.fireSystemEvent() logs an error thrown by an after trigger and runs the others", () => {
  using captured = captureLog();
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("after", "test", () => {
    throw new DummyException();
  });
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["after"]);
  equal(captured.flushLoggedErrors(DummyException).length, 1);
});

Deno.test("Reactor.fireSystemEvent() runs each trigger once", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("before", "test", () => events.push("before"));
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  reactor.fireSystemEvent("test");
  deepEqual(events, ["before", "during", "after"]);
});

Deno.test("Reactor.fireSystemEvent() runs a before trigger added while the before phase runs", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("before", "test", () => {
    events.push("first");
    reactor.addSystemEventTrigger("before", "test", () => events.push("added"));
  });
  reactor.addSystemEventTrigger("during", "test", () => events.push("during"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["first", "added", "during"]);
});

Deno.test("Reactor.fireSystemEvent() on one event is not held up by Deferreds another event waits on", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const firstDeferred = new Deferred<void>();
  const secondDeferred = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "first-event", () => {
    events.push("before first");
    return firstDeferred;
  });
  reactor.addSystemEventTrigger("after", "first-event", () => {
    events.push("after first");
  });
  reactor.addSystemEventTrigger("before", "second-event", () => {
    events.push("before second");
    return secondDeferred;
  });
  reactor.addSystemEventTrigger("after", "second-event", () => {
    events.push("after second");
  });
  reactor.fireSystemEvent("first-event");
  deepEqual(events, ["before first"]);
  reactor.fireSystemEvent("second-event");
  deepEqual(events, ["before first", "before second"]);
  firstDeferred.callback(undefined);
  deepEqual(events, ["before first", "before second", "after first"]);
  secondDeferred.callback(undefined);
  deepEqual(events, [
    "before first",
    "before second",
    "after first",
    "after second",
  ]);
});

// --- removeSystemEventTrigger() ---

Deno.test("Reactor.removeSystemEventTrigger() keeps the trigger from running", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger("before", "test", () => events.push("first"));
  const id = reactor.addSystemEventTrigger(
    "before",
    "test",
    () => events.push("second"),
  );
  reactor.removeSystemEventTrigger(id);
  reactor.fireSystemEvent("test");
  deepEqual(events, ["first"]);
});

Deno.test("Reactor.removeSystemEventTrigger() throws for a trigger removed already", () => {
  const reactor = new Reactor();
  const id = reactor.addSystemEventTrigger("during", "test", () => {});
  reactor.removeSystemEventTrigger(id);
  throws(() => reactor.removeSystemEventTrigger(id), Error);
});

Deno.test("Reactor.removeSystemEventTrigger() throws for a handle of an event never registered", () => {
  const reactor = new Reactor();
  throws(
    () =>
      reactor.removeSystemEventTrigger({ eventType: "nope", phase: "before" }),
    Error,
  );
});

Deno.test("Reactor.removeSystemEventTrigger() throws TypeError for null", () => {
  const reactor = new Reactor();
  throws(
    () => reactor.removeSystemEventTrigger(null as unknown as never),
    TypeError,
  );
});

Deno.test("Reactor.removeSystemEventTrigger() throws RangeError for a handle with an unknown phase", () => {
  const reactor = new Reactor();
  reactor.addSystemEventTrigger("during", "test", () => {});
  throws(
    () =>
      reactor.removeSystemEventTrigger({
        eventType: "test",
        phase: "xxx" as "during",
      }),
    RangeError,
  );
});

Deno.test("Reactor.removeSystemEventTrigger() from a before trigger stops a before trigger yet to run", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger(
    "before",
    "test",
    () => reactor.removeSystemEventTrigger(handle),
  );
  const handle = reactor.addSystemEventTrigger(
    "before",
    "test",
    () => events.push("first"),
  );
  reactor.addSystemEventTrigger("before", "test", () => events.push("second"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["second"]);
});

Deno.test("Reactor.removeSystemEventTrigger() from a before trigger of a before trigger that ran does nothing", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const handle = reactor.addSystemEventTrigger(
    "before",
    "test",
    () => events.push("first"),
  );
  reactor.addSystemEventTrigger(
    "before",
    "test",
    () => reactor.removeSystemEventTrigger(handle),
  );
  reactor.addSystemEventTrigger("before", "test", () => events.push("second"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["first", "second"]);
});

Deno.test("Reactor.removeSystemEventTrigger() from a before trigger stops a during trigger", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger(
    "before",
    "test",
    () => reactor.removeSystemEventTrigger(handle),
  );
  const handle = reactor.addSystemEventTrigger(
    "during",
    "test",
    () => events.push("during"),
  );
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["after"]);
});

Deno.test("Reactor.removeSystemEventTrigger() while before Deferreds are pending stops a during trigger", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const beforeResult = new Deferred<void>();
  reactor.addSystemEventTrigger("before", "test", () => beforeResult);
  const handle = reactor.addSystemEventTrigger(
    "during",
    "test",
    () => events.push("during"),
  );
  reactor.addSystemEventTrigger("after", "test", () => events.push("after"));
  reactor.fireSystemEvent("test");
  reactor.removeSystemEventTrigger(handle);
  beforeResult.callback(undefined);
  deepEqual(events, ["after"]);
});

Deno.test("Reactor.removeSystemEventTrigger() of a during trigger like a before one that ran removes the during one", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  const trigger = () => events.push("trigger");
  reactor.addSystemEventTrigger("before", "test", trigger);
  reactor.addSystemEventTrigger(
    "before",
    "test",
    () => reactor.removeSystemEventTrigger(handle),
  );
  const handle = reactor.addSystemEventTrigger("during", "test", trigger);
  reactor.fireSystemEvent("test");
  deepEqual(events, ["trigger"]);
});

Deno.test("Reactor.removeSystemEventTrigger() from a during trigger stops a during trigger yet to run", () => {
  const reactor = new Reactor();
  const events: string[] = [];
  reactor.addSystemEventTrigger(
    "during",
    "test",
    () => reactor.removeSystemEventTrigger(handle),
  );
  const handle = reactor.addSystemEventTrigger(
    "during",
    "test",
    () => events.push("first"),
  );
  reactor.addSystemEventTrigger("during", "test", () => events.push("second"));
  reactor.fireSystemEvent("test");
  deepEqual(events, ["second"]);
});

// --- Shutdown ---

Deno.test("Reactor.stop() fires the before, during and after shutdown triggers before run() settles", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    for (const phase of ["before", "during", "after"] as const) {
      reactor.addSystemEventTrigger(
        phase,
        "shutdown",
        () => events.push(phase),
      );
    }
    reactor.callWhenRunning(() => reactor.stop());
    await done;
    deepEqual(events, ["before", "during", "after"]);
  });
});

Deno.test("Reactor.stop() fires shutdown on a later iteration, not from inside stop()", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.addSystemEventTrigger(
      "before",
      "shutdown",
      (s: string) => events.push(s),
      "before shutdown",
    );
    reactor.callWhenRunning(() => {
      reactor.stop();
      events.push("stopped");
    });
    await done;
    deepEqual(events, ["stopped", "before shutdown"]);
  });
});

Deno.test("Reactor.stop() still runs the timed calls already due before the shutdown", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.addSystemEventTrigger("before", "shutdown", () => {
      events.push("shutdown");
    });
    reactor.callWhenRunning(() => {
      reactor.callLater(0, () => events.push("due"));
      reactor.stop();
    });
    await done;
    deepEqual(events, ["due", "shutdown"]);
  });
});

Deno.test("Reactor.stop() does not wait for timed calls that are not due", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    const later = reactor.callLater(3600, () => events.push("later"));
    reactor.stop();
    await done;
    deepEqual(events, []);
    equal(later.active(), true);
  });
});

Deno.test("Reactor.stop() waits for a before-shutdown Deferred, running timed calls meanwhile", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.addSystemEventTrigger("before", "shutdown", () => {
      events.push("before");
      const d = new Deferred<void>();
      reactor.callLater(0.01, () => {
        events.push(`timer running=${reactor.running}`);
        d.callback(undefined);
      });
      return d;
    });
    reactor.addSystemEventTrigger("during", "shutdown", () => {
      events.push("during");
    });
    reactor.stop();
    await done;
    deepEqual(events, ["before", "timer running=true", "during"]);
  });
});

Deno.test("Reactor.stop() waits for a promise from a before-shutdown trigger", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    reactor.addSystemEventTrigger("before", "shutdown", async () => {
      await new Promise<void>((resolve) => reactor.callLater(0, resolve));
      events.push("cleaned up");
    });
    reactor.addSystemEventTrigger("after", "shutdown", () => {
      events.push("after");
    });
    reactor.stop();
    await done;
    deepEqual(events, ["cleaned up", "after"]);
  });
});

Deno.test("Reactor shutdown stops the reactor before user during-shutdown triggers run", async () => {
  await withReactor(async (reactor, done) => {
    const seen: boolean[] = [];
    reactor.addSystemEventTrigger("before", "shutdown", () => {
      seen.push(reactor.running);
    });
    reactor.addSystemEventTrigger("during", "shutdown", () => {
      seen.push(reactor.running);
    });
    reactor.stop();
    await done;
    deepEqual(seen, [true, false]);
  });
});

Deno.test("Reactor shutdown closes connections with ConnectionLost before user during-shutdown triggers", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    const [serverMade, onServerMade] = signal();
    const [clientMade, onClientMade] = signal();
    class Server extends Protocol {
      override connectionMade(): void {
        onServerMade();
      }
      override connectionLost(reason: Failure): void {
        events.push(`server lost ${reason.check(ConnectionLost)?.name}`);
      }
    }
    class Client extends Protocol {
      override connectionMade(): void {
        onClientMade();
      }
      override connectionLost(reason: Failure): void {
        events.push(`client lost ${reason.check(ConnectionLost)?.name}`);
      }
    }
    const factory = Factory.forProtocol(Server);
    factory.noisy = false;
    const port = reactor.listenTCP(0, factory, { interface: "127.0.0.1" });
    const client = ClientFactory.forProtocol(Client);
    client.noisy = false;
    reactor.connectTCP(
      "127.0.0.1",
      (port.getHost() as IPv4Address).port,
      client,
    );
    await Promise.all([serverMade, clientMade]);
    reactor.addSystemEventTrigger("during", "shutdown", () => {
      events.push("during");
    });
    reactor.stop();
    await done;
    equal(events.length, 3);
    equal(events[2], "during");
    deepEqual(events.slice(0, 2).sort(), [
      "client lost ConnectionLost",
      "server lost ConnectionLost",
    ]);
  });
});

Deno.test("Reactor shutdown stops listening ports and their factories", async () => {
  await withReactor(async (reactor, done) => {
    const events: string[] = [];
    class Recording extends Factory {
      override noisy = false;
      override stopFactory(): void {
        events.push("stopFactory");
      }
    }
    using captured = captureLog();
    const port = reactor.listenTCP(0, new Recording(), {
      interface: "127.0.0.1",
    });
    equal(port.connected, true);
    reactor.stop();
    await done;
    equal(port.connected, false);
    deepEqual(events, ["stopFactory"]);
    ok(captured.messages.some((m) => /^\(TCP Port \d+ Closed\)$/.test(m)));
  });
});

Deno.test("Reactor shutdown logs an error closing one resource and still closes the others", async () => {
  using captured = captureLog();
  await withReactor(async (reactor, done) => {
    let closedOK = false;
    reactor._addResource({
      _reactorShutdown() {
        throw new RangeError("simulated close error");
      },
    });
    reactor._addResource({
      _reactorShutdown() {
        closedOK = true;
      },
    });
    reactor.stop();
    await done;
    equal(captured.flushLoggedErrors(RangeError).length, 1);
    equal(closedOK, true);
  });
});

// --- Signals. Each test keeps a SIGTERM listener of its own while it sends
// the signal to this process, so the default action (exit) can never happen,
// whatever the reactor does. ---

/** Listens for SIGTERM; `next()` gives a promise of the next one. */
function guardSigterm(): { next(): Promise<void> } & AsyncDisposable {
  let resolve = () => {};
  const listener = () => resolve();
  Deno.addSignalListener("SIGTERM", listener);
  return {
    next() {
      const p = Promise.withResolvers<void>();
      // A signal listener does not keep the event loop alive; a timer does,
      // until the signal has come.
      const keepAlive = setInterval(() => {}, 60_000);
      resolve = () => {
        clearInterval(keepAlive);
        p.resolve();
      };
      return p.promise;
    },
    async [Symbol.asyncDispose]() {
      Deno.removeSignalListener("SIGTERM", listener);
      // Let the pending signal operations (ours, and the reactor's) see the
      // removal, so that they do not complete during the next test.
      await turn();
    },
  };
}

const SIGTERM_MESSAGE = "Received SIGTERM, shutting down.";

Deno.test("Reactor.run() stops the reactor on SIGTERM, logging it", async () => {
  using captured = captureLog();
  await using guard = guardSigterm();
  const events: string[] = [];
  let stoppedHere = true;
  await withReactor(async (reactor, done) => {
    reactor.addSystemEventTrigger("before", "shutdown", () => {
      events.push("shutdown");
    });
    const received = guard.next();
    Deno.kill(Deno.pid, "SIGTERM");
    await received;
    // The reactor's listener ran with the guard's, so stop() was called.
    stoppedHere = stopIfRunning(reactor);
    await done;
  }, {});
  equal(stoppedHere, false);
  deepEqual(events, ["shutdown"]);
  ok(captured.messages.includes(SIGTERM_MESSAGE));
});

Deno.test("Reactor.run() removes its signal listeners once the reactor stopped", async () => {
  using captured = captureLog();
  await using guard = guardSigterm();
  await withReactor(async (reactor, done) => {
    reactor.stop();
    await done;
  }, {});
  const received = guard.next();
  Deno.kill(Deno.pid, "SIGTERM");
  await received;
  equal(captured.messages.includes(SIGTERM_MESSAGE), false);
});

Deno.test("Reactor.run({ installSignalHandlers: false }) leaves SIGTERM alone", async () => {
  using captured = captureLog();
  await using guard = guardSigterm();
  await withReactor(async (reactor, done) => {
    const received = guard.next();
    Deno.kill(Deno.pid, "SIGTERM");
    await received;
    const stoppedHere = stopIfRunning(reactor);
    await done;
    equal(stoppedHere, true);
    equal(captured.messages.includes(SIGTERM_MESSAGE), false);
  });
});

Deno.test("Reactor.crash() right after run() lets run() settle", async () => {
  await withReactor(async (reactor, done) => {
    reactor.crash();
    await done;
    equal(reactor.running, false);
  });
});
