// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A soak test of the demo server (`examples/demo.ts`): a long run of mixed
 * echo, line and connect load at a fraction of the measured peak, with
 * misbehaving clients injected all along, watching the server's memory and
 * descriptors.
 *
 * 1. Starts the demo as a subprocess (`deno run --allow-net=127.0.0.1
 *    examples/demo.ts --port-base 0`) and reads its ports from the table it
 *    prints; its log (stderr), which names every connection's peer and why it
 *    closed, is read all along.
 * 2. Measures the peak of each kind of load alone, closed loop
 *    (`_soak_worker.ts`, one Worker per kind): `echo` (the `echo` service,
 *    bytes echoed), `lines` (the `line-modes` service, a `LineReceiver`:
 *    lines answered), `connect` (the `echo` service: connect, 64 bytes
 *    echoed, close).
 * 3. Runs the three together, open loop, each at `--rate-fraction` ÷ 3 of its
 *    own peak (so that the mix asks `--rate-fraction` of the server's measured
 *    capacity), for `--duration` seconds, with every echoed byte checked.
 *    Misbehaving clients (`_soak_misbehave.py`, Python, from 127.0.0.2 so
 *    that the log tells them apart) run all along: connections that stall
 *    (nothing, half a line, a part of an announced body), connections reset
 *    with an RST while data is in flight both ways (SO_LINGER 0, which Deno
 *    cannot do), and connections that send echo data but stop reading.
 * 4. Samples the server's RSS (`VmRSS`), open descriptors (`/proc/PID/fd`)
 *    and CPU time every `--interval` seconds.
 * 5. Stops the clients (the well-behaved ones after the last echo, so that
 *    they end cleanly), waits for the server to log every connection closed,
 *    counts its descriptors again, and stops it with SIGTERM.
 *
 * The verdict: RSS after the warm-up within ±5 % of its level at the start of
 * that window; descriptors at the end no more than before the first client;
 * no real error (a failed or wrong echo, a failed connect, a stalled or
 * non-reading connection the server dropped, a log line the demo does not
 * write in normal operation, a well-behaved connection the server saw end
 * uncleanly); each kind of load at 95 % of its target or more; the demo
 * exiting with status 0 after SIGTERM. What the misbehaving clients cause
 * (the server's `ConnectionLost` for their resets) is counted apart. The
 * exit status is 1 if a check fails.
 *
 * Run: `deno task bench:soak [--duration S] [--warmup S]
 * [--rate-fraction F]`; `--help` lists every option.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  countFds,
  cpuSeconds,
  delay,
  median,
  RequestWorker,
  rssKiB,
  stopChild,
  withTimeout,
} from "./_harness.ts";
import type {
  SoakCounters,
  SoakKind,
  SoakRequest,
  SoakResponse,
} from "./_soak_worker.ts";

const HELP = `Usage: deno task bench:soak [options]

Soak test of the demo server (examples/demo.ts): measures the peak of echo,
line and connect load, then runs the three together, open loop, at a fraction
of the peak, with misbehaving clients (stalling, resetting mid-write, not
reading; from a Python helper), sampling the server's RSS and descriptors.
Exit status 1 if RSS after the warm-up leaves ±5 %, descriptors are not back
to the start, a real error happened, or the load fell short of its target.

Options:
  --duration S        seconds of soak, warm-up included (default 1200)
  --warmup S          seconds at the start not judged for RSS or throughput
                      (default 120)
  --rate-fraction F   the share of the measured peak the mix asks: each kind
                      runs at F/3 of its own peak (default 0.5)
  --interval S        seconds between samples of the server (default 2)
  --peak-seconds S    measured seconds of each peak run, after 1 s of
                      warm-up (default 5)
  --conns N           connections of the echo and lines loads, and connect
                      cycles at a time when measuring the peak (default 10)
  --stalls N          stalled connections held at all times (default 20)
  --resets R          connections reset mid-write per second (default 2)
  --non-readers N     connections that stop reading, at all times (default 2)
  --non-reader-cap M  MiB a non-reader sends after its last read at most
                      (default 64)
  --max-rss M         stop the soak early if the server's RSS passes M MiB
                      (default 4096)
  --python PATH       the Python 3 that runs the misbehaving clients
                      (default python3)
  --help              this text
`;

// ---------------------------------------------------------------------------
// Options

interface Options {
  durationS: number;
  warmupS: number;
  fraction: number;
  intervalS: number;
  peakS: number;
  conns: number;
  stalls: number;
  resets: number;
  nonReaders: number;
  nonReaderCapMiB: number;
  maxRssMiB: number;
  python: string;
}

