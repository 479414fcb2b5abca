// Copyright 2026 the Torsion authors. MIT license.
// The shape of the code: imports point one way (defer <- reactor <- protocols
// <- examples), nothing outside reactor/backends/ calls Deno.*, and importing
// the protocols or the test doubles builds no reactor.
import { deepEqual, equal } from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const LAYERS = ["defer", "reactor", "protocols", "examples"] as const;

/** The layer of a module of this repository, or `null` for others. */
function layerOf(specifier: string): number | null {
  if (!specifier.startsWith(ROOT.href)) return null;
  const top = specifier.slice(ROOT.href.length).split("/")[0];
  const i = (LAYERS as readonly string[]).indexOf(top);
  return i === -1 ? null : i;
}

interface ModuleGraph {
  modules: {
    specifier: string;
    dependencies?: { specifier: string; code?: { specifier?: string } }[];
  }[];
}

async function graph(entry: string): Promise<ModuleGraph> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, ROOT).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  equal(out.code, 0, "deno info failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** The imports that point from a lower layer to a higher one. */
function backwardImports(g: ModuleGraph): string[] {
  const bad: string[] = [];
  for (const m of g.modules) {
    const from = layerOf(m.specifier);
    if (from === null) continue;
    for (const d of m.dependencies ?? []) {
      const target = d.code?.specifier;
      if (target === undefined) continue;
      const to = layerOf(target);
      if (to !== null && to > from) {
        bad.push(
          `${m.specifier.slice(ROOT.href.length)} -> ${
            target.slice(ROOT.href.length)
          }`,
        );
      }
    }
  }
  return bad;
}

Deno.test("imports point one way: defer <- reactor <- protocols <- examples", async () => {
  const g = await graph("examples/demo.ts");
  // The runner loads its built-in plugins by URL: they import it, not the
  // reverse.
  for (
    const entry of [
      "mod.ts",
      "reactor/application/mod.ts",
      "examples/irc_log_bot.ts",
      "examples/web/site.ts",
      "examples/web/static_server.ts",
      "examples/web/xmlrpc_client.ts",
      "reactor/application/run.ts",
      "protocols/plugins/echo.ts",
      "protocols/plugins/daytime.ts",
      "protocols/plugins/qotd.ts",
    ]
  ) {
    g.modules.push(...(await graph(entry)).modules);
  }
  deepEqual(backwardImports(g), []);
});

Deno.test("the layering check finds an import that points back", () => {
  const g: ModuleGraph = {
    modules: [{
      specifier: new URL("defer/x.ts", ROOT).href,
      dependencies: [{
        specifier: "../reactor/y.ts",
        code: { specifier: new URL("reactor/y.ts", ROOT).href },
      }],
    }],
  };
  deepEqual(backwardImports(g), ["defer/x.ts -> reactor/y.ts"]);
});

/** Removes comments and string literals, keeping the code. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(
      /`(?:\\[\s\S]|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g,
      '""',
    );
}

async function* sources(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sources(url);
    else if (e.name.endsWith(".ts")) yield url;
  }
}

Deno.test("only reactor/backends/ calls Deno.* in the library", async () => {
  const offenders: string[] = [];
  for (const top of ["defer/", "reactor/", "protocols/"]) {
    for await (const file of sources(new URL(top, ROOT))) {
      const rel = file.href.slice(ROOT.href.length);
      if (rel.startsWith("reactor/backends/")) continue;
      const code = codeOnly(await Deno.readTextFile(file));
      if (/\bDeno\s*\./.test(code)) offenders.push(rel);
    }
  }
  deepEqual(offenders, []);
});

Deno.test("importing the protocols (IRC and HTTP too), the services, the runner and the test doubles builds no reactor and opens nothing", async () => {
  // No permissions at all: a socket, a signal listener or a file would fail.
  const script = `
    const calls = [];
    for (const name of ["listen", "connect", "addSignalListener", "exit"]) {
      Deno[name] = (...a) => { calls.push(name); throw new Error(name); };
    }
    await import(${JSON.stringify(new URL("protocols/mod.ts", ROOT).href)});
    await import(${
    JSON.stringify(new URL("reactor/application/mod.ts", ROOT).href)
  });
    await import(${
    JSON.stringify(new URL("reactor/application/run.ts", ROOT).href)
  });
    await import(${JSON.stringify(new URL("protocols/irc/mod.ts", ROOT).href)});
    await import(${
    JSON.stringify(new URL("protocols/http/mod.ts", ROOT).href)
  });
    const testing = await import(${
    JSON.stringify(new URL("reactor/testing/mod.ts", ROOT).href)
  });
    const { installReactor } = await import(${
    JSON.stringify(new URL("reactor/default.ts", ROOT).href)
  });
    const { Reactor } = await import(${
    JSON.stringify(new URL("reactor/reactor.ts", ROOT).href)
  });
    new testing.Clock().advance(1);
    installReactor(new Reactor());
    console.log(JSON.stringify(calls));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-prompt", "--ext=js", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, stderr);
  equal(new TextDecoder().decode(out.stdout).trim(), "[]");
});
