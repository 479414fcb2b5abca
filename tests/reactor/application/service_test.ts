// Copyright 2026 the Torsion authors. MIT license.
// Service and MultiService, ported from Twisted's ServiceTests
// (twisted/test/test_application.py), plus the error handling of the tree.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Deferred } from "../../../defer/mod.ts";
import {
  MultiService,
  Service,
  ServiceStartError,
} from "../../../reactor/application/mod.ts";
import {
  assertNoResult,
  captureLog,
  failureResultOf,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

/** A service that records its events in `log`, named `name`. */
class Recorder extends Service {
  constructor(readonly log: string[], name: string) {
    super();
    this.setName(name);
  }
  override privilegedStartService(): void {
    this.log.push(`privileged ${this.name}`);
  }
  override startService(): void {
    super.startService();
    this.log.push(`start ${this.name}`);
  }
  override stopService(): void {
    super.stopService();
    this.log.push(`stop ${this.name}`);
  }
}

class Boom extends Error {
  constructor(message = "boom") {
    super(message);
    this.name = "Boom";
  }
}

Deno.test("Service starts with no name, no parent, not running", () => {
  const s = new Service();
  equal(s.name, null);
  equal(s.parent, null);
  equal(s.running, false);
});

Deno.test("Service.setName() sets the name", () => {
  const s = new Service();
  s.setName("hello");
  equal(s.name, "hello");
});

Deno.test("Service.setName() throws once the service has a parent", () => {
  const s = new Service();
  s.setName("hello");
  s.setServiceParent(new MultiService());
  throws(() => s.setName("lala"), {
    message: "cannot change name when parent exists",
  });
  equal(s.name, "hello");
});

Deno.test("Service.startService() and stopService() set and clear running", () => {
  const s = new Service();
  s.startService();
  equal(s.running, true);
  equal(s.stopService(), undefined);
  equal(s.running, false);
});

Deno.test("Service.setServiceParent() adds the service to the parent and sets parent", () => {
  const s = new Service();
  const p = new MultiService();
  s.setServiceParent(p);
  deepEqual([...p], [s]);
  equal(s.parent, p);
});

Deno.test("Service.setServiceParent() leaves the old parent first", () => {
  const s = new Service();
  const p1 = new MultiService();
  const p2 = new MultiService();
  s.setServiceParent(p1);
  s.setServiceParent(p2);
  deepEqual([...p1], []);
  deepEqual([...p2], [s]);
  equal(s.parent, p2);
});

Deno.test("Service.setServiceParent() of a named service makes it reachable by name", () => {
  const s = new Service();
  const p = new MultiService();
  s.setName("hello");
  s.setServiceParent(p);
  equal(p.getServiceNamed("hello"), s);
});

Deno.test("Service.setServiceParent() refuses a second child of the same name and leaves parent unset", () => {
  const p = new MultiService();
  const first = new Service();
  first.setName("hello");
  first.setServiceParent(p);
  const second = new Service();
  second.setName("hello");
  throws(() => second.setServiceParent(p), {
    message: "cannot have two services with same name 'hello'",
  });
  equal(second.parent, null);
  deepEqual([...p], [first]);
  equal(p.getServiceNamed("hello"), first);
});

Deno.test("Service.disownServiceParent() removes the service and clears parent", () => {
  const s = new Service();
  const p = new MultiService();
  s.setServiceParent(p);
  s.disownServiceParent();
  deepEqual([...p], []);
  equal(s.parent, null);
});

Deno.test("Service.disownServiceParent() throws without a parent", () => {
  throws(() => new Service().disownServiceParent(), /it has no parent/);
});

Deno.test("Service.toString() names the class and the service", () => {
  const s = new Service();
  equal(String(s), "<Service>");
  s.setName("web");
  equal(String(s), '<Service "web">');
});

Deno.test("MultiService.startService() starts the children in insertion order", () => {
  const log: string[] = [];
  const p = new MultiService();
  for (const name of ["a", "b", "c"]) {
    new Recorder(log, name).setServiceParent(p);
  }
  equal(p.startService(), undefined);
  deepEqual(log, ["start a", "start b", "start c"]);
  equal(p.running, true);
});

Deno.test("MultiService.privilegedStartService() calls every child's, in order, and starts nothing", () => {
  const log: string[] = [];
  const p = new MultiService();
  for (const name of ["a", "b"]) new Recorder(log, name).setServiceParent(p);
  p.privilegedStartService();
  deepEqual(log, ["privileged a", "privileged b"]);
  equal(p.running, false);
});

Deno.test("MultiService.stopService() stops the children in reverse order", () => {
  const log: string[] = [];
  const p = new MultiService();
  for (const name of ["a", "b", "c"]) {
    new Recorder(log, name).setServiceParent(p);
  }
  p.startService();
  log.length = 0;
  successResultOf(p.stopService());
  deepEqual(log, ["stop c", "stop b", "stop a"]);
  equal(p.running, false);
});

Deno.test("MultiService.stopService() stops a child while the earlier ones still run", () => {
  // Twisted's testRunningChildren2.
  const s = new Service();
  const seen: boolean[] = [];
  class Checker extends Service {
    override startService(): void {
      seen.push(s.running);
    }
    override stopService(): void {
      seen.push(s.running);
    }
  }
  const p = new MultiService();
  s.setServiceParent(p);
  new Checker().setServiceParent(p);
  p.startService();
  p.stopService();
  deepEqual(seen, [true, true]);
});

Deno.test("MultiService.stopService() waits for every child's Deferred, without waiting between them", () => {
  const stops = [new Deferred<void>(), new Deferred<void>()];
  const log: string[] = [];
  class Slow extends Service {
    constructor(readonly i: number) {
      super();
    }
    override stopService(): Deferred<void> {
      super.stopService();
      log.push(`stop ${this.i}`);
      return stops[this.i];
    }
  }
  const p = new MultiService();
  new Slow(0).setServiceParent(p);
  new Slow(1).setServiceParent(p);
  p.startService();
  const d = p.stopService();
  deepEqual(log, ["stop 1", "stop 0"]);
  assertNoResult(d);
  stops[0].callback();
  assertNoResult(d);
  stops[1].callback();
  equal(successResultOf(d), undefined);
});

Deno.test("MultiService.stopService() waits for a child's promise", async () => {
  const { promise, resolve } = Promise.withResolvers<void>();
  class Async extends Service {
    override stopService(): Promise<void> {
      super.stopService();
      return promise;
    }
  }
  const p = new MultiService();
  new Async().setServiceParent(p);
  p.startService();
  let stopped = false;
  const d = p.stopService().addCallback(() => {
    stopped = true;
  });
  await Promise.resolve();
  equal(stopped, false);
  resolve();
  await d;
  equal(stopped, true);
});

Deno.test("MultiService.stopService() logs a child that throws and stops the others", () => {
  const log: string[] = [];
  class Bad extends Service {
    override stopService(): void {
      throw new Boom();
    }
  }
  const p = new MultiService();
  new Recorder(log, "a").setServiceParent(p);
  const bad = new Bad();
  bad.setName("bad");
  bad.setServiceParent(p);
  new Recorder(log, "c").setServiceParent(p);
  p.startService();
  log.length = 0;
  using captured = captureLog();
  equal(successResultOf(p.stopService()), undefined);
  deepEqual(log, ["stop c", "stop a"]);
  deepEqual(captured.messages, ['Error stopping service "bad" (Bad)']);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("MultiService.stopService() logs a child whose Deferred fails, and fires", () => {
  const failing = new Deferred<void>();
  class Bad extends Service {
    override stopService(): Deferred<void> {
      return failing;
    }
  }
  const p = new MultiService();
  new Bad().setServiceParent(p);
  p.startService();
  using captured = captureLog();
  const d = p.stopService();
  assertNoResult(d);
  failing.errback(new Boom());
  successResultOf(d);
  deepEqual(captured.messages, ["Error stopping service an unnamed Bad"]);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("MultiService.startService() logs a child that throws, starts the others, then throws ServiceStartError", () => {
  const log: string[] = [];
  class Bad extends Service {
    override startService(): void {
      super.startService();
      throw new Boom("no port");
    }
  }
  const p = new MultiService();
  new Recorder(log, "a").setServiceParent(p);
  const bad = new Bad();
  bad.setName("bad");
  bad.setServiceParent(p);
  new Recorder(log, "c").setServiceParent(p);
  using captured = captureLog();
  let error: unknown;
  try {
    p.startService();
  } catch (e) {
    error = e;
  }
  deepEqual(log, ["start a", "start c"]);
  ok(error instanceof ServiceStartError);
  equal(error.failures.length, 1);
  equal(error.failures[0].service, bad);
  ok(error.failures[0].error instanceof Boom);
  equal(error.message, 'Cannot start 1 service: "bad" (Bad)');
  deepEqual(captured.messages, ['Error starting service "bad" (Bad)']);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("MultiService.privilegedStartService() logs a child that throws, calls the others, then throws", () => {
  const log: string[] = [];
  class Bad extends Service {
    override privilegedStartService(): void {
      throw new Boom();
    }
  }
  const p = new MultiService();
  new Bad().setServiceParent(p);
  new Recorder(log, "b").setServiceParent(p);
  using captured = captureLog();
  throws(() => p.privilegedStartService(), ServiceStartError);
  deepEqual(log, ["privileged b"]);
  deepEqual(captured.messages, [
    "Error in the privileged start of service an unnamed Bad",
  ]);
  captured.flushLoggedErrors(Boom);
});

Deno.test("MultiService.startService() reports the failures of a nested MultiService once", () => {
  class Bad extends Service {
    override startService(): void {
      throw new Boom();
    }
  }
  const root = new MultiService();
  const inner = new MultiService();
  inner.setServiceParent(root);
  const bad1 = new Bad();
  bad1.setServiceParent(inner);
  const bad2 = new Bad();
  bad2.setServiceParent(root);
  using captured = captureLog();
  let error: unknown;
  try {
    root.startService();
  } catch (e) {
    error = e;
  }
  ok(error instanceof ServiceStartError);
  deepEqual(error.failures.map((f) => f.service), [bad1, bad2]);
  equal(captured.flushLoggedErrors(Boom).length, 2);
  equal(captured.events.length, 0);
});

Deno.test("MultiService.startService() returns a Deferred that waits for the children's Deferreds and fails if one fails", () => {
  const starts = [new Deferred<void>(), new Deferred<void>()];
  class Async extends Service {
    constructor(readonly i: number) {
      super();
    }
    override startService(): Deferred<void> {
      super.startService();
      return starts[this.i];
    }
  }
  const p = new MultiService();
  const a = new Async(0);
  a.setServiceParent(p);
  new Async(1).setServiceParent(p);
  const d = p.startService();
  ok(d !== undefined);
  assertNoResult(d);
  using captured = captureLog();
  starts[0].errback(new Boom());
  assertNoResult(d);
  starts[1].callback();
  const f = failureResultOf(d, ServiceStartError);
  deepEqual(
    (f.value as ServiceStartError).failures.map((x) => x.service),
    [a],
  );
  deepEqual(captured.messages, ["Error starting service an unnamed Async"]);
  captured.flushLoggedErrors(Boom);
});

Deno.test("MultiService.startService() handles a child's rejected promise (no unhandled rejection)", async () => {
  class Async extends Service {
    override async startService(): Promise<void> {
      super.startService();
      await Promise.resolve();
      throw new Boom();
    }
  }
  const p = new MultiService();
  new Async().setServiceParent(p);
  using captured = captureLog();
  const d = p.startService();
  ok(d !== undefined);
  let failed: unknown;
  try {
    await d;
  } catch (e) {
    failed = e;
  }
  ok(failed instanceof ServiceStartError);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("MultiService.addService() starts a child at once when the collection runs", () => {
  const log: string[] = [];
  const p = new MultiService();
  p.startService();
  const s = new Recorder(log, "late");
  equal(s.running, false);
  s.setServiceParent(p);
  equal(s.running, true);
  deepEqual(log, ["privileged late", "start late"]);
});

Deno.test("MultiService.addService() does not start a child when the collection is stopped", () => {
  const log: string[] = [];
  const p = new MultiService();
  new Recorder(log, "a").setServiceParent(p);
  deepEqual(log, []);
});

Deno.test("MultiService.addService() logs and rethrows a child's failed start; the child stays added", () => {
  class Bad extends Service {
    override startService(): void {
      throw new Boom();
    }
  }
  const p = new MultiService();
  p.startService();
  const bad = new Bad();
  using captured = captureLog();
  throws(() => bad.setServiceParent(p), ServiceStartError);
  equal(bad.parent, p);
  deepEqual([...p], [bad]);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("MultiService.addService() does not start a child whose privileged start threw", () => {
  let started = false;
  class Bad extends Service {
    override privilegedStartService(): void {
      throw new Boom();
    }
    override startService(): void {
      started = true;
    }
  }
  const p = new MultiService();
  p.startService();
  using captured = captureLog();
  throws(() => new Bad().setServiceParent(p), ServiceStartError);
  equal(started, false);
  captured.flushLoggedErrors(Boom);
});

Deno.test("MultiService.removeService() stops a running child and returns its Deferred", () => {
  const stopped = new Deferred<void>();
  class Slow extends Service {
    override stopService(): Deferred<void> {
      super.stopService();
      return stopped;
    }
  }
  const p = new MultiService();
  const s = new Slow();
  s.setServiceParent(p);
  p.startService();
  const d = s.disownServiceParent() as Deferred<void>;
  equal(s.running, false);
  assertNoResult(d);
  stopped.callback();
  successResultOf(d);
});

Deno.test("MultiService.removeService() of a stopped collection returns nothing and stops nothing", () => {
  const log: string[] = [];
  const p = new MultiService();
  const s = new Recorder(log, "a");
  s.setServiceParent(p);
  equal(s.disownServiceParent(), undefined);
  deepEqual(log, []);
});

Deno.test("MultiService.removeService() forgets the child's name", () => {
  const p = new MultiService();
  const s = new Service();
  s.setName("a");
  s.setServiceParent(p);
  s.disownServiceParent();
  throws(() => p.getServiceNamed("a"), RangeError);
  const t = new Service();
  t.setName("a");
  t.setServiceParent(p);
  equal(p.getServiceNamed("a"), t);
});

Deno.test("MultiService.removeService() throws RangeError for a service that is not a child", () => {
  throws(() => new MultiService().removeService(new Service()), RangeError);
});

Deno.test("MultiService.getServiceNamed() throws RangeError for an unknown name", () => {
  throws(
    () => new MultiService().getServiceNamed("nope"),
    { name: "RangeError", message: /"nope"/ },
  );
});

Deno.test("MultiService iterates over its children in insertion order", () => {
  const p = new MultiService();
  const children = [new Service(), new Service(), new Service()];
  for (const c of children) c.setServiceParent(p);
  deepEqual([...p], children);
  deepEqual(p.services, children);
});
