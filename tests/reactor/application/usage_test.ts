// Copyright 2026 the Torsion authors. MIT license.
// parseOptions and formatOptions (twisted/python/usage.py's Options, as
// twisted/test/test_usage.py uses it): long and short forms, grouped flags,
// values glued or apart, defaults, repeated parameters, --, --help, errors.
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  formatOptions,
  type OptionsDescription,
  parseOptions,
  UsageError,
} from "../../../reactor/application/mod.ts";

const SPEC: OptionsDescription = {
  synopsis: "tool [options]",
  description: "Does things.",
  flags: [
    { name: "verbose", short: "v", description: "Say more." },
    { name: "quiet", short: "q", description: "Say less." },
  ],
  parameters: [
    { name: "port", short: "p", default: "8007", description: "The port." },
    { name: "file", short: "f", description: "A file.", metavar: "PATH" },
    {
      name: "listen",
      short: "l",
      default: "tcp:80",
      multiple: true,
      description: "An endpoint.",
    },
  ],
};

Deno.test("parseOptions: every option has a value, its default when not given", () => {
  const { options, rest } = parseOptions(SPEC, []);
  deepEqual(options, {
    verbose: false,
    quiet: false,
    help: false,
    port: "8007",
    file: null,
    listen: ["tcp:80"],
  });
  deepEqual(rest, []);
});

Deno.test("parseOptions: long options take values apart or after =, short ones apart or glued", () => {
  for (
    const args of [
      ["--port", "1", "--file", "a"],
      ["--port=1", "--file=a"],
      ["-p", "1", "-f", "a"],
      ["-p1", "-fa"],
    ]
  ) {
    const { options } = parseOptions(SPEC, args);
    equal(options.port, "1", args.join(" "));
    equal(options.file, "a", args.join(" "));
  }
});

Deno.test("parseOptions: values may start with a dash or be empty", () => {
  const { options } = parseOptions(SPEC, ["--file", "-", "--port="]);
  equal(options.file, "-");
  equal(options.port, "");
});

Deno.test("parseOptions: flags may be grouped, with a parameter last", () => {
  const { options } = parseOptions(SPEC, ["-vq", "-vqp", "9"]);
  equal(options.verbose, true);
  equal(options.quiet, true);
  equal(options.port, "9");
});

Deno.test("parseOptions: a repeated parameter keeps the last value, or all if multiple", () => {
  const { options } = parseOptions(SPEC, [
    "-p1",
    "-p2",
    "-l",
    "tcp:1",
    "--listen=unix:/s",
  ]);
  equal(options.port, "2");
  deepEqual(options.listen, ["tcp:1", "unix:/s"]);
});

Deno.test("parseOptions: stopAtArgument returns the first argument and all after it", () => {
  const { options, rest } = parseOptions(SPEC, ["-v", "echo", "--port", "1"], {
    stopAtArgument: true,
  });
  equal(options.verbose, true);
  equal(options.port, "8007");
  deepEqual(rest, ["echo", "--port", "1"]);
});

Deno.test("parseOptions: -- ends the options", () => {
  const { options, rest } = parseOptions(SPEC, ["--", "-v"], {
    stopAtArgument: true,
  });
  equal(options.verbose, false);
  deepEqual(rest, ["-v"]);
});

Deno.test("parseOptions: --help and -h set help and end the parsing", () => {
  for (const args of [["--help", "--bogus"], ["-vh", "-x"], ["-h"]]) {
    const { options } = parseOptions(SPEC, args);
    equal(options.help, true, args.join(" "));
  }
});

Deno.test("parseOptions: errors are UsageErrors with getopt's messages", () => {
  const cases: [string[], string][] = [
    [["--bogus"], "option --bogus not recognized"],
    [["--bogus=1"], "option --bogus not recognized"],
    [["-x"], "option -x not recognized"],
    [["-vx"], "option -x not recognized"],
    [["--port"], "option --port requires argument"],
    [["-p"], "option -p requires argument"],
    [["--verbose=yes"], "option --verbose must not have an argument"],
    [["extra"], "unexpected argument: extra"],
  ];
  for (const [args, message] of cases) {
    throws(() => parseOptions(SPEC, args), new UsageError(message));
  }
});

Deno.test("formatOptions: the synopsis, the description, one line per option with defaults", () => {
  const text = formatOptions(SPEC);
  equal(
    text,
    [
      "Usage: tool [options]",
      "",
      "Does things.",
      "",
      "Options:",
      "  -v, --verbose        Say more.",
      "  -q, --quiet          Say less.",
      "  -h, --help           Display this help and exit.",
      "  -p, --port=PORT      The port. [default: 8007]",
      "  -f, --file=PATH      A file.",
      "  -l, --listen=LISTEN  An endpoint. [default: tcp:80] (may be repeated)",
      "",
    ].join("\n"),
  );
  equal(
    formatOptions({ parameters: [{ name: "x", description: "X." }] }),
    "Options:\n  -h, --help  Display this help and exit.\n      --x=X   X.\n",
  );
});