function parseOptions(args: string[]): Options | null {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      duration: { type: "string", default: "1200" },
      warmup: { type: "string", default: "120" },
      "rate-fraction": { type: "string", default: "0.5" },
      interval: { type: "string", default: "2" },
      "peak-seconds": { type: "string", default: "5" },
      conns: { type: "string", default: "10" },
      stalls: { type: "string", default: "20" },
      resets: { type: "string", default: "2" },
      "non-readers": { type: "string", default: "2" },
      "non-reader-cap": { type: "string", default: "64" },
      "max-rss": { type: "string", default: "4096" },
      python: { type: "string", default: "python3" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return null;
  const num = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (v.trim() === "" || !(n >= min && n <= max)) {
      throw new RangeError(
        `Cannot parse --${name}: expected a number in [${min}, ${max}], received "${v}"`,
      );
    }
    return n;
  };
  const int = (name: string, v: string, min: number, max: number): number => {
    const n = num(name, v, min, max);
    if (!Number.isInteger(n)) {
      throw new RangeError(
        `Cannot parse --${name}: expected an integer, received "${v}"`,
      );
    }
    return n;
  };
  const o: Options = {
    durationS: num("duration", values.duration, 1, 86400),
    warmupS: num("warmup", values.warmup, 0, 86400),
    fraction: num("rate-fraction", values["rate-fraction"], 0.001, 3),
    intervalS: num("interval", values.interval, 0.2, 60),
    peakS: num("peak-seconds", values["peak-seconds"], 0.5, 600),
    conns: int("conns", values.conns, 1, 1000),
    stalls: int("stalls", values.stalls, 0, 5000),
    resets: num("resets", values.resets, 0, 1000),
    nonReaders: int("non-readers", values["non-readers"], 0, 100),
    nonReaderCapMiB: num("non-reader-cap", values["non-reader-cap"], 1, 65536),
    maxRssMiB: num("max-rss", values["max-rss"], 16, 1 << 20),
    python: values.python,
  };
  if (o.warmupS >= o.durationS) {
    throw new RangeError(
      `Cannot soak: --warmup (${o.warmupS}) must be shorter than --duration (${o.durationS})`,
    );
  }
  return o;
}

// ---------------------------------------------------------------------------
// Text streams

/** The lines of a byte stream, without their `"\n"`. */
async function* linesOf(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    rest += chunk;
    let i: number;
    while ((i = rest.indexOf("\n")) !== -1) {
      yield rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
  }
  if (rest !== "") yield rest;
}

// ---------------------------------------------------------------------------
// The demo and its log

/** Where a connection came from: the load, or the misbehaving clients. */
type Source = "load" | "injected";

/** The source address of the misbehaving clients. */
const INJECTED_HOST = "127.0.0.2";

/** The demo's own log lines (system `-`) in normal operation. */
const KNOWN_LOG: RegExp[] = [
  /^\S+ \(\S+\) starting on \d+$/,
  /^Starting factory /,
  /^Stopping factory /,
  /^Received SIG[A-Z]+, shutting down\.$/,
  /^Shutting down the demo: closing \d+ ports? and \d+ connections?$/,
  /^\(TCP Port \d+ Closed\)$/,
  /^Demo stopped: every port and connection is closed$/,
];

/** What the demo's log said: connections by source, close reasons, oddities. */
class ServerLog {
  readonly opened: Record<Source, number> = { load: 0, injected: 0 };
  readonly closes: Record<Source, Map<string, number>> = {
    load: new Map(),
    injected: new Map(),
  };
  /** Lines the demo does not write in normal operation. */
  unexpected = 0;
  readonly firstUnexpected: string[] = [];
  /** "closing N ports and M connections" at shutdown. */
  shutdown: { ports: number; conns: number } | null = null;
  stopped = false;
  readonly #tail: string[] = [];

  /** Connections open now, as far as the log tells. */
  open(source: Source): number {
    let closed = 0;
    for (const n of this.closes[source].values()) closed += n;
    return this.opened[source] - closed;
  }

  /** Closes of load connections other than `ConnectionDone`. */
  uncleanLoadCloses(): number {
    let n = 0;
    for (const [reason, count] of this.closes.load) {
      if (reason !== "ConnectionDone") n += count;
    }
    return n;
  }

  /** The last lines, for error reports. */
  tail(): string {
    return this.#tail.join("\n");
  }

  feed(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > 20) this.#tail.shift();
    const m = /^\S+ \S+ \[([^\]]*)\] (.*)$/.exec(line);
    if (m === null) return this.#odd(line);
    const [, system, message] = m;
    const conn = /^\w+,\d+,(\S+)$/.exec(system);
    if (conn !== null) {
      const source: Source = conn[1] === INJECTED_HOST ? "injected" : "load";
      if (message.startsWith("New connection from ")) {
        this.opened[source]++;
        return;
      }
      const closed = /^Connection closed: (\w+)/.exec(message);
      if (closed !== null) {
        const map = this.closes[source];
        map.set(closed[1], (map.get(closed[1]) ?? 0) + 1);
        return;
      }
      return this.#odd(line);
    }
    if (system === "-" && KNOWN_LOG.some((re) => re.test(message))) {
      const s = /closing (\d+) ports? and (\d+) connections?$/.exec(message);
      if (s !== null) {
        this.shutdown = { ports: Number(s[1]), conns: Number(s[2]) };
      }
      if (message.startsWith("Demo stopped")) this.stopped = true;
      return;
    }
    this.#odd(line);
  }

  #odd(line: string): void {
    this.unexpected++;
    if (this.firstUnexpected.length < 5) this.firstUnexpected.push(line);
  }
}

