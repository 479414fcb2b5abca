// Copyright 2026 the Torsion authors. MIT license.
/**
 * The client side of `bench/load.ts`, run in a Worker: it opens its share of
 * the connections, drives them in one of three modes, checks every echoed
 * byte, and reports what it counted inside the measured window.
 *
 * The conversation with the main thread, one request at a time:
 *
 * 1. `{ type: "open", port, conns, mode, tlsCA }` → the worker connects (with
 *    `TCP_NODELAY`; when `tlsCA` is a PEM CA, then TLS over that connection
 *    with `Deno.startTls`, trusting that CA, the handshake completed before
 *    the answer) and answers `{ type: "opened" }`.
 * 2. `{ type: "go", warmupMs, durationMs }` → the load starts at once; the
 *    counters are read when the warm-up ends and again `durationMs` later;
 *    then every connection is closed and the worker answers with a
 *    {@linkcode LoadResult}.
 *
 * A failure answers `{ type: "error", message }`.
 *
 * Every byte the client sends comes from one periodic pattern at its stream
 * offset (`_pattern.ts`: printable characters, a `"\n"` every 64 bytes), so an echo of
 * any kind — bytes or lines — must reproduce the pattern from offset 0, and
 * each read is compared with it (`Buffer.compare`, native, well under 1 µs per
 * 16 KiB).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { LINE_SIZE, MAX_READ, patternAt, writeAll } from "./_pattern.ts";

/** The three ways of loading a server. */
export type LoadMode = "stream" | "pingpong" | "lines";

/** The main thread's requests. */
export type WorkerRequest =
  | {
    type: "open";
    port: number;
    conns: number;
    mode: LoadMode;
    /** TLS: the CA (PEM) the server's certificate chains to; `null`: TCP. */
    tlsCA: string | null;
  }
  | { type: "go"; warmupMs: number; durationMs: number };

/** What a worker counted in the measured window. */
export interface LoadResult {
  type: "result";
  /** The measured window, in seconds (this worker's own clock). */
  seconds: number;
  /** Bytes echoed back in the window. */
  bytes: number;
  /** Operations in the window: round trips (pingpong); unused otherwise. */
  ops: number;
  /** Round-trip times in µs, one per round trip in the window (pingpong). */
  latencies: Float64Array<ArrayBuffer>;
  /** Connections that failed (reset, closed early, write error) while loaded. */
  errors: number;
  /** Reads whose bytes differed from what was sent. */
  verifyErrors: number;
  /** The first error seen, for the report. */
  firstError: string | null;
}

/** The worker's answers. */
export type WorkerResponse =
  | { type: "opened" }
  | LoadResult
  | { type: "error"; message: string };

/** Bytes per message in pingpong mode. */
export const MESSAGE_SIZE = 64;
/** Bytes per write in stream mode. */
export const CHUNK_SIZE = 16384;
/** Unechoed bytes allowed per connection in stream mode. */
export const STREAM_WINDOW = 65536;
/** Unechoed lines allowed per connection in lines mode. */
export const LINES_WINDOW = 64;

/** Counters shared by this worker's connections. */
class Stats {
  bytes = 0;
  ops = 0;
  errors = 0;
  verifyErrors = 0;
  firstError: string | null = null;
  /** Whether round-trip times are being recorded (inside the window). */
  measuring = false;
  #latencies = new Float64Array(1 << 16);
  #count = 0;

  record(us: number): void {
    if (!this.measuring) return;
    if (this.#count === this.#latencies.length) {
      const grown = new Float64Array(this.#latencies.length * 2);
      grown.set(this.#latencies);
      this.#latencies = grown;
    }
    this.#latencies[this.#count++] = us;
  }

  latencies(): Float64Array<ArrayBuffer> {
    return this.#latencies.slice(0, this.#count);
  }

  fail(message: string, verify = false): void {
    if (verify) this.verifyErrors++;
    else this.errors++;
    this.firstError ??= message;
  }
}

/** One loaded connection. `stop()` closes it; `done` settles once its loops end. */
class Client {
  readonly #conn: Deno.Conn;
  readonly #stats: Stats;
  #running = true;
  #wake: (() => void) | null = null;

  constructor(conn: Deno.Conn, stats: Stats) {
    this.#conn = conn;
    this.#stats = stats;
  }

  start(mode: LoadMode): Promise<void> {
    if (mode === "pingpong") return this.#pingpong();
    const [window, unit, max] = mode === "stream"
      ? [STREAM_WINDOW, CHUNK_SIZE, CHUNK_SIZE]
      : [LINES_WINDOW * LINE_SIZE, LINE_SIZE, LINES_WINDOW * LINE_SIZE];
    return this.#windowed(window, unit, max);
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    try {
      this.#conn.close();
    } catch {
      // Closed already.
    }
    this.#wakeWriter();
  }

  #wakeWriter(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Reports an error unless it comes from our own close. */
  #fail(e: unknown): void {
    if (!this.#running) return;
    this.#stats.fail(
      e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    );
    this.stop();
  }

