// Copyright 2026 the Torsion authors. MIT license.
// deno-lint-ignore-file no-console
/**
 * A loopback load test of Torsion's servers beside hand-written Deno
 * servers doing the same job (the "raw" baselines):
 *
 * | Torsion server | raw baseline | tests |
 * |---|---|---|
 * | `servers/echo.ts` (a `Protocol` echo) | `servers/raw_echo.ts` | stream, pingpong |
 * | `servers/lines.ts` (a `LineReceiver` line echo) | `servers/raw_lines.ts` | lines |
 *
 * With `--contract`, each test also measures the raw baseline held to the
 * transport's contract (`servers/raw_echo_owned.ts`, `raw_lines_owned.ts`:
 * bytes the handler may keep, reading on while a write is pending), the
 * ceiling for Torsion's servers, and shows Torsion's ratios to it.
 *
 * Each server runs as a subprocess on 127.0.0.1 (any free port). The client
 * runs in Workers of this process (`_load_worker.ts`), each with its share of
 * the connections, so that one client thread is not the limit. Tests:
 *
 * - `stream_C`: C connections each write 16 KiB chunks, at most 64 KiB
 *   unechoed per connection; MB/s echoed (MB = 10^6 bytes).
 * - `pingpong_C`: C connections each send a 64-byte message and wait for its
 *   echo before the next; round trips/s, p50/p99 round-trip time.
 * - `lines_C`: C connections each send 64-byte lines (`"\n"` included), at
 *   most 64 unechoed per connection; lines/s.
 *
 * Each run: connect, load for the warm-up, then count for the measured
 * window. The servers are measured alternately (raw, Torsion, raw,
 * Torsion... for each round; raw, contract, Torsion with `--contract`) and the table shows medians over the rounds,
 * the Torsion/raw ratios, and, where `/proc` is readable, the server's CPU
 * time per operation (per 16 KiB chunk, round trip or line) and the CPU
 * used by this process (the client). Every echoed byte is checked.
 *
 * With `--reactor epoll`, Torsion's servers run on the `EpollReactor`
 * (`TORSION_REACTOR=epoll`, with `--allow-ffi`); the raw baselines are the
 * same. The C epoll server of `../shared/bench/compare.sh` is the other
 * reference for that reactor.
 *
 * With `--tls`, every server listens with TLS instead of TCP: Torsion's
 * through `reactor.listenSSL` with a `DefaultOpenSSLContextFactory`, the
 * raw baselines through `Deno.listenTls`, both with the key and certificate
 * of the tests' TLS fixtures (`tests/reactor/transports/tls_fixtures/`,
 * for `localhost` and 127.0.0.1; the servers get `--allow-read` for that
 * folder). The Workers connect with `TCP_NODELAY` and `Deno.startTls`,
 * trusting the fixtures' CA, and finish each handshake before the load
 * starts, so the window measures the encrypted echo, not handshakes. The
 * servers cannot set `TCP_NODELAY` (Deno's `TlsConn` has no
 * `setNoDelay`), the raw ones no more than Torsion's.
 *
 * Run: `deno task bench:load [--duration S] [--warmup S] [--conns N]
 * [--workers N] [--rounds N] [--only TESTS] [--contract]
 * [--reactor default|epoll] [--tls]`; `--help` explains.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  CHUNK_SIZE,
  type LoadMode,
  type LoadResult,
  type WorkerRequest,
  type WorkerResponse,
} from "./_load_worker.ts";
import {
  cpuSeconds,
  delay,
  median,
  RequestWorker,
  stopChild,
  withTimeout,
} from "./_harness.ts";
import { LINE_SIZE } from "./_pattern.ts";
import { CA_FILE, TLS_FIXTURES } from "./servers/_tls.ts";

const HELP = `Usage: deno task bench:load [options]

Loopback load test: Torsion's echo and line servers (bench/servers/) beside
raw Deno servers doing the same job, measured alternately.

Options:
  --duration S   measured seconds per run (default 3)
  --warmup S     unmeasured seconds of load before each run (default 1)
  --conns N      connections of the multi-connection tests (default 50)
  --workers N    client Workers sharing the connections (default 2)
  --rounds N     rounds of raw, Torsion alternately; medians shown (default 1)
  --only LIST    comma list of tests (stream_1, stream_N, pingpong_1,
                 pingpong_N, lines_1, lines_N with N = --conns) or kinds
                 (stream, pingpong, lines); default stream_1, stream_N,
                 pingpong_N, lines_N
  --contract     also measure the raw servers held to the transport's
                 contract (raw_echo_owned.ts, raw_lines_owned.ts) and show
                 Torsion's ratios to them
  --reactor R    the reactor Torsion's servers run on: default, or epoll
                 (Linux; the servers get --allow-ffi) (default: default)
  --tls          every server listens with TLS (Torsion: listenSSL; raw:
                 Deno.listenTls; the tests' key and certificate) and the
                 clients connect with TLS, trusting the tests' CA
  --help         this text
`;

// ---------------------------------------------------------------------------
// Options

interface Options {
  durationMs: number;
  warmupMs: number;
  conns: number;
  workers: number;
  rounds: number;
  tests: Test[];
  /** Whether the contract baselines are measured too. */
  contract: boolean;
  /** The reactor Torsion's servers run on. */
  reactor: "default" | "epoll";
  /** Whether the servers and clients speak TLS. */
  tls: boolean;
}