/** The demo server as a subprocess. */
class Demo {
  readonly #child: Deno.ChildProcess;
  readonly log = new ServerLog();
  readonly ports = new Map<string, number>();
  #exit: Deno.CommandStatus | null = null;
  readonly #drains: Promise<void>[] = [];

  constructor() {
    const path = decodeURIComponent(
      new URL("../examples/demo.ts", import.meta.url).pathname,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-net=127.0.0.1",
        path,
        "--port-base",
        "0",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    this.#child = child;
    child.status.then((s) => {
      this.#exit = s;
    });
    this.#drains.push(
      (async () => {
        for await (const line of linesOf(child.stderr)) {
          this.log.feed(line);
        }
      })().catch(() => {}),
    );
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** How it exited, once it has. */
  get exit(): Deno.CommandStatus | null {
    return this.#exit;
  }

  /** Reads the table of services up to "Press Ctrl-C to stop.". */
  async ready(): Promise<void> {
    const lines = linesOf(this.#child.stdout);
    const seen: string[] = [];
    const table = (async () => {
      for await (const line of lines) {
        seen.push(line);
        const m = /^ {2}(\S+) +127\.0\.0\.1:(\d+) /.exec(line);
        if (m !== null) this.ports.set(m[1], Number(m[2]));
        if (/Press Ctrl-C to stop\.$/.test(line)) return true;
      }
      return false;
    })();
    const complete = await withTimeout(
      table,
      30000,
      "waiting for the demo's table of services",
    );
    if (!complete || !this.ports.has("echo") || !this.ports.has("line-modes")) {
      throw new Error(
        `The demo did not print its table of services; stdout: ${
          JSON.stringify(seen)
        }; log:\n${this.log.tail()}`,
      );
    }
    // Whatever else it prints on stdout is read (and ignored).
    this.#drains.push(
      (async () => {
        for await (const _ of lines) {
          // Discard.
        }
      })().catch(() => {}),
    );
  }

  #stopping: Promise<{ status: Deno.CommandStatus; killed: boolean }> | null =
    null;

  /** SIGTERM (SIGKILL after 10 s); the exit status. Once only. */
  stop(): Promise<{ status: Deno.CommandStatus; killed: boolean }> {
    return this.#stopping ??= (async () => {
      const r = await stopChild(this.#child, "the demo", 10000);
      await withTimeout(Promise.allSettled(this.#drains), 5000, "pipes")
        .catch(() => {});
      return r;
    })();
  }
}

// ---------------------------------------------------------------------------
// The misbehaving clients

/** The totals `_soak_misbehave.py` prints, one JSON line at a time. */
interface HelperTotals {
  stallsOpened: number;
  stallsClosed: number;
  stallsOpen: number;
  resets: number;
  resetsMidWrite: number;
  nonReadersOpened: number;
  nonReadersClosed: number;
  nonReadersOpen: number;
  nonReadersBounded: number;
  nonReadersCapped: number;
  nonReaderMaxAccepted: number;
  errors: number;
  firstErrors: string[];
  final: boolean;
}

/** `_soak_misbehave.py` as a subprocess. */
class Misbehavers {
  readonly #child: Deno.ChildProcess;
  latest: HelperTotals | null = null;
  final: HelperTotals | null = null;
  #stderr = "";
  readonly #drains: Promise<void>[] = [];
  version = "";

  constructor(opts: Options, demo: Demo) {
    const script = decodeURIComponent(
      new URL("./_soak_misbehave.py", import.meta.url).pathname,
    );
    const child = new Deno.Command(opts.python, {
      args: [
        "-u",
        script,
        "--source",
        INJECTED_HOST,
        "--echo-port",
        String(demo.ports.get("echo")),
        "--lines-port",
        String(demo.ports.get("line-modes")),
        "--stalls",
        String(opts.stalls),
        "--stall-hold",
        "20",
        "--resets",
        String(opts.resets),
        "--non-readers",
        String(opts.nonReaders),
        "--non-reader-hold",
        "20",
        "--non-reader-cap",
        String(Math.round(opts.nonReaderCapMiB * 1048576)),
        "--report",
        "1",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#drains.push(
      (async () => {
        for await (const line of linesOf(child.stdout)) {
          try {
            const t = JSON.parse(line) as HelperTotals;
            this.latest = t;
            if (t.final) this.final = t;
          } catch {
            this.#stderr += `stdout: ${line}\n`;
          }
        }
      })().catch(() => {}),
      (async () => {
        for await (const line of linesOf(child.stderr)) {
          this.#stderr = (this.#stderr + line + "\n").slice(-4000);
        }
      })().catch(() => {}),
    );
  }

  /** What it wrote on stderr (a Python traceback, say). */
  get stderr(): string {
    return this.#stderr.trim();
  }

  #stopping: Promise<Deno.CommandStatus> | null = null;

  /** Closes its stdin, which stops it; SIGTERM after 30 s. Once only. */
  stop(): Promise<Deno.CommandStatus> {
    return this.#stopping ??= (async () => {
      try {
        await this.#child.stdin.close();
      } catch {
        // Closed already.
      }
      let status: Deno.CommandStatus;
      try {
        status = await withTimeout(this.#child.status, 30000, "the helper");
      } catch {
        status = (await stopChild(this.#child, "the helper")).status;
      }
      await withTimeout(Promise.allSettled(this.#drains), 5000, "pipes")
        .catch(() => {});
      return status;
    })();
  }

  /** Ends it at once (on Ctrl-C). */
  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Exited already.
    }
  }
}

/** The Python's version, or throws with what to do. */
async function pythonVersion(python: string): Promise<string> {
  try {
    const { success, stdout, stderr } = await new Deno.Command(python, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout).trim() ||
      new TextDecoder().decode(stderr).trim();
    if (success && /^Python 3\./.test(text)) return text;
    throw new Error(text);
  } catch (e) {
    throw new Error(
      `Cannot run "${python} --version" (${
        e instanceof Error ? e.message : e
      }): the misbehaving clients run in Python 3 (a reset needs SO_LINGER 0, which Deno lacks); give --python PATH`,
    );
  }
}

// ---------------------------------------------------------------------------
// The load

const KINDS: readonly SoakKind[] = ["echo", "lines", "connect"];

/** The demo service each kind loads. */
const SERVICE: Record<SoakKind, string> = {
  echo: "echo",
  lines: "line-modes",
  connect: "echo",
};

/** A Worker running `_soak_worker.ts`. */
class SoakWorker extends RequestWorker<SoakRequest, SoakResponse> {
  readonly kind: SoakKind;

  constructor(kind: SoakKind) {
    super(new URL("./_soak_worker.ts", import.meta.url), `${kind} client`);
    this.kind = kind;
  }

  async start(port: number, conns: number, rate: number | null): Promise<void> {
    await this.request(
      { type: "start", kind: this.kind, port, conns, rate },
      30000,
    );
  }

  async sample(): Promise<SoakCounters> {
    return await this.request({ type: "sample" }, 10000) as SoakCounters;
  }

  async stop(graceMs: number): Promise<SoakCounters> {
    return await this.request(
      { type: "stop", graceMs },
      graceMs + 30000,
    ) as SoakCounters;
  }
}

/** A rate in the kind's unit: MB/s, lines/s, connections/s. */
function rateText(kind: SoakKind, unitsPerSecond: number): string {
  if (!Number.isFinite(unitsPerSecond)) return "–";
  return kind === "echo"
    ? `${fmt(unitsPerSecond / 1e6, 1)} MB/s`
    : `${fmt(unitsPerSecond)} ${kind === "lines" ? "lines/s" : "conn/s"}`;
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function signedPct(x: number): string {
  if (!Number.isFinite(x)) return "–";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} %`;
}

function mib(kib: number | null): string {
  return kib === null ? "–" : (kib / 1024).toFixed(1);
}

/** A peak run's result. */
interface Peak {
  kind: SoakKind;
  /** Units per second. */
  rate: number;
  /** Server CPU, % of one core. */
  serverCpu: number;
  errors: number;
  firstErrors: string[];
}

/** One kind alone, closed loop: 1 s of warm-up, then `peakS` measured. */
async function measurePeak(
  worker: SoakWorker,
  demo: Demo,
  opts: Options,
): Promise<Peak> {
  const port = demo.ports.get(SERVICE[worker.kind])!;
  await worker.start(port, opts.conns, null);
  await delay(1000);
  const [c0, cpu0] = await Promise.all([worker.sample(), cpuSeconds(demo.pid)]);
  await delay(opts.peakS * 1000);
  const [c1, cpu1] = await Promise.all([worker.sample(), cpuSeconds(demo.pid)]);
  const end = await worker.stop(10000);
  const seconds = (c1.at - c0.at) / 1000;
  return {
    kind: worker.kind,
    rate: (c1.units - c0.units) / seconds,
    serverCpu: cpu0 !== null && cpu1 !== null
      ? (cpu1 - cpu0) / seconds * 100
      : NaN,
    errors: end.errors + end.verifyErrors,
    firstErrors: end.firstErrors,
  };
}

/** One sample of the soak. */
interface Sample {
  /** Seconds since the soak began. */
  t: number;
  rssKiB: number | null;
  fds: number | null;
  /** The server's CPU seconds so far. */
  cpu: number | null;
  counters: Record<SoakKind, SoakCounters>;
  /** Connections open in the server, by its log. */
  serverConns: number;
  helper: HelperTotals | null;
}

/** Waits until the log shows no open connection; false after `ms`. */
async function settled(log: ServerLog, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (log.open("load") + log.open("injected") > 0) {
    if (performance.now() > end) return false;
    await delay(100);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Report

interface Check {
  name: string;
  detail: string;
  ok: boolean;
}

/** Rows of at most `rows` buckets of samples. */
function timeSeries(samples: Sample[], warmupS: number, rows: number): string {
  const out = [
    "| t (s) | RSS MiB (min–max) | fds (max) | server conns (max) | server CPU | echo | lines | connect | lag ms (max) | load errors (total) | resets (total) |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const size = Math.max(1, Math.ceil((samples.length - 1) / rows));
  for (let i = 1; i < samples.length; i += size) {
    const prev = samples[i - 1];
    const bucket = samples.slice(i, i + size);
    const last = bucket[bucket.length - 1];
    const seconds = last.t - prev.t;
    const rss = bucket.map((s) => s.rssKiB).filter((x) => x !== null);
    const fds = bucket.map((s) => s.fds).filter((x) => x !== null);
    const cpu = last.cpu !== null && prev.cpu !== null
      ? `${fmt((last.cpu - prev.cpu) / seconds * 100)} %`
      : "–";
    const rate = (k: SoakKind) =>
      rateText(
        k,
        (last.counters[k].units - prev.counters[k].units) /
          ((last.counters[k].at - prev.counters[k].at) / 1000),
      );
    const lag = Math.max(
      ...bucket.flatMap((s) => KINDS.map((k) => s.counters[k].maxLagMs)),
    );
    const errors = KINDS.reduce(
      (n, k) => n + last.counters[k].errors + last.counters[k].verifyErrors,
      0,
    );
    out.push(
      `| ${fmt(prev.t)}–${fmt(last.t)}${
        last.t <= warmupS
          ? " (warm-up)"
          : bucket[0].t < warmupS
          ? " (warm-up ends)"
          : ""
      } | ${
        rss.length > 0
          ? `${mib(Math.min(...rss))}–${mib(Math.max(...rss))}`
          : "–"
      } | ${fds.length > 0 ? Math.max(...fds) : "–"} | ${
        Math.max(...bucket.map((s) => s.serverConns))
      } | ${cpu} | ${rate("echo")} | ${rate("lines")} | ${rate("connect")} | ${
        fmt(lag)
      } | ${errors} | ${last.helper?.resets ?? "–"} |`,
    );
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  let opts: Options | null;
  try {
    opts = parseOptions(Deno.args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    console.error(HELP);
    return 2;
  }
  if (opts === null) {
    console.log(HELP);
    return 0;
  }

  let demo: Demo | null = null;
  let helper: Misbehavers | null = null;
  const workers: SoakWorker[] = [];
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error("\nInterrupted: stopping the clients and the demo");
    for (const w of workers) w.terminate();
    helper?.kill();
    (demo?.stop() ?? Promise.resolve()).finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);

  const started = new Date();
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const progress = (s: string) => console.error(`[${fmt(elapsed())} s] ${s}`);
  try {
    const python = await pythonVersion(opts.python);
    demo = new Demo();
    await demo.ready();
    const pid = demo.pid;
    // Before any client: the level the descriptors must come back to.
    const [fdsStart, rssStart] = await Promise.all([
      countFds(pid),
      rssKiB(pid),
    ]);
    progress(
      `demo pid ${pid}: echo on ${demo.ports.get("echo")}, line-modes on ${
        demo.ports.get("line-modes")
      }; ${fdsStart} descriptors, RSS ${mib(rssStart)} MiB`,
    );
    for (const k of KINDS) workers.push(new SoakWorker(k));

    // 1. The peaks, one kind at a time.
    const peaks: Peak[] = [];
    for (const w of workers) {
      const p = await measurePeak(w, demo, opts);
      peaks.push(p);
      progress(
        `peak ${w.kind}: ${rateText(w.kind, p.rate)}, server CPU ${
          fmt(p.serverCpu)
        } %${p.errors > 0 ? `, ${p.errors} errors (${p.firstErrors[0]})` : ""}`,
      );
      if (!(p.rate > 0)) {
        throw new Error(`The ${w.kind} load got nothing through`);
      }
    }
    await settled(demo.log, 10000);
    const [fdsAfterPeak, rssAfterPeak] = await Promise.all([
      countFds(pid),
      rssKiB(pid),
    ]);

    // 2. The soak.
    const share = opts.fraction / KINDS.length;
    const targets = Object.fromEntries(
      peaks.map((p) => [p.kind, p.rate * share]),
    ) as Record<SoakKind, number>;
    progress(
      `soak for ${opts.durationS} s (${opts.warmupS} s warm-up): ${
        KINDS.map((k) => `${k} ${rateText(k, targets[k])}`).join(", ")
      }; misbehaving clients from ${INJECTED_HOST} (${python})`,
    );
    helper = new Misbehavers(opts, demo);
    await Promise.all(workers.map((w) =>
      w.start(
        demo!.ports.get(SERVICE[w.kind])!,
        opts!.conns,
        targets[w.kind],
      )
    ));
    const soakStart = performance.now();
    const samples: Sample[] = [];
    const sample = async (): Promise<Sample> => {
      const [rss, fds, cpu, ...counters] = await Promise.all([
        rssKiB(pid),
        countFds(pid),
        cpuSeconds(pid),
        ...workers.map((w) => w.sample()),
      ]);
      return {
        t: (performance.now() - soakStart) / 1000,
        rssKiB: rss,
        fds,
        cpu,
        counters: Object.fromEntries(
          workers.map((w, i) => [w.kind, counters[i]]),
        ) as Record<SoakKind, SoakCounters>,
        serverConns: demo!.log.open("load") + demo!.log.open("injected"),
        helper: helper!.latest,
      };
    };
    samples.push(await sample());
    let aborted: string | null = null;
    const printEvery = Math.max(1, Math.round(10 / opts.intervalS));
    for (let i = 1; i * opts.intervalS <= opts.durationS + 1e-9; i++) {
      const wait = soakStart + i * opts.intervalS * 1000 - performance.now();
      if (wait > 0) await delay(wait);
      const s = await sample();
      samples.push(s);
      if (i % printEvery === 0) {
        const prev = samples[Math.max(0, samples.length - 1 - printEvery)];
        const rate = (k: SoakKind) =>
          rateText(
            k,
            (s.counters[k].units - prev.counters[k].units) /
              ((s.counters[k].at - prev.counters[k].at) / 1000),
          );
        progress(
          `t ${fmt(s.t)} s: RSS ${
            mib(s.rssKiB)
          } MiB, ${s.fds} fds, ${s.serverConns} conns; ${
            KINDS.map((k) => `${k} ${rate(k)}`).join(", ")
          }; ${
            KINDS.reduce(
              (n, k) => n + s.counters[k].errors + s.counters[k].verifyErrors,
              0,
            )
          } load errors; helper: ${s.helper?.resets ?? 0} resets, ${
            s.helper?.stallsOpen ?? 0
          } stalled, ${s.helper?.nonReadersOpen ?? 0} non-readers, ${
            s.helper?.errors ?? 0
          } errors`,
        );
      }
      if (demo.exit !== null) {
        aborted =
          `the demo exited (code ${demo.exit.code}, signal ${demo.exit.signal})`;
        break;
      }
      if (s.rssKiB !== null && s.rssKiB > opts.maxRssMiB * 1024) {
        aborted = `the server's RSS passed --max-rss (${opts.maxRssMiB} MiB)`;
        break;
      }
    }
    if (aborted !== null) progress(`soak stopped early: ${aborted}`);

    // 3. The end: every client stops; the server must let go of everything.
    const [helperStatus, finals] = await Promise.all([
      helper.stop(),
      Promise.all(workers.map((w) => w.stop(10000))),
    ]);
    const closedAll = await settled(demo.log, 15000);
    await delay(500);
    const [fdsEnd, rssEnd] = await Promise.all([countFds(pid), rssKiB(pid)]);
    progress(
      `clients stopped: ${fdsEnd} descriptors, RSS ${
        mib(rssEnd)
      } MiB; stopping the demo`,
    );
    const stopped = await demo.stop();
    for (const w of workers) w.terminate();
    workers.length = 0;

    // 4. The report.
    const log = demo.log;
    const final: Record<SoakKind, SoakCounters> = Object.fromEntries(
      KINDS.map((k, i) => [k, finals[i]]),
    ) as Record<SoakKind, SoakCounters>;
    const injected = helper.final ?? helper.latest;
    const judged = samples.filter((s) => s.t >= opts!.warmupS);
    const checks: Check[] = [];

    // RSS: the reference is its median over the first part of the judged
    // window (a quarter, at most 60 s), the drift the median over the last.
    const rssJudged = judged.filter((s) => s.rssKiB !== null) as (Sample & {
      rssKiB: number;
    })[];
    const span = Math.max(
      opts.intervalS,
      Math.min(60, (opts.durationS - opts.warmupS) / 4),
    );
    let rssCheck: Check;
    if (rssJudged.length === 0) {
      rssCheck = {
        name: "RSS after warm-up within ±5 %",
        detail: "no sample after the warm-up",
        ok: false,
      };
    } else {
      const first = rssJudged[0].t;
      const last = rssJudged[rssJudged.length - 1].t;
      const ref = median(
        rssJudged.filter((s) => s.t <= first + span).map((s) => s.rssKiB),
      );
      const end = median(
        rssJudged.filter((s) => s.t >= last - span).map((s) => s.rssKiB),
      );
      const lo = Math.min(...rssJudged.map((s) => s.rssKiB));
      const hi = Math.max(...rssJudged.map((s) => s.rssKiB));
      const minPct = lo / ref - 1;
      const maxPct = hi / ref - 1;
      rssCheck = {
        name: "RSS after warm-up within ±5 %",
        detail: `reference ${mib(ref)} MiB (median of t = ${fmt(first)}–${
          fmt(first + span)
        } s); min ${mib(lo)} MiB (${signedPct(minPct)}), max ${mib(hi)} MiB (${
          signedPct(maxPct)
        }); drift ${signedPct(end / ref - 1)} (median of the last ${
          fmt(span)
        } s); ${rssJudged.length} samples`,
        ok: minPct >= -0.05 && maxPct <= 0.05,
      };
    }
    checks.push(rssCheck);

    const fdsMax = Math.max(
      ...samples.map((s) => s.fds ?? 0),
      fdsAfterPeak ?? 0,
    );
    checks.push({
      name: "descriptors back to the start",
      detail:
        `${fdsStart} before any client, ${fdsAfterPeak} after the peak runs, ${fdsEnd} after the soak (at most ${fdsMax} during it)${
          closedAll
            ? ""
            : `; the log still shows ${
              log.open("load") + log.open("injected")
            } connections open`
        }`,
      ok: fdsStart !== null && fdsEnd !== null && fdsEnd <= fdsStart,
    });

    const peakErrors = peaks.reduce((n, p) => n + p.errors, 0);
    const loadErrors = KINDS.reduce(
      (n, k) => n + final[k].errors + final[k].verifyErrors,
      0,
    );
    const helperErrors = injected?.errors ?? 0;
    const unclean = log.uncleanLoadCloses();
    const helperFailed = helperStatus.code !== 0 || injected?.final !== true;
    const real = peakErrors + loadErrors + helperErrors + log.unexpected +
      unclean + (helperFailed ? 1 : 0) + (aborted !== null ? 1 : 0);
    const loadErrorTexts = [
      ...peaks.flatMap((p) => p.firstErrors.map((e) => `${p.kind} peak: ${e}`)),
      ...KINDS.flatMap((k) => final[k].firstErrors.map((e) => `${k}: ${e}`)),
    ].slice(0, 5);
    const realParts = [
      `load clients ${peakErrors + loadErrors}${
        loadErrorTexts.length > 0 ? ` (${loadErrorTexts.join("; ")})` : ""
      }`,
      `misbehaving clients' own ${helperErrors}${
        injected?.firstErrors.length
          ? ` (${injected.firstErrors.join("; ")})`
          : ""
      }`,
      `unexpected server log lines ${log.unexpected}`,
      `load connections the server saw end uncleanly ${unclean}${
        unclean > 0
          ? ` (${
            [...log.closes.load].filter(([r]) => r !== "ConnectionDone")
              .map(([r, n]) =>
                `${r} ${n}`
              ).join(", ")
          })`
          : ""
      }`,
    ];
    if (helperFailed) {
      realParts.push(
        `the helper ended badly (code ${helperStatus.code}${
          helper.stderr ? `: ${helper.stderr}` : ""
        })`,
      );
    }
    if (aborted !== null) realParts.push(`soak stopped early: ${aborted}`);
    checks.push({
      name: "no real errors",
      detail: `${real}: ${realParts.join("; ")}`,
      ok: real === 0,
    });

    const achieved = (k: SoakKind): number => {
      const a = judged[0]?.counters[k];
      const b = samples[samples.length - 1].counters[k];
      return a === undefined
        ? NaN
        : (b.units - a.units) / ((b.at - a.at) / 1000);
    };
    checks.push({
      name: "load at ≥ 95 % of its target after warm-up",
      detail: KINDS.map((k) => `${k} ${fmt(achieved(k) / targets[k] * 100)} %`)
        .join(", "),
      ok: KINDS.every((k) => achieved(k) >= 0.95 * targets[k]),
    });

    checks.push({
      name: "the demo stopped cleanly on SIGTERM",
      detail: `exit code ${stopped.status.code}${
        stopped.killed ? " after SIGKILL" : ""
      }${
        log.shutdown
          ? `; "closing ${log.shutdown.ports} ports and ${log.shutdown.conns} connections"`
          : "; no shutdown line in its log"
      }${log.stopped ? "" : '; no "Demo stopped" line'}`,
      ok: stopped.status.code === 0 && !stopped.killed && log.stopped,
    });

    // Output.
    const cpus = navigator.hardwareConcurrency;
    console.log(
      `bench:soak ${started.toISOString()}: Deno ${Deno.version.deno}, ${Deno.build.os} ${Deno.build.arch}, ${cpus} CPUs`,
    );
    console.log(
      `server: examples/demo.ts (pid ${pid}); load clients: 3 Workers of this process (one per kind), from 127.0.0.1; ` +
        `misbehaving clients: bench/_soak_misbehave.py (${python}), from ${INJECTED_HOST}; resets are RSTs (SO_LINGER 0)`,
    );
    console.log("");
    console.log(
      `Peak, each kind alone, closed loop (1 s warm-up, ${opts.peakS} s measured):`,
    );
    console.log("");
    console.log("| kind | service | clients | peak | server CPU | errors |");
    console.log("|---|---|---|---|---|---|");
    const clients: Record<SoakKind, string> = {
      echo: `${opts.conns} connections, ≤ 64 KiB unechoed each, 16 KiB writes`,
      lines: `${opts.conns} connections, ≤ 64 lines unanswered each`,
      connect: `${opts.conns} cycles at a time (connect, 64 B echoed, close)`,
    };
    for (const p of peaks) {
      console.log(
        `| ${p.kind} | ${SERVICE[p.kind]} | ${clients[p.kind]} | ${
          rateText(p.kind, p.rate)
        } | ${fmt(p.serverCpu)} % | ${p.errors} |`,
      );
    }
    console.log("");
    console.log(
      `Soak: ${
        fmt(samples[samples.length - 1].t)
      } s (${opts.warmupS} s warm-up), open loop, each kind at ` +
        `${opts.fraction} ÷ 3 of its peak (the mix asks ${
          fmt(opts.fraction * 100)
        } % of the measured capacity); samples every ${opts.intervalS} s:`,
    );
    console.log("");
    console.log(
      "| kind | target | achieved after warm-up | % of target | max lag ms after warm-up | errors |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const k of KINDS) {
      console.log(
        `| ${k} | ${rateText(k, targets[k])} | ${rateText(k, achieved(k))} | ${
          fmt(achieved(k) / targets[k] * 100, 1)
        } % | ${
          fmt(Math.max(...judged.map((s) => s.counters[k].maxLagMs)))
        } | ${final[k].errors + final[k].verifyErrors} |`,
      );
    }
    console.log("");
    console.log(timeSeries(samples, opts.warmupS, 20));
    console.log("");
    console.log(
      `Server: RSS ${mib(rssStart)} MiB before any client, ${
        mib(rssAfterPeak)
      } MiB after the peak runs, ${mib(rssEnd)} MiB after the soak.`,
    );
    const closes = (s: Source) =>
      [...log.closes[s]].map(([r, n]) => `${r} ${n}`).join(", ") || "none";
    console.log(
      `Server log: load connections ${log.opened.load} (closed: ${
        closes("load")
      }); misbehaving ${log.opened.injected} (closed: ${closes("injected")}).`,
    );
    if (injected !== null) {
      console.log(
        `Injected: ${injected.stallsOpened} stalled connections (${opts.stalls} held at a time, ~20 s each); ` +
          `${injected.resets} resets (RST), ${injected.resetsMidWrite} with the client's own data still unsent; ` +
          `${injected.nonReadersOpened} non-readers (${opts.nonReaders} at a time, 20 s each): ` +
          `${injected.nonReadersBounded} found the server had stopped reading them, ${injected.nonReadersCapped} ` +
          `reached the cap (${opts.nonReaderCapMiB} MiB sent after their last read: the server kept reading); ` +
          `most accepted after the last read: ${
            fmt(injected.nonReaderMaxAccepted / 1048576, 1)
          } MiB (kernel buffers included).`,
      );
    }
    if (log.firstUnexpected.length > 0) {
      console.log("Unexpected server log lines (first ones):");
      for (const l of log.firstUnexpected) console.log(`  ${l}`);
    }
    console.log("");
    console.log("| check | result | |");
    console.log("|---|---|---|");
    for (const c of checks) {
      console.log(`| ${c.name} | ${c.detail} | ${c.ok ? "PASS" : "FAIL"} |`);
    }
    const ok = checks.every((c) => c.ok);
    console.log("");
    console.log(ok ? "Soak passed." : "Soak FAILED.");
    return ok ? 0 : 1;
  } catch (e) {
    console.error(
      `bench:soak failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    if (demo !== null) {
      console.error(`demo log (last lines):\n${demo.log.tail()}`);
    }
    if (helper?.stderr) console.error(`helper stderr:\n${helper.stderr}`);
    return 1;
  } finally {
    for (const w of workers) w.terminate();
    if (helper !== null) await helper.stop().catch(() => {});
    if (demo !== null) await demo.stop();
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

if (import.meta.main) {
  Deno.exit(await main());
}
