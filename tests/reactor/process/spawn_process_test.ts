// Copyright 2026 the Torsion authors. MIT license.
// reactor.spawnProcess on real children: data both ways, exit codes and
// signals, the environment, the working directory and the arguments, a
// program that cannot start, and childFDs (Twisted's test_process.py:
// ProcessTests, PosixProcessBase, ClosingPipesTests, test_write*).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  ProcessDone,
  ProcessExitedAlready,
  ProcessTerminated,
} from "../../../reactor/mod.ts";
import { withReactor } from "../../_reactor.ts";
import { concat, Recorder, SIGNALS } from "./_process.ts";

const encoder = new TextEncoder();

/** `n` bytes of a pattern that shows misordering. */
function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

Deno.test("spawnProcess() sends 1 MiB through cat and back in odd-sized writes", async () => {
  await withReactor(async (reactor) => {
    const data = pattern(1 << 20);
    const sizes = [1, 7, 4093, 65537, 13, 300_001];
    const p = new Recorder();
    reactor.spawnProcess(p, "cat", ["cat"]);
    let at = 0;
    for (let i = 0; at < data.length; i++) {
      const n = sizes[i % sizes.length];
      p.transport.write(data.subarray(at, at + n));
      at += n;
    }
    p.transport.closeStdin();
    ok((await p.ended).check(ProcessDone));
    deepEqual(p.outBytes(), data);
    equal(p.err.length, 0);
  });
});

Deno.test("spawnProcess() reads stdout and stderr together when the child fills both", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    // Each writer blocks until its pipe is read: both must be read at once.
    reactor.spawnProcess(p, "sh", [
      "sh",
      "-c",
      "head -c 1048576 /dev/zero & head -c 1048576 /dev/zero >&2; wait",
    ]);
    ok((await p.ended).check(ProcessDone));
    equal(p.outBytes().length, 1 << 20);
    equal(concat(p.err).length, 1 << 20);
  });
});

Deno.test("spawnProcess() loses no output when the child exits right after writing", async () => {
  await withReactor(async (reactor) => {
    const ps = Array.from({ length: 10 }, () => new Recorder());
    for (const [i, p] of ps.entries()) {
      reactor.spawnProcess(p, "sh", [
        "sh",
        "-c",
        `printf out${i}; printf err${i} >&2; head -c 100000 /dev/zero`,
      ]);
    }
    for (const [i, p] of ps.entries()) {
      ok((await p.ended).check(ProcessDone));
      const out = p.outBytes();
      equal(out.length, `out${i}`.length + 100000);
      equal(new TextDecoder().decode(out.subarray(0, 3)), "out");
      equal(p.errText(), `err${i}`);
    }
  });
});

Deno.test("spawnProcess() writes with write(), writeSequence() and writeToChild(0)", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "cat", ["cat"]);
    p.transport.write("one ");
    p.transport.writeSequence(["two ", encoder.encode("three ")]);
    p.transport.writeToChild(0, "four");
    p.transport.closeStdin();
    await p.ended;
    equal(p.outText(), "one two three four");
  });
});

Deno.test("writeToChild() throws RangeError for a descriptor that is not the child's stdin", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "cat", ["cat"]);
    throws(() => p.transport.writeToChild(13, "x"), RangeError);
    throws(() => p.transport.writeToChild(1, "x"), RangeError);
    p.transport.closeStdin();
    await p.ended;
  });
});

Deno.test("closeStdin() ends cat: inConnectionLost, then the exit, ProcessDone", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "cat", ["cat"]);
    p.transport.write("bye\n");
    p.transport.closeStdin();
    const reason = await p.ended;
    ok(reason.check(ProcessDone));
    equal((reason.value as ProcessDone).status, 0);
    equal(p.outText(), "bye\n");
    // stdin closed first: cat exits only once it reads end of stream.
    equal(p.events.indexOf("lost 0") < p.events.indexOf("exited"), true);
  });
});

Deno.test("spawnProcess() reports a nonzero exit as ProcessTerminated with exitCode and status", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "exit 42"]);
    const reason = await p.ended;
    ok(reason.check(ProcessTerminated));
    const e = reason.value as ProcessTerminated;
    equal(e.exitCode, 42);
    equal(e.signal, null);
    equal(e.status, 42 << 8);
    equal(
      e.message,
      "A process has ended with a probable error condition: process ended with exit code 42.",
    );
  });
});

