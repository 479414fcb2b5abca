// Copyright 2026 the Torsion authors. MIT license.
// The order of a child process's events, errors thrown by the protocol,
// producers on stdin, pausing the output, spawning before the reactor runs,
// and the reactor's shutdown (Twisted's internet/test/test_process.py:
// test_processEnded, test_processExited, test_childConnectionLost,
// test_processExitedRaises, test_errorInProcessEnded,
// test_spawnProcessEarlyIsReaped, test_pauseAndResumeProducing).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Failure } from "../../../defer/mod.ts";
import {
  type IPushProducer,
  Process,
  ProcessDone,
  type ProcessTerminated,
} from "../../../reactor/mod.ts";
import { captureLog } from "../../../reactor/testing/mod.ts";
import {
  newReactor,
  runToEnd,
  signal,
  turn,
  withReactor,
} from "../../_reactor.ts";
import { Recorder, SIGNALS } from "./_process.ts";
import type { Reactor } from "../../../reactor/mod.ts";

/** Stops the reactor when the child first writes to stdout. */
class StopOnOutput extends Recorder {
  readonly #reactor: Reactor;
  constructor(reactor: Reactor) {
    super();
    this.#reactor = reactor;
  }
  override outReceived(data: Uint8Array): void {
    super.outReceived(data);
    if (this.#reactor.running) this.#reactor.stop();
  }
}

Deno.test("processEnded comes last, after the exit and every pipe's childConnectionLost", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "echo out; echo err >&2"]);
    ok((await p.ended).check(ProcessDone));
    equal(p.events[0], "made");
    equal(p.events.at(-1), "ended");
    deepEqual([...p.lost].sort(), [0, 1, 2]);
    equal(p.events.filter((e) => e === "exited").length, 1);
    equal(p.events.filter((e) => e === "ended").length, 1);
    ok(p.events.indexOf("exited") < p.events.indexOf("ended"));
    equal(p.outText(), "out\n");
    equal(p.errText(), "err\n");
  });
});

Deno.test("processExited comes while a grandchild still holds the pipes; processEnded once they close", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    // The shell exits at once; cat keeps its stdin (saved as fd 3: a
    // background job's own stdin is /dev/null), stdout and stderr open
    // until its stdin ends.
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      "exec 3<&0; cat <&3 3<&- & exit 0",
    ]);
    ok((await p.exited).check(ProcessDone));
    deepEqual(p.lostAtExited, []);
    equal(p.pidAtExited, null);
    // The child is gone, so its stdin is reported lost (and closed): cat
    // reads end of stream and exits, closing stdout and stderr.
    ok((await p.ended).check(ProcessDone));
    deepEqual([...p.lost].sort(), [0, 1, 2]);
  });
});

Deno.test("loseConnection() closes stdin, stderr and stdout, each reported once", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      "exec 3<&0; cat <&3 3<&- & exit 0",
    ]);
    p.transport.loseConnection();
    p.transport.loseConnection();
    await p.ended;
    deepEqual([...p.lost].sort(), [0, 1, 2]);
  });
});

Deno.test("childConnectionLost is called as the child closes each descriptor", async () => {
  await withReactor(async (reactor) => {
    const [closedErr, onClosedErr] = signal();
    const [closedOut, onClosedOut] = signal();
    class Closer extends Recorder {
      override errConnectionLost(): void {
        onClosedErr();
      }
      override outConnectionLost(): void {
        onClosedOut();
      }
    }
    const c = new Closer();
    reactor.spawnProcess(c, "sh", [
      "sh",
      "-c",
      "read a; exec 2>&-; read b; exec 1>&-; read c",
    ]);
    c.transport.write("\n");
    await closedErr;
    deepEqual(c.lost, [2]);
    c.transport.write("\n");
    await closedOut;
    deepEqual(c.lost, [2, 1]);
    c.transport.write("\n");
    ok((await c.ended).check(ProcessDone));
    deepEqual(c.lost, [2, 1, 0]);
  });
});

Deno.test("pauseProducing() holds the child's output until resumeProducing()", async () => {
  await withReactor(async (reactor) => {
    class Paused extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport.pauseProducing();
      }
      override processExited(reason: Failure): void {
        super.processExited(reason);
        // Exited, but its output has not been handed over.
        equal(this.outText(), "");
        this.transport.resumeProducing();
      }
    }
    const p = new Paused();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "echo hello"]);
    await p.ended;
    equal(p.outText(), "hello\n");
  });
});

Deno.test("a child that does not read pauses a registered push producer; the exit stops it", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sleep", ["sleep", "30"]);
    const calls: string[] = [];
    const chunk = new Uint8Array(16384);
    const producer: IPushProducer = {
      pauseProducing() {
        calls.push("pause");
      },
      resumeProducing() {
        calls.push("resume");
      },
      stopProducing() {
        calls.push("stop");
      },
    };
    p.transport.registerProducer(producer, true);
    for (let i = 0; i < 8; i++) p.transport.write(chunk);
    equal(calls[0], "pause");
    await turn();
    await turn();
    // sleep never reads: the producer stays paused.
    ok(!calls.includes("resume"));
    p.transport.signalProcess("KILL");
    const reason = await p.ended;
    equal((reason.value as ProcessTerminated).signal, SIGNALS.KILL);
    equal(calls.at(-1), "stop");
    ok(!calls.includes("resume"));
  });
});

