// Copyright 2026 the Torsion authors. MIT license.
// getProcessOutput, getProcessValue and getProcessOutputAndValue on real
// children (Twisted's test_iutils.py: ProcessUtilsTests).
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Deferred, Failure } from "../../../defer/mod.ts";
import {
  getProcessOutput,
  getProcessOutputAndValue,
  getProcessValue,
  ProcessDone,
  type ProcessTerminated,
  UnexpectedErrorOutput,
} from "../../../reactor/mod.ts";
import { withReactor } from "../../_reactor.ts";
import { SIGNALS } from "./_process.ts";

const decoder = new TextDecoder();

/** The Failure a Deferred fails with. */
function failureOf<T>(d: Deferred<T>): Promise<Failure> {
  return new Promise((resolve, reject) => {
    d.addCallbacks(
      (v) => reject(new Error(`expected a failure, got ${String(v)}`)),
      (f) => resolve(f),
    );
  });
}

Deno.test("getProcessOutput() fires with everything the child wrote to stdout", async () => {
  await withReactor(async (reactor) => {
    const out = await getProcessOutput("sh", [
      "-c",
      "for c in h e l l o; do printf $c; done; echo",
    ], { reactor });
    equal(decoder.decode(out), "hello\n");
  });
});

Deno.test("getProcessOutput() ignores the exit code", async () => {
  await withReactor(async (reactor) => {
    const out = await getProcessOutput("sh", ["-c", "echo x; exit 3"], {
      reactor,
    });
    equal(decoder.decode(out), "x\n");
  });
});

Deno.test("getProcessOutput() fails with UnexpectedErrorOutput when the child writes to stderr; processEnded fails with the child's end", async () => {
  await withReactor(async (reactor) => {
    const f = await failureOf(
      getProcessOutput("sh", ["-c", "echo 'hello world' >&2"], { reactor }),
    );
    ok(f.check(UnexpectedErrorOutput));
    const e = f.value as UnexpectedErrorOutput;
    equal(e.message, "got stderr: b'hello world\\n'");
    ok((await failureOf(e.processEnded)).check(ProcessDone));
  });
});

Deno.test("getProcessOutput() with errortoo collects stderr with stdout", async () => {
  await withReactor(async (reactor) => {
    const out = await getProcessOutput("sh", [
      "-c",
      "printf foo; printf foo >&2",
    ], { reactor, errortoo: true });
    equal(decoder.decode(out), "foofoo");
  });
});

Deno.test("getProcessOutput() reports a missing program as output on stderr, as Twisted", async () => {
  await withReactor(async (reactor) => {
    const f = await failureOf(
      getProcessOutput("torsion-no-such-program", [], { reactor }),
    );
    ok(f.check(UnexpectedErrorOutput));
    ok(
      f.getErrorMessage().startsWith('got stderr: b"Upon execvpe'),
      f.getErrorMessage(),
    );
    const ended = await failureOf(
      (f.value as UnexpectedErrorOutput).processEnded,
    );
    equal((ended.value as ProcessTerminated).exitCode, 1);
  });
});

Deno.test("getProcessOutput() passes an empty environment by default, and env and path when given", async () => {
  await withReactor(async (reactor) => {
    equal(decoder.decode(await getProcessOutput("env", [], { reactor })), "");
    equal(
      decoder.decode(
        await getProcessOutput("env", [], { reactor, env: { A: "b" } }),
      ),
      "A=b\n",
    );
    equal(
      decoder.decode(
        await getProcessOutput("pwd", [], { reactor, path: "/", env: null }),
      ),
      "/\n",
    );
  });
});

Deno.test("getProcessValue() fires with the exit code", async () => {
  await withReactor(async (reactor) => {
    equal(await getProcessValue("sh", ["-c", "exit 1"], { reactor }), 1);
    equal(await getProcessValue("true", [], { reactor }), 0);
  });
});

Deno.test({
  name: "getProcessValue() fires with null when a signal ended the child",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withReactor(async (reactor) => {
      equal(
        await getProcessValue("sh", ["-c", "kill -9 $$"], { reactor }),
        null,
      );
    });
  },
});

Deno.test("getProcessValue() runs the child in path", async () => {
  await withReactor(async (reactor) => {
    equal(
      await getProcessValue("sh", ["-c", 'test "$(pwd)" = /'], {
        reactor,
        path: "/",
        env: null,
      }),
      0,
    );
  });
});

Deno.test("getProcessOutputAndValue() fires with [stdout, stderr, exit code]", async () => {
  await withReactor(async (reactor) => {
    const [out, err, code] = await getProcessOutputAndValue("sh", [
      "-c",
      "echo 'hello world!'; echo 'goodbye world!' >&2; exit 1",
    ], { reactor });
    deepEqual(
      [decoder.decode(out), decoder.decode(err), code],
      ["hello world!\n", "goodbye world!\n", 1],
    );
  });
});

Deno.test({
  name:
    "getProcessOutputAndValue() fails with [stdout, stderr, signal] when a signal ended the child",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withReactor(async (reactor) => {
      const f = await failureOf(
        getProcessOutputAndValue("sh", [
          "-c",
          "echo 'stdout bytes'; echo 'stderr bytes' >&2; kill -9 $$",
        ], { reactor }),
      );
      ok(Array.isArray(f.value));
      const [out, err, sig] = f.value as [Uint8Array, Uint8Array, number];
      deepEqual(
        [decoder.decode(out), decoder.decode(err), sig],
        ["stdout bytes\n", "stderr bytes\n", SIGNALS.KILL],
      );
    });
  },
});

Deno.test("getProcessOutputAndValue() writes stdinBytes to the child and closes its stdin", async () => {
  await withReactor(async (reactor) => {
    const [out, , code] = await getProcessOutputAndValue("cat", [], {
      reactor,
      stdinBytes: "These are the bytes to see.",
    });
    equal(decoder.decode(out), "These are the bytes to see.");
    equal(code, 0);
  });
});

Deno.test("getProcessOutputAndValue() runs the child in path", async () => {
  await withReactor(async (reactor) => {
    const [out, , code] = await getProcessOutputAndValue("pwd", [], {
      reactor,
      path: "/",
      env: null,
    });
    equal(decoder.decode(out), "/\n");
    equal(code, 0);
  });
});
