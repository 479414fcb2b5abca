// Copyright 2026 the Torsion authors. MIT license.
// examples/hash_file.ts: deferToThread hashes files in pool workers while
// the reactor ticks; the process exits by itself.
import { equal, match } from "node:assert/strict";

const decoder = new TextDecoder();

async function runExample(
  ...files: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-read",
      new URL("../../examples/hash_file.ts", import.meta.url).pathname,
      ...files,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const { code, stdout, stderr } = await child.output();
    return {
      code,
      stdout: decoder.decode(stdout),
      stderr: decoder.decode(stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    await Deno.readFile(path),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

Deno.test("examples/hash_file.ts prints each file's SHA-256 as sha256sum does, then exits with 0", async () => {
  const a = new URL("../../README.md", import.meta.url).pathname;
  const b = new URL("../../deno.json", import.meta.url).pathname;
  const { code, stdout, stderr } = await runExample(a, b);
  equal(stderr, "");
  const lines = stdout.trimEnd().split("\n");
  equal(lines.length, 3);
  equal(
    lines.slice(0, 2).sort().join("\n"),
    [`${await sha256(a)}  ${a}`, `${await sha256(b)}  ${b}`].sort().join("\n"),
  );
  match(lines[2], /^the reactor ticked \d+ times meanwhile$/);
  equal(code, 0);
});

Deno.test("examples/hash_file.ts reports a file it cannot read and exits with 1", async () => {
  const { code, stdout, stderr } = await runExample("/torsion-no-such-file");
  match(stderr, /^\/torsion-no-such-file: No such file or directory/);
  match(stdout, /^the reactor ticked \d+ times meanwhile\n$/);
  equal(code, 1);
});