interface Test {
  /** E.g. `stream_50`. */
  name: string;
  mode: LoadMode;
  conns: number;
}

/** The servers of a test: the raw baseline, its contract variant, Torsion's. */
interface Servers {
  raw: string;
  contract: string;
  torsion: string;
}

const SERVERS: Record<LoadMode, Servers> = {
  stream: {
    raw: "raw_echo.ts",
    contract: "raw_echo_owned.ts",
    torsion: "echo.ts",
  },
  pingpong: {
    raw: "raw_echo.ts",
    contract: "raw_echo_owned.ts",
    torsion: "echo.ts",
  },
  lines: {
    raw: "raw_lines.ts",
    contract: "raw_lines_owned.ts",
    torsion: "lines.ts",
  },
};

/** The files measured for `mode`, in the order they are measured. */
function serversOf(mode: LoadMode, contract: boolean): string[] {
  const s = SERVERS[mode];
  return contract ? [s.raw, s.contract, s.torsion] : [s.raw, s.torsion];
}

function parseOptions(args: string[]): Options | null {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      duration: { type: "string", default: "3" },
      warmup: { type: "string", default: "1" },
      conns: { type: "string", default: "50" },
      workers: { type: "string", default: "2" },
      rounds: { type: "string", default: "1" },
      only: { type: "string" },
      contract: { type: "boolean", default: false },
      reactor: { type: "string", default: "default" },
      tls: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return null;
  const seconds = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!(n >= min) || n > 600) {
      throw new RangeError(
        `Cannot parse --${name}: expected seconds in [${min}, 600], received "${v}"`,
      );
    }
    return Math.round(n * 1000);
  };
  const integer = (name: string, v: string, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new RangeError(
        `Cannot parse --${name}: expected an integer in [1, ${max}], received "${v}"`,
      );
    }
    return n;
  };
  const conns = integer("conns", values.conns, 5000);
  const catalogue: Test[] = [];
  for (const mode of ["stream", "pingpong", "lines"] as const) {
    for (const c of new Set([1, conns])) {
      catalogue.push({ name: `${mode}_${c}`, mode, conns: c });
    }
  }
  let tests: Test[];
  if (values.only === undefined) {
    tests = catalogue.filter((t) => t.name === "stream_1" || t.conns === conns);
    // With --conns 1, pingpong_1 and lines_1 are the default ones.
  } else {
    const wanted = values.only.split(",").map((s) => s.trim()).filter(Boolean);
    for (const w of wanted) {
      if (!catalogue.some((t) => t.name === w || t.mode === w)) {
        throw new RangeError(
          `Cannot select test "${w}": expected one of ${
            catalogue.map((t) => t.name).join(", ")
          }, or stream, pingpong, lines`,
        );
      }
    }
    tests = catalogue.filter((t) =>
      wanted.includes(t.name) || wanted.includes(t.mode)
    );
  }
  const reactor = values.reactor;
  if (reactor !== "default" && reactor !== "epoll") {
    throw new RangeError(
      `Cannot select reactor "${reactor}": expected default or epoll`,
    );
  }
  return {
    reactor,
    durationMs: seconds("duration", values.duration, 0.1),
    warmupMs: seconds("warmup", values.warmup, 0),
    conns,
    workers: integer("workers", values.workers, 64),
    rounds: integer("rounds", values.rounds, 100),
    tests,
    contract: values.contract,
    tls: values.tls,
  };
}

