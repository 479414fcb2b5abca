// Copyright 2026 the Torsion authors. MIT license.
// ProcessProtocol's routing, the process errors, and the test doubles
// (MemoryReactor.spawnProcess, MemoryProcessTransport), with no child
// process (Twisted's test_process.py: ProcessProtocolTests).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Deferred, Failure } from "../../../defer/mod.ts";
import {
  ConnectionDone,
  ConnectionLost,
  getProcessOutput,
  getProcessOutputAndValue,
  getProcessValue,
  ProcessDone,
  ProcessExitedAlready,
  ProcessProtocol,
  ProcessTerminated,
  UnexpectedErrorOutput,
} from "../../../reactor/mod.ts";
import {
  failureResultOf,
  MemoryProcessTransport,
  MemoryReactor,
  successResultOf,
} from "../../../reactor/testing/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Routed extends ProcessProtocol {
  calls: string[] = [];
  override outReceived(data: Uint8Array): void {
    this.calls.push(`out ${decoder.decode(data)}`);
  }
  override errReceived(data: Uint8Array): void {
    this.calls.push(`err ${decoder.decode(data)}`);
  }
  override inConnectionLost(): void {
    this.calls.push("in lost");
  }
  override outConnectionLost(): void {
    this.calls.push("out lost");
  }
  override errConnectionLost(): void {
    this.calls.push("err lost");
  }
}

Deno.test("ProcessProtocol.childDataReceived() routes fd 1 to outReceived and fd 2 to errReceived", () => {
  const p = new Routed();
  p.childDataReceived(1, encoder.encode("a"));
  p.childDataReceived(2, encoder.encode("b"));
  p.childDataReceived(3, encoder.encode("c"));
  deepEqual(p.calls, ["out a", "err b"]);
});

Deno.test("ProcessProtocol.childConnectionLost() routes 0, 1, 2 to in/out/errConnectionLost", () => {
  const p = new Routed();
  for (const fd of [0, 1, 2, 3]) p.childConnectionLost(fd);
  deepEqual(p.calls, ["in lost", "out lost", "err lost"]);
});

Deno.test("ProcessProtocol.makeConnection() sets transport and connected, then calls connectionMade", () => {
  const seen: boolean[] = [];
  class P extends ProcessProtocol {
    override connectionMade(): void {
      seen.push(this.connected, this.transport !== undefined);
    }
  }
  const p = new P();
  equal(p.connected, false);
  p.makeConnection(new MemoryProcessTransport());
  deepEqual(seen, [true, true]);
});

Deno.test("ProcessProtocol's default hooks do nothing", () => {
  const p = new ProcessProtocol();
  p.makeConnection(new MemoryProcessTransport());
  p.childDataReceived(1, new Uint8Array(1));
  p.childConnectionLost(0);
  p.processExited(new Failure(new ProcessDone(0)));
  p.processEnded(new Failure(new ProcessDone(0)));
});

Deno.test("ProcessDone and ProcessTerminated carry exitCode, signal and status, and are connection closes", () => {
  const done = new ProcessDone(0);
  ok(done instanceof ConnectionDone);
  deepEqual([done.exitCode, done.signal, done.status], [0, null, 0]);
  equal(done.name, "ProcessDone");
  const term = new ProcessTerminated(null, 9, 9);
  ok(term instanceof ConnectionLost);
  deepEqual([term.exitCode, term.signal, term.status], [null, 9, 9]);
  equal(term.name, "ProcessTerminated");
  equal(
    new ProcessTerminated().message,
    "A process has ended with a probable error condition: process ended.",
  );
  equal(new ProcessExitedAlready().message, "");
});

Deno.test("MemoryReactor.spawnProcess() records the call and connects the protocol to a MemoryProcessTransport", () => {
  const reactor = new MemoryReactor();
  const p = new Routed();
  const t = reactor.spawnProcess(p, "/bin/executable", ["executable", "a"], {
    env: null,
    path: "/tmp",
  });
  equal(reactor.processes.length, 1);
  const [record] = reactor.processes;
  equal(record.processProtocol, p);
  equal(record.executable, "/bin/executable");
  deepEqual(record.args, ["executable", "a"]);
  deepEqual(record.options, { env: null, path: "/tmp" });
  equal(record.transport, t);
  equal(p.transport, t);
  equal(t.pid, 1);
  equal(reactor.spawnProcess(new Routed(), "x").pid, 2);
});

Deno.test("MemoryProcessTransport records stdin writes, closed descriptors and signals", () => {
  const t = new MemoryProcessTransport();
  t.write("a");
  t.writeSequence(["b", encoder.encode("c")]);
  t.writeToChild(0, "d");
  throws(() => t.writeToChild(1, "e"), RangeError);
  equal(t.valueText(), "abcd");
  t.loseConnection();
  deepEqual([...t.closedChildFDs], [0, 2, 1]);
  t.write("dropped");
  equal(t.valueText(), "abcd");
  t.signalProcess("TERM");
  t.signalProcess(9);
  deepEqual(t.signals, ["TERM", 9]);
  t.pid = null;
  throws(() => t.signalProcess("KILL"), ProcessExitedAlready);
});

