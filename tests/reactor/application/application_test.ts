// Copyright 2026 the Torsion authors. MIT license.
// Application, the IService/IServiceCollection/IProcess adapters, and
// startApplication: on a MemoryReactor, then on real reactors (the shutdown
// waits for the services to stop).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Deferred } from "../../../defer/mod.ts";
import {
  Application,
  IProcess,
  IService,
  IServiceCollection,
  MultiService,
  Service,
  ServiceStartError,
  startApplication,
} from "../../../reactor/application/mod.ts";
import {
  assertNoResult,
  captureLog,
  failureResultOf,
  MemoryReactor,
  successResultOf,
} from "../../../reactor/testing/mod.ts";
import { newReactor, runToEnd } from "../../_reactor.ts";

class Boom extends Error {
  constructor() {
    super("boom");
    this.name = "Boom";
  }
}

/** A service that records its events in `log`. */
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

Deno.test("Application(name) is a named MultiService with no uid, gid or process name", () => {
  const app = new Application("app-name");
  ok(app instanceof MultiService);
  equal(app.name, "app-name");
  equal(app.uid, null);
  equal(app.gid, null);
  equal(app.processName, null);
});

Deno.test("Application records uid and gid", () => {
  const app = new Application("app", { uid: 1000, gid: 100 });
  equal(app.uid, 1000);
  equal(app.gid, 100);
});

Deno.test("Application works as a parent: IServiceCollection(app) lists the child", () => {
  const s = new Service();
  const app = new Application("");
  s.setServiceParent(app);
  deepEqual([...IServiceCollection(app)], [s]);
  equal(s.parent, IServiceCollection(app));
});

Deno.test("IService(), IServiceCollection() and IProcess() return an application itself", () => {
  const app = new Application("a");
  equal(IService(app), app);
  equal(IServiceCollection(app), app);
  equal(IProcess(app), app);
});

Deno.test("IService() accepts any service and refuses other objects", () => {
  const s = new Service();
  equal(IService(s), s);
  throws(() => IService(null), TypeError);
  throws(() => IService({ startService() {} }), /no setName method/);
});

Deno.test("IServiceCollection() refuses a plain service", () => {
  throws(() => IServiceCollection(new Service()), TypeError);
});

Deno.test("IProcess() refuses a plain service", () => {
  throws(() => IProcess(new Service()), TypeError);
});

Deno.test("startApplication() calls privilegedStartService now and startService once the reactor runs", () => {
  const log: string[] = [];
  const app = new Application("a");
  new Recorder(log, "s").setServiceParent(app);
  const reactor = new MemoryReactor();
  const started = startApplication(app, { reactor });
  deepEqual(log, ["privileged s"]);
  assertNoResult(started);
  reactor.run();
  deepEqual(log, ["privileged s", "start s"]);
  successResultOf(started);
});

Deno.test("startApplication() on a running reactor starts the services at once", () => {
  const log: string[] = [];
  const app = new Application("a");
  new Recorder(log, "s").setServiceParent(app);
  const reactor = new MemoryReactor();
  reactor.running = true;
  successResultOf(startApplication(app, { reactor }));
  deepEqual(log, ["privileged s", "start s"]);
});

Deno.test("startApplication() makes stopService a before-shutdown trigger", () => {
  const log: string[] = [];
  const app = new Application("a");
  new Recorder(log, "s").setServiceParent(app);
  const reactor = new MemoryReactor();
  startApplication(app, { reactor });
  equal(reactor.triggers.before.shutdown.length, 1);
  reactor.run();
  reactor.fireSystemEvent("shutdown");
  deepEqual(log, ["privileged s", "start s", "stop s"]);
  equal(app.running, false);
});

Deno.test("startApplication() fails its Deferred with ServiceStartError when a start throws; the others start", () => {
  class Bad extends Service {
    override startService(): void {
      throw new Boom();
    }
  }
  const log: string[] = [];
  const app = new Application("a");
  const bad = new Bad();
  bad.setServiceParent(app);
  new Recorder(log, "s").setServiceParent(app);
  const reactor = new MemoryReactor();
  using captured = captureLog();
  const started = startApplication(app, { reactor });
  reactor.run();
  const f = failureResultOf(started, ServiceStartError);
  deepEqual(
    (f.value as ServiceStartError).failures.map((x) => x.service),
    [bad],
  );
  deepEqual(log, ["privileged s", "start s"]);
  equal(captured.flushLoggedErrors(Boom).length, 1);
});

Deno.test("startApplication() does not start the services when the privileged start fails, and still stops them at shutdown", () => {
  class Bad extends Service {
    override privilegedStartService(): void {
      throw new Boom();
    }
  }
  const log: string[] = [];
  const app = new Application("a");
  new Recorder(log, "s").setServiceParent(app);
  new Bad().setServiceParent(app);
  const reactor = new MemoryReactor();
  using captured = captureLog();
  const started = startApplication(app, { reactor });
  failureResultOf(started, ServiceStartError);
  reactor.run();
  deepEqual(log, ["privileged s"]);
  reactor.fireSystemEvent("shutdown");
  deepEqual(log, ["privileged s", "stop s"]);
  captured.flushLoggedErrors(Boom);
});

Deno.test("startApplication() wraps the error of a single service in ServiceStartError and logs it once", () => {
  class Bad extends Service {
    override startService(): void {
      throw new Boom();
    }
  }
  const reactor = new MemoryReactor();
  reactor.running = true;
  using captured = captureLog();
  const f = failureResultOf(
    startApplication(new Bad(), { reactor }),
    ServiceStartError,
  );
  ok((f.value as ServiceStartError).failures[0].error instanceof Boom);
  deepEqual(captured.messages, ["Error starting service an unnamed Bad"]);
  captured.flushLoggedErrors(Boom);
});

Deno.test("startApplication() waits for the privileged start's Deferred before starting", () => {
  const privileged = new Deferred<void>();
  const log: string[] = [];
  class Slow extends Service {
    override privilegedStartService(): Deferred<void> {
      return privileged;
    }
    override startService(): void {
      super.startService();
      log.push("start");
    }
  }
  const reactor = new MemoryReactor();
  reactor.running = true;
  const started = startApplication(new Slow(), { reactor });
  deepEqual(log, []);
  assertNoResult(started);
  privileged.callback();
  deepEqual(log, ["start"]);
  successResultOf(started);
});

Deno.test("startApplication() on a real reactor: reactor.stop() waits for the services' Deferreds", async () => {
  const reactor = newReactor();
  const events: string[] = [];
  class Slow extends Service {
    override startService(): void {
      super.startService();
      events.push("start");
      reactor.stop();
    }
    override stopService(): Deferred<void> {
      super.stopService();
      events.push("stop begins");
      const d = new Deferred<void>();
      reactor.callLater(0.01, () => {
        events.push("stop ends");
        d.callback();
      });
      return d;
    }
  }
  const app = new Application("a");
  new Slow().setServiceParent(app);
  reactor.addSystemEventTrigger("during", "shutdown", () => {
    events.push("during shutdown");
  });
  startApplication(app, { reactor });
  await runToEnd(reactor);
  deepEqual(events, ["start", "stop begins", "stop ends", "during shutdown"]);
});