// ---------------------------------------------------------------------------
// Helpers

/** The `q` quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

// ---------------------------------------------------------------------------
// Servers

/**
 * A server subprocess: `deno run --allow-net=127.0.0.1 <file> 0`; on the
 * epoll reactor, with `TORSION_REACTOR=epoll` and `--allow-ffi`; over TLS,
 * with `--allow-read` of the TLS fixtures and `--tls` after the port.
 */
class Server {
  readonly file: string;
  readonly label: string;
  readonly #epoll: boolean;
  readonly #tls: boolean;
  port = 0;
  #child: Deno.ChildProcess | null = null;
  #stderr = "";
  #drains: Promise<unknown>[] = [];
  #exited = false;

  constructor(file: string, epoll = false, tls = false) {
    this.file = file;
    this.#epoll = epoll;
    this.#tls = tls;
    this.label = file.replace(/\.ts$/, "") + (epoll ? " (epoll)" : "") +
      (tls ? " TLS" : "");
  }

  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  /** Whether the process has ended on its own (or been stopped). */
  get exited(): boolean {
    return this.#exited;
  }

  /** The end of what the server wrote to stderr. */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /** Starts the server and reads its port from the first line of its stdout. */
  async start(): Promise<void> {
    const path = decodeURIComponent(
      new URL(`./servers/${this.file}`, import.meta.url).pathname,
    );
    const args = ["run", "--allow-net=127.0.0.1"];
    if (this.#epoll) args.push("--allow-ffi", "--allow-env=TORSION_REACTOR");
    if (this.#tls) args.push(`--allow-read=${TLS_FIXTURES}`);
    args.push(path, "0");
    if (this.#tls) args.push("--tls");
    const child = new Deno.Command(Deno.execPath(), {
      args,
      env: this.#epoll ? { TORSION_REACTOR: "epoll" } : undefined,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    child.status.then(() => {
      this.#exited = true;
    });
    // Keep the last 4,000 characters of stderr, for error reports.
    this.#drains.push(
      child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
        new WritableStream({
          write: (s) => {
            this.#stderr = (this.#stderr + s).slice(-4000);
          },
        }),
      ).catch(() => {}),
    );
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let line = "";
    const firstLine = (async () => {
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        line += value;
      }
      return line.split("\n")[0].trim();
    })();
    const text = await withTimeout(
      firstLine,
      20000,
      `waiting for ${this.file} to print its port`,
    );
    const port = Number(text);
    if (!Number.isInteger(port) || port <= 0) {
      throw new Error(
        `Cannot start ${this.file}: expected a port on its first line, got "${text}"${
          this.#stderr ? `; stderr: ${this.stderrTail}` : ""
        }`,
      );
    }
    this.port = port;
    // Drain the rest of stdout so that the server never blocks on it.
    this.#drains.push((async () => {
      try {
        while (!(await reader.read()).done) {
          // Discard.
        }
      } catch {
        // The pipe closed.
      }
    })());
  }

  /** Sends SIGTERM, waits up to 5 s (then SIGKILL), and awaits the process. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    await stopChild(child, this.file);
    this.#exited = true;
    await withTimeout(Promise.allSettled(this.#drains), 2000, "pipes").catch(
      () => {},
    );
  }
}

// ---------------------------------------------------------------------------
// Client workers

/** A Worker running `_load_worker.ts`. */
class LoadWorker extends RequestWorker<WorkerRequest, WorkerResponse> {
  constructor() {
    super(new URL("./_load_worker.ts", import.meta.url), "Load worker");
  }
}