Deno.test("MemoryProcessTransport keeps the producer and its own producer state", () => {
  const t = new MemoryProcessTransport();
  const producer = {
    pauseProducing() {},
    resumeProducing() {},
    stopProducing() {},
  };
  t.registerProducer(producer, true);
  throws(() => t.registerProducer(producer, true), Error);
  equal(t.producer, producer);
  equal(t.streaming, true);
  t.unregisterProducer();
  equal(t.producer, null);
  t.pauseProducing();
  equal(t.producerState, "paused");
  t.resumeProducing();
  equal(t.producerState, "producing");
  t.stopProducing();
  equal(t.producerState, "stopped");
});

Deno.test("getProcessOutput() spawns [executable, ...args] with an empty env by default and fires at processEnded", () => {
  const reactor = new MemoryReactor();
  const d = getProcessOutput("finger", ["moshez"], { reactor });
  const [record] = reactor.processes;
  equal(record.executable, "finger");
  deepEqual(record.args, ["finger", "moshez"]);
  equal(record.options.env, undefined);
  const p = record.processProtocol;
  p.childDataReceived(1, encoder.encode("Login: moshez"));
  p.childDataReceived(1, encoder.encode("\n"));
  p.processExited(new Failure(new ProcessTerminated(1, null, 256)));
  p.processEnded(new Failure(new ProcessTerminated(1, null, 256)));
  equal(decoder.decode(successResultOf(d)), "Login: moshez\n");
});

Deno.test("getProcessOutput() fails at the first stderr bytes and closes the child's pipes", () => {
  const reactor = new MemoryReactor();
  const d = getProcessOutput("x", [], { reactor });
  const { processProtocol: p, transport } = reactor.processes[0];
  p.childDataReceived(2, encoder.encode("it's bad\n"));
  const f = failureResultOf(d, UnexpectedErrorOutput);
  const e = f.value as UnexpectedErrorOutput;
  equal(e.message, `got stderr: b"it's bad\\n"`);
  deepEqual(e.text, encoder.encode("it's bad\n"));
  deepEqual([...transport.closedChildFDs].sort(), [0, 1, 2]);
  p.childDataReceived(2, encoder.encode("more"));
  p.processEnded(new Failure(new ProcessDone(0)));
  failureResultOf(e.processEnded, ProcessDone);
});

Deno.test("UnexpectedErrorOutput's message is Python's repr of the bytes", () => {
  const d = new Deferred<never>();
  const msg = (bytes: number[]) =>
    new UnexpectedErrorOutput(new Uint8Array(bytes), d).message;
  equal(msg([0x61, 0x27, 0x22]), `got stderr: b'a\\'"'`);
  equal(
    msg([0x5c, 0x09, 0x0d, 0x00, 0xff, 0x7f]),
    "got stderr: b'\\\\\\t\\r\\x00\\xff\\x7f'",
  );
});

Deno.test("getProcessValue() fires with the exit code, null after a signal", () => {
  const reactor = new MemoryReactor();
  const d1 = getProcessValue("x", [], { reactor });
  const d2 = getProcessValue("y", [], { reactor });
  reactor.processes[0].processProtocol.processEnded(
    new Failure(new ProcessTerminated(4, null, 4 << 8)),
  );
  reactor.processes[1].processProtocol.processEnded(
    new Failure(new ProcessTerminated(null, 15, 15)),
  );
  equal(successResultOf(d1), 4);
  equal(successResultOf(d2), null);
});

Deno.test("getProcessOutputAndValue() writes stdinBytes and closes stdin in connectionMade", () => {
  const reactor = new MemoryReactor();
  getProcessOutputAndValue("cat", [], { reactor, stdinBytes: "in" });
  const { transport } = reactor.processes[0];
  equal(transport.valueText(), "in");
  deepEqual([...transport.closedChildFDs], [0]);
  getProcessOutputAndValue("cat", [], { reactor });
  deepEqual([...reactor.processes[1].transport.closedChildFDs], []);
});

Deno.test("getProcessOutputAndValue() fails with the array [out, err, signal] after a signal", () => {
  const reactor = new MemoryReactor();
  const d = getProcessOutputAndValue("x", [], { reactor });
  const p = reactor.processes[0].processProtocol;
  p.childDataReceived(1, encoder.encode("o"));
  p.childDataReceived(2, encoder.encode("e"));
  p.processEnded(new Failure(new ProcessTerminated(null, 9, 9)));
  const f = failureResultOf(d);
  deepEqual(f.value, [encoder.encode("o"), encoder.encode("e"), 9]);
});