Deno.test("spawnProcess() reports exit code 0 as ProcessDone to processExited and processEnded", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "true", ["true"]);
    ok((await p.exited).check(ProcessDone));
    ok((await p.ended).check(ProcessDone));
    equal((await p.ended).value, (await p.exited).value);
  });
});

for (const name of ["HUP", "INT", "KILL", "TERM"] as const) {
  Deno.test({
    name:
      `signalProcess("${name}") ends the child with ProcessTerminated(null, SIG${name})`,
    ignore: Deno.build.os !== "linux",
    async fn() {
      await withReactor(async (reactor) => {
        const p = new Recorder();
        reactor.spawnProcess(p, "cat", ["cat"]);
        p.transport.signalProcess(name);
        const reason = await p.ended;
        ok(reason.check(ProcessTerminated));
        const e = reason.value as ProcessTerminated;
        equal(e.exitCode, null);
        equal(e.signal, SIGNALS[name]);
        equal(e.status, SIGNALS[name]);
      });
    },
  });
}

Deno.test({
  name: "signalProcess() takes a signal number",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withReactor(async (reactor) => {
      const p = new Recorder();
      reactor.spawnProcess(p, "cat", ["cat"]);
      p.transport.signalProcess(SIGNALS.TERM);
      equal(((await p.ended).value as ProcessTerminated).signal, SIGNALS.TERM);
    });
  },
});

Deno.test("signalProcess() throws ProcessExitedAlready once the child has exited; pid is null then", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    const t = reactor.spawnProcess(p, "true", ["true"]);
    ok(typeof p.pidAtMade === "number" && p.pidAtMade > 0);
    equal(t.pid, p.pidAtMade);
    await p.exited;
    equal(p.pidAtExited, null);
    equal(t.pid, null);
    equal(t.status, 0);
    throws(() => t.signalProcess("TERM"), ProcessExitedAlready);
    throws(() => t.signalProcess("KILL"), ProcessExitedAlready);
    await p.ended;
  });
});

Deno.test("signalProcess() refuses unknown names and numbers", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    const t = reactor.spawnProcess(p, "cat", ["cat"]);
    throws(() => t.signalProcess("USR1" as "TERM"), TypeError);
    throws(() => t.signalProcess(1.5), TypeError);
    throws(() => t.signalProcess(99), RangeError);
    t.closeStdin();
    ok((await p.ended).check(ProcessDone));
  });
});

Deno.test("spawnProcess() gives an empty environment when env is omitted (Twisted on POSIX)", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "env", ["env"]);
    await p.ended;
    equal(p.outText(), "");
  });
});

Deno.test("spawnProcess() gives exactly the environment passed", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "env", ["env"], {
      env: { FOO: "bar", EMPTY: "" },
    });
    await p.ended;
    deepEqual(p.outText().split("\n").sort(), ["", "EMPTY=", "FOO=bar"]);
  });
});

Deno.test("spawnProcess() gives the parent's environment with env: null", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "env", ["env"], { env: null });
    await p.ended;
    const lines = p.outText().split("\n");
    ok(lines.includes(`PATH=${Deno.env.get("PATH")}`), p.outText());
  });
});

Deno.test("spawnProcess() runs the child in path", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await withReactor(async (reactor) => {
      const p = new Recorder();
      reactor.spawnProcess(p, "pwd", ["pwd"], { path: dir, env: null });
      await p.ended;
      equal(p.outText(), `${dir}\n`);
    });
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("spawnProcess() passes the arguments after args[0] as they are", async () => {
  await withReactor(async (reactor) => {
    const args = ["hello", '"', " \t|<>^&", '"\\\\"hello\\\\"', "", "ünï"];
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", [
      "my-name",
      "-c",
      'printf "%s\\0" "$@"',
      "sh",
      ...args,
    ]);
    await p.ended;
    deepEqual(p.outText().split("\0").slice(0, -1), args);
  });
});

Deno.test("spawnProcess() reports a missing program to the protocol as a failed exec, exit code 1", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    const t = reactor.spawnProcess(p, "torsion-no-such-program", [
      "name",
      "arg",
    ]);
    equal(p.pidAtMade, null);
    equal(t.pid, null);
    const reason = await p.ended;
    ok(reason.check(ProcessTerminated));
    equal((reason.value as ProcessTerminated).exitCode, 1);
    ok(
      p.errText().startsWith(
        "Upon execvpe torsion-no-such-program ['name', 'arg']\n:NotFound",
      ),
      p.errText(),
    );
    equal(p.outText(), "");
    deepEqual([...p.lost].sort(), [0, 1, 2]);
    throws(() => t.signalProcess("TERM"), ProcessExitedAlready);
  });
});