// ---------------------------------------------------------------------------
// Measuring

/** One run of one test against one server. */
interface Run {
  /** MB/s (stream), round trips/s (pingpong) or lines/s (lines). */
  throughput: number;
  p50: number;
  p99: number;
  /** Server CPU µs per operation (16 KiB chunk, round trip, line). */
  cpuPerOp: number;
  /** Server CPU, % of one core. */
  serverCpu: number;
  /** This process's CPU (the client), % of one core. */
  clientCpu: number;
  errors: number;
  verifyErrors: number;
  firstError: string | null;
}

async function measure(
  test: Test,
  server: Server,
  workers: LoadWorker[],
  opts: Options,
  tlsCA: string | null,
): Promise<Run> {
  if (server.exited) {
    throw new Error(
      `${server.file} has exited${
        server.stderrTail ? `; stderr: ${server.stderrTail}` : ""
      }`,
    );
  }
  // Spread the connections over the workers (a worker with none sits out).
  const shares = workers.map((_, i) =>
    Math.floor(test.conns / workers.length) +
    (i < test.conns % workers.length ? 1 : 0)
  );
  const active = workers
    .map((worker, i) => ({ worker, conns: shares[i] }))
    .filter((a) => a.conns > 0);
  await Promise.all(active.map(({ worker, conns }) =>
    worker.request(
      { type: "open", port: server.port, conns, mode: test.mode, tlsCA },
      15000,
    )
  ));
  const { warmupMs, durationMs } = opts;
  const sample = async () => {
    const at = performance.now();
    const [srv, client] = await Promise.all([
      cpuSeconds(server.pid),
      cpuSeconds(Deno.pid),
    ]);
    return { server: srv, client, at };
  };
  const before = delay(warmupMs).then(sample);
  const after = delay(warmupMs + durationMs).then(sample);
  const results = await Promise.all(active.map(({ worker }) =>
    worker.request(
      { type: "go", warmupMs, durationMs },
      warmupMs + durationMs + 15000,
    ) as Promise<LoadResult>
  ));
  const [cpu0, cpu1] = await Promise.all([before, after]);

  // Operations per second (chunks, round trips, lines), summed over the
  // workers, each over its own window.
  let opsPerSecond = 0;
  let errors = 0;
  let verifyErrors = 0;
  let firstError: string | null = null;
  let latencyCount = 0;
  for (const r of results) {
    const ops = test.mode === "stream"
      ? r.bytes / CHUNK_SIZE
      : test.mode === "lines"
      ? r.bytes / LINE_SIZE
      : r.ops;
    opsPerSecond += ops / r.seconds;
    errors += r.errors;
    verifyErrors += r.verifyErrors;
    firstError ??= r.firstError;
    latencyCount += r.latencies.length;
  }
  const throughput = test.mode === "stream"
    ? opsPerSecond * CHUNK_SIZE / 1e6
    : opsPerSecond;
  const latencies = new Float64Array(latencyCount);
  let off = 0;
  for (const r of results) {
    latencies.set(r.latencies, off);
    off += r.latencies.length;
  }
  latencies.sort();
  const wall = (cpu1.at - cpu0.at) / 1000;
  const serverCpu = cpu0.server !== null && cpu1.server !== null
    ? cpu1.server - cpu0.server
    : NaN;
  const clientCpu = cpu0.client !== null && cpu1.client !== null
    ? cpu1.client - cpu0.client
    : NaN;
  return {
    throughput,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpuPerOp: serverCpu / wall / opsPerSecond * 1e6,
    serverCpu: serverCpu / wall * 100,
    clientCpu: clientCpu / wall * 100,
    errors,
    verifyErrors,
    firstError,
  };
}