  /**
   * Stream and lines: keep at most `window` bytes unechoed, writing whole
   * `unit`s, at most `max` bytes per write, topped up after every read.
   */
  async #windowed(window: number, unit: number, max: number): Promise<void> {
    let sent = 0;
    let received = 0;
    const writer = async () => {
      while (this.#running) {
        const room = window - (sent - received);
        if (room < unit) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
          continue;
        }
        const length = Math.min(max, room - (room % unit));
        const chunk = patternAt(sent, length);
        sent += length;
        await writeAll(this.#conn, chunk);
      }
    };
    const reader = async () => {
      const buf = new Uint8Array(Math.min(MAX_READ, window));
      const stats = this.#stats;
      while (this.#running) {
        const n = await this.#conn.read(buf);
        if (n === null) throw new Error("The server closed the connection");
        if (Buffer.compare(buf.subarray(0, n), patternAt(received, n)) !== 0) {
          stats.fail(
            `Echo differs from what was sent at offset ${received}`,
            true,
          );
          this.stop();
          return;
        }
        received += n;
        stats.bytes += n;
        this.#wakeWriter();
      }
    };
    await Promise.all([
      writer().catch((e) => this.#fail(e)),
      reader().catch((e) => this.#fail(e)),
    ]);
  }

  /** Pingpong: one message in flight; its echo must come back whole first. */
  async #pingpong(): Promise<void> {
    const buf = new Uint8Array(4096);
    const stats = this.#stats;
    let offset = 0;
    try {
      while (this.#running) {
        const msg = patternAt(offset, MESSAGE_SIZE);
        offset += MESSAGE_SIZE;
        const start = performance.now();
        // Not awaited before reading: one turn less per round trip. A
        // 64-byte write with nothing else in flight is never partial in
        // practice, but a short count is still completed.
        const written = this.#conn.write(msg).then((n) =>
          n < msg.length ? writeAll(this.#conn, msg.subarray(n)) : undefined
        );
        written.catch(() => {});
        let got = 0;
        while (got < MESSAGE_SIZE) {
          const n = await this.#conn.read(buf.subarray(got));
          if (n === null) throw new Error("The server closed the connection");
          got += n;
        }
        await written;
        if (
          got !== MESSAGE_SIZE ||
          Buffer.compare(buf.subarray(0, got), msg) !== 0
        ) {
          stats.fail(
            `Echo differs from message ${offset / MESSAGE_SIZE}`,
            true,
          );
          this.stop();
          return;
        }
        stats.record((performance.now() - start) * 1000);
        stats.ops++;
        stats.bytes += MESSAGE_SIZE;
      }
    } catch (e) {
      this.#fail(e);
    }
  }
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let conns: Deno.Conn[] = [];
let mode: LoadMode = "stream";

function reply(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Connects with `TCP_NODELAY`; with a CA, then TLS over that connection
 * (`Deno.startTls` rather than `Deno.connectTls`, whose `TlsConn` cannot
 * set `TCP_NODELAY`), the handshake completed. The certificate of the
 * tests' fixtures is valid for `localhost`.
 */
async function connect(port: number, tlsCA: string | null): Promise<Deno.Conn> {
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  tcp.setNoDelay(true);
  if (tlsCA === null) return tcp;
  let tls: Deno.TlsConn;
  try {
    tls = await Deno.startTls(tcp, { hostname: "localhost", caCerts: [tlsCA] });
  } catch (e) {
    try {
      tcp.close();
    } catch {
      // Consumed by startTls.
    }
    throw e;
  }
  try {
    await tls.handshake();
  } catch (e) {
    tls.close();
    throw e;
  }
  return tls;
}

async function open(
  port: number,
  count: number,
  m: LoadMode,
  tlsCA: string | null,
): Promise<void> {
  mode = m;
  const opened = await Promise.allSettled(
    Array.from({ length: count }, () => connect(port, tlsCA)),
  );
  conns = [];
  let failure: unknown = null;
  for (const r of opened) {
    if (r.status === "fulfilled") conns.push(r.value);
    else failure ??= r.reason;
  }
  if (failure !== null) {
    closeAll();
    throw failure;
  }
}

function closeAll(): void {
  for (const c of conns) {
    try {
      c.close();
    } catch {
      // Closed by its client already.
    }
  }
  conns = [];
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function go(warmupMs: number, durationMs: number): Promise<LoadResult> {
  const stats = new Stats();
  const clients = conns.map((c) => new Client(c, stats));
  conns = [];
  const loops = clients.map((c) => c.start(mode));
  await delay(warmupMs);
  const t0 = performance.now();
  const bytes0 = stats.bytes;
  const ops0 = stats.ops;
  stats.measuring = true;
  await delay(durationMs);
  stats.measuring = false;
  const t1 = performance.now();
  const bytes = stats.bytes - bytes0;
  const ops = stats.ops - ops0;
  const errors = stats.errors;
  for (const c of clients) c.stop();
  // A loop ends once its pending read or write sees the close.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(loops),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 5000);
    }),
  ]);
  clearTimeout(timer);
  return {
    type: "result",
    seconds: (t1 - t0) / 1000,
    bytes,
    ops,
    latencies: stats.latencies(),
    errors,
    verifyErrors: stats.verifyErrors,
    firstError: stats.firstError,
  };
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  if (req.type === "open") {
    open(req.port, req.conns, req.mode, req.tlsCA).then(
      () => reply({ type: "opened" }),
      (err) => reply({ type: "error", message: errorText(err) }),
    );
  } else {
    go(req.warmupMs, req.durationMs).then(
      (r) => reply(r, [r.latencies.buffer]),
      (err) => reply({ type: "error", message: errorText(err) }),
    );
  }
};