Deno.test("a push producer on stdin is resumed as the child reads, and every byte arrives in order", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "cat", ["cat"]);
    const total = 100 * 10_000;
    let sent = 0;
    let pauses = 0;
    let resumes = 0;
    let paused = false;
    const produce = () => {
      while (!paused && sent < total) {
        const c = new Uint8Array(10_000);
        for (let i = 0; i < c.length; i++) c[i] = (sent + i) % 251;
        sent += c.length;
        p.transport.write(c);
      }
      if (sent >= total) {
        p.transport.unregisterProducer();
        p.transport.closeStdin();
      }
    };
    p.transport.registerProducer({
      pauseProducing() {
        pauses++;
        paused = true;
      },
      resumeProducing() {
        resumes++;
        paused = false;
        produce();
      },
      stopProducing() {},
    }, true);
    produce();
    ok((await p.ended).check(ProcessDone));
    ok(pauses > 0 && resumes > 0, `${pauses} pauses, ${resumes} resumes`);
    const out = p.outBytes();
    equal(out.length, sent);
    for (let i = 0; i < out.length; i++) {
      if (out[i] !== i % 251) throw new Error(`byte ${i} is ${out[i]}`);
    }
  });
});

Deno.test("a process spawned before run() is connected at once and reports its exit once the reactor runs", async () => {
  const reactor = newReactor();
  const p = new Recorder();
  reactor.spawnProcess(p, "sh", ["sh", "-c", "echo early"]);
  deepEqual(p.events, ["made"]);
  await turn();
  deepEqual(p.events, ["made"]);
  p.ended.then(() => reactor.stop());
  await runToEnd(reactor);
  equal(p.outText(), "early\n");
  equal(p.events.at(-1), "ended");
});

Deno.test("errors thrown by processExited and processEnded are logged; the process still ends", async () => {
  using log = captureLog();
  await withReactor(async (reactor) => {
    const [ended, onEnded] = signal();
    class Throws extends Recorder {
      override processExited(reason: Failure): void {
        super.processExited(reason);
        throw new RangeError("from processExited");
      }
      override processEnded(reason: Failure): void {
        super.processEnded(reason);
        onEnded();
        throw new RangeError("from processEnded");
      }
    }
    const p = new Throws();
    reactor.spawnProcess(p, "true", ["true"]);
    await ended;
    const messages = log.events.filter((e) => e.isError).map((e) => e.message);
    deepEqual(messages, [
      "unexpected error in processExited",
      "unexpected error in processEnded",
    ]);
    const errors = log.flushLoggedErrors(RangeError).map((f) =>
      f.getErrorMessage()
    );
    deepEqual(errors, ["from processExited", "from processEnded"]);
  });
});

Deno.test("an error thrown by outReceived is logged and closes stdout; the other pipes go on", async () => {
  using log = captureLog();
  await withReactor(async (reactor) => {
    const [outLost, onOutLost] = signal();
    class Throws extends Recorder {
      override outReceived(data: Uint8Array): void {
        super.outReceived(data);
        throw new TypeError("from outReceived");
      }
      override outConnectionLost(): void {
        onOutLost();
      }
    }
    const p = new Throws();
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      "echo first; read x; echo second",
    ]);
    // stdout is closed after the first chunk: the second echo gets SIGPIPE.
    await outLost;
    deepEqual(p.lost, [1]);
    p.transport.write("\n");
    const reason = await p.ended;
    equal((reason.value as ProcessTerminated).signal, SIGNALS.PIPE);
    equal(p.outText(), "first\n");
    equal(log.flushLoggedErrors(TypeError).length, 1);
  });
});

Deno.test("an error thrown by connectionMade is logged and the process runs on", async () => {
  using log = captureLog();
  await withReactor(async (reactor) => {
    class Throws extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        throw new RangeError("from connectionMade");
      }
    }
    const p = new Throws();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "echo ok"]);
    ok((await p.ended).check(ProcessDone));
    equal(p.outText(), "ok\n");
    equal(log.flushLoggedErrors(RangeError).length, 1);
  });
});

Deno.test("reactor shutdown sends SIGTERM to a running child and run() settles once it has ended", async () => {
  const reactor = newReactor();
  const p = new Recorder();
  reactor.callWhenRunning(() => {
    reactor.spawnProcess(p, "sleep", ["sleep", "30"]);
    reactor.stop();
  });
  await runToEnd(reactor);
  const reason = await p.ended;
  equal((reason.value as ProcessTerminated).signal, SIGNALS.TERM);
  equal(p.events.at(-1), "ended");
});

Deno.test("reactor shutdown delivers the output a child writes as it is terminated", async () => {
  const reactor = newReactor();
  const p = new StopOnOutput(reactor);
  reactor.callWhenRunning(() => {
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      'trap "echo bye; exit 3" TERM; echo ready; while :; do sleep 0.01; done',
    ]);
  });
  await runToEnd(reactor);
  const reason = await p.ended;
  equal((reason.value as ProcessTerminated).exitCode, 3);
  equal(p.outText(), "ready\nbye\n");
});

Deno.test("reactor shutdown kills a child that ignores SIGTERM after the grace period", async () => {
  const grace = Process.shutdownGracePeriod;
  Process.shutdownGracePeriod = 0.2;
  using _restore = {
    [Symbol.dispose]() {
      Process.shutdownGracePeriod = grace;
    },
  };
  const reactor = newReactor();
  const p = new StopOnOutput(reactor);
  reactor.callWhenRunning(() => {
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      'trap "" TERM; echo ready; exec sleep 30',
    ]);
  });
  await runToEnd(reactor);
  const reason = await p.ended;
  equal((reason.value as ProcessTerminated).signal, SIGNALS.KILL);
});