// ---------------------------------------------------------------------------
// Report

const UNITS: Record<LoadMode, string> = {
  stream: "MB/s",
  pingpong: "rt/s",
  lines: "lines/s",
};
const OP: Record<LoadMode, string> = {
  stream: "16 KiB chunk",
  pingpong: "round trip",
  lines: "line",
};

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0
    ? `${(a / b).toFixed(2)}x`
    : "–";
}

interface Row {
  test: Test;
  server: Server;
  runs: Run[];
}

function table(rows: Row[], contract: boolean): string {
  const out = [
    `| test | server | throughput | p50 µs | p99 µs | server CPU µs/op | server CPU | client CPU | Torsion/raw throughput | Torsion/raw CPU/op |${
      contract ? " Torsion/contract throughput | Torsion/contract CPU/op |" : ""
    }`,
    `|---|---|---|---|---|---|---|---|---|---|${contract ? "---|---|" : ""}`,
  ];
  type Figures = { throughput: number; cpuPerOp: number };
  // The baselines of the test being printed (its rows come together).
  const base = new Map<string, Figures>();
  for (const { test, server, runs } of rows) {
    const m = (f: (r: Run) => number) => median(runs.map(f));
    const throughput = m((r) => r.throughput);
    const cpuPerOp = m((r) => r.cpuPerOp);
    const servers = SERVERS[test.mode];
    const isTorsion = server.file === servers.torsion;
    if (!isTorsion) base.set(server.file, { throughput, cpuPerOp });
    const ratios = (b: Figures | undefined): string =>
      isTorsion && b !== undefined
        ? ` ${ratio(throughput, b.throughput)} | ${
          ratio(cpuPerOp, b.cpuPerOp)
        } |`
        : "  |  |";
    const lat = test.mode === "pingpong";
    const errors = runs.reduce((s, r) => s + r.errors + r.verifyErrors, 0);
    out.push(
      `| ${test.name} | ${
        isTorsion ? `${server.label} (Torsion)` : server.label
      }${errors > 0 ? ` ⚠ ${errors} errors` : ""} | ${fmt(throughput)} ${
        UNITS[test.mode]
      } | ${lat ? fmt(m((r) => r.p50)) : "–"} | ${
        lat ? fmt(m((r) => r.p99)) : "–"
      } | ${fmt(cpuPerOp, 2)} | ${fmt(m((r) => r.serverCpu))} % | ${
        fmt(m((r) => r.clientCpu))
      } % |${ratios(base.get(servers.raw))}${
        contract ? ratios(base.get(servers.contract)) : ""
      }`,
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
  if (opts.tests.length === 0) {
    console.error("No test selected");
    return 2;
  }

  const servers = new Map<string, Server>();
  const workers: LoadWorker[] = [];
  let stopping: Promise<void> | null = null;
  const cleanup = (): Promise<void> =>
    stopping ??= (async () => {
      for (const w of workers) w.terminate();
      await Promise.all([...servers.values()].map((s) => s.stop()));
    })();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error("\nInterrupted: stopping the servers");
    cleanup().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);

  const maxConns = Math.max(...opts.tests.map((t) => t.conns));
  const tlsCA = opts.tls ? await Deno.readTextFile(CA_FILE) : null;
  const rows: Row[] = [];
  let status = 0;
  try {
    for (let i = 0; i < Math.min(opts.workers, maxConns); i++) {
      workers.push(new LoadWorker());
    }
    const files = new Set(
      opts.tests.flatMap((t) => serversOf(t.mode, opts.contract)),
    );
    const torsionFiles = new Set(Object.values(SERVERS).map((s) => s.torsion));
    for (const f of files) {
      servers.set(
        f,
        new Server(
          f,
          opts.reactor === "epoll" && torsionFiles.has(f),
          opts.tls,
        ),
      );
    }
    await Promise.all([...servers.values()].map((s) => s.start()));

    for (const test of opts.tests) {
      for (const f of serversOf(test.mode, opts.contract)) {
        rows.push({ test, server: servers.get(f)!, runs: [] });
      }
    }
    const started = new Date();
    for (let round = 1; round <= opts.rounds; round++) {
      for (const row of rows) {
        const run = await measure(
          row.test,
          row.server,
          workers,
          opts,
          tlsCA,
        );
        row.runs.push(run);
        console.error(
          `round ${round}/${opts.rounds} ${row.test.name} ${row.server.label}: ${
            fmt(run.throughput)
          } ${UNITS[row.test.mode]}${
            row.test.mode === "pingpong"
              ? `, p50 ${fmt(run.p50)} µs, p99 ${fmt(run.p99)} µs`
              : ""
          }, server ${fmt(run.cpuPerOp, 2)} µs/${OP[row.test.mode]}${
            run.errors + run.verifyErrors > 0
              ? `, ${run.errors} errors, ${run.verifyErrors} verify errors (${run.firstError})`
              : ""
          }`,
        );
        if (run.errors + run.verifyErrors > 0) status = 1;
      }
    }

    const cpus = navigator.hardwareConcurrency;
    console.log(
      `bench:load ${started.toISOString()}: Deno ${Deno.version.deno}, ${Deno.build.os} ${Deno.build.arch}, ${cpus} CPUs; Torsion on the ${opts.reactor} reactor${
        opts.tls
          ? "; over TLS (Torsion: listenSSL, raw: Deno.listenTls; clients: Deno.startTls)"
          : ""
      }`,
    );
    console.log(
      `client: ${workers.length} Worker(s) in this process, sharing each test's connections ` +
        `(the number in the test's name: ${
          opts.tests.map((t) => `${t.name} ${t.conns}`).join(", ")
        }); a 1-connection test uses one Worker`,
    );
    console.log(
      `runs: ${opts.warmupMs / 1000} s warm-up + ${
        opts.durationMs / 1000
      } s measured; ${opts.rounds} round(s) of raw, ${
        opts.contract ? "contract, " : ""
      }Torsion alternately; medians over the rounds`,
    );
    console.log("");
    console.log(table(rows, opts.contract));
    console.log("");
    console.log(
      "throughput: MB/s echoed (10^6 bytes), round trips/s, or lines/s; p50/p99: round-trip time (pingpong).\n" +
        "server CPU µs/op: the server process's user+system CPU time in the window per 16 KiB chunk, round trip\n" +
        "or line (from /proc, 10 ms ticks); CPU %: 100 = one core; client CPU: this process (the Workers).\n" +
        "Torsion/raw: throughput ratio (higher is better) and CPU/op ratio (lower is better)." +
        (opts.contract
          ? "\nTorsion/contract: the same against the raw server held to the transport's contract\n" +
            "(bytes dataReceived may keep, reading on while a write is pending): Torsion's ceiling."
          : ""),
    );
    const busyClient = rows.some(({ runs }) =>
      median(runs.map((r) => r.clientCpu)) >=
        median(runs.map((r) => r.serverCpu))
    );
    if (busyClient) {
      console.log(
        `\nThe client used as much CPU as the server or more in some tests: with ${cpus} CPUs shared, those\n` +
          "throughputs are a joint ceiling of client and server; compare CPU/op, or use ../shared/bench/compare.sh\n" +
          "(its C load generator costs less CPU per operation).",
      );
    }
    if (status !== 0) {
      console.log(
        "\nSome connections failed or echoed wrong bytes: see above.",
      );
    }
  } catch (e) {
    console.error(
      `bench:load failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    for (const s of servers.values()) {
      if (s.exited && s.stderrTail) {
        console.error(`${s.file} stderr:\n${s.stderrTail}`);
      }
    }
    status = 1;
  } finally {
    await cleanup();
    Deno.removeSignalListener("SIGINT", onSignal);
  }
  return status;
}

if (import.meta.main) {
  Deno.exit(await main());
}