Deno.test("spawnProcess() reports a working directory that does not exist as a failed exec", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "true", ["true"], {
      path: "/torsion-no-such-directory",
    });
    const reason = await p.ended;
    equal((reason.value as ProcessTerminated).exitCode, 1);
    ok(p.errText().includes("/torsion-no-such-directory"), p.errText());
  });
});

Deno.test("spawnProcess() reports a file that is not executable as a failed exec", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "/etc/passwd", ["passwd"]);
    const reason = await p.ended;
    equal((reason.value as ProcessTerminated).exitCode, 1);
    ok(p.errText().includes("PermissionDenied"), p.errText());
  });
});

Deno.test("spawnProcess() throws TypeError for arguments of the wrong type", async () => {
  await withReactor((reactor) => {
    const p = new Recorder();
    throws(() => reactor.spawnProcess(p, "", ["x"]), TypeError);
    throws(
      () => reactor.spawnProcess(p, "cat", [1 as unknown as string]),
      TypeError,
    );
    throws(
      () =>
        reactor.spawnProcess(p, "cat", ["cat"], {
          env: { A: 1 as unknown as string },
        }),
      TypeError,
    );
    equal(p.connected, false);
  });
});

Deno.test("childFDs: a descriptor left out goes to /dev/null and is not reported", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "echo out; echo err >&2"], {
      childFDs: { 0: "w", 1: "r" },
    });
    ok((await p.ended).check(ProcessDone));
    equal(p.outText(), "out\n");
    equal(p.errText(), "");
    deepEqual([...p.lost].sort(), [0, 1]);
  });
});

Deno.test("childFDs: without stdin, writes are dropped and a producer is stopped at once", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "sh", ["sh", "-c", "cat; echo done"], {
      childFDs: { 1: "r", 2: "r" },
    });
    p.transport.write("ignored");
    let stopped = false;
    p.transport.registerProducer({
      pauseProducing() {},
      resumeProducing() {},
      stopProducing() {
        stopped = true;
      },
    }, true);
    equal(stopped, true);
    await p.ended;
    // stdin is /dev/null: cat reads end of stream at once.
    equal(p.outText(), "done\n");
    deepEqual([...p.lost].sort(), [1, 2]);
  });
});

Deno.test("childFDs: mapping a descriptor to itself shares the parent's", async () => {
  await withReactor(async (reactor) => {
    const p = new Recorder();
    reactor.spawnProcess(p, "true", ["true"], {
      childFDs: { 0: "w", 1: "r", 2: 2 },
    });
    ok((await p.ended).check(ProcessDone));
    deepEqual([...p.lost].sort(), [0, 1]);
  });
});

Deno.test("childFDs: what Deno.Command cannot set up throws RangeError", async () => {
  await withReactor((reactor) => {
    const p = new Recorder();
    throws(
      () => reactor.spawnProcess(p, "cat", ["cat"], { childFDs: { 3: "r" } }),
      RangeError,
    );
    throws(
      () => reactor.spawnProcess(p, "cat", ["cat"], { childFDs: { 1: "w" } }),
      RangeError,
    );
    throws(
      () => reactor.spawnProcess(p, "cat", ["cat"], { childFDs: { 1: 2 } }),
      RangeError,
    );
    equal(p.connected, false);
  });
});

Deno.test({
  name:
    "closeStdout() closes the pipe: the child's next write to it fails (SIGPIPE)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withReactor(async (reactor) => {
      const p = new Recorder();
      reactor.spawnProcess(p, "sh", [
        "sh",
        "-c",
        "read x; echo foo; exit 42",
      ], { env: null });
      p.transport.closeStdout();
      p.transport.write("go\n");
      p.transport.closeStdin();
      const e = (await p.ended).value as ProcessTerminated;
      equal(e.exitCode, null);
      equal(e.signal, SIGNALS.PIPE);
      equal(p.outText(), "");
    });
  },
});

Deno.test({
  name:
    "closeStderr() closes the pipe: the child's next write to it fails (SIGPIPE)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withReactor(async (reactor) => {
      const p = new Recorder();
      reactor.spawnProcess(p, "sh", [
        "sh",
        "-c",
        "read x; echo foo >&2; exit 42",
      ], { env: null });
      p.transport.closeStderr();
      p.transport.write("go\n");
      p.transport.closeStdin();
      const e = (await p.ended).value as ProcessTerminated;
      equal(e.signal, SIGNALS.PIPE);
      equal(p.errText(), "");
    });
  },
});
