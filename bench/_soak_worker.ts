// Copyright 2026 the Torsion authors. MIT license.
/**
 * The well-behaved clients of `bench/soak.ts`, run in a Worker: one kind of
 * load per Worker, closed loop (as fast as the echoes allow, to measure the
 * peak) or open loop (a fixed rate), every echoed byte checked.
 *
 * Kinds (the ports are the demo's services):
 *
 * - `echo` (the `echo` service): each connection writes the pattern of
 *   `_pattern.ts` in chunks of at most 16 KiB and reads it back. Unit: a
 *   byte. Closed loop: at most 64 KiB unechoed per connection, written in
 *   16 KiB chunks, as `bench:load`'s `stream` test.
 * - `lines` (the `line-modes` service, a `LineReceiver`): each connection
 *   sends 58-byte lines (`#` and 55 pattern characters, `"\r\n"`) and
 *   expects each back as the 64-byte `line: #...\r\n`. Unit: a line. Closed
 *   loop: at most 64 lines unanswered per connection.
 * - `connect` (the `echo` service): cycles of connect, write 64 bytes, read
 *   their echo, close (the client closes first, after the whole echo, so the
 *   server sees a clean end). Unit: a cycle. Closed loop: `conns` cycles at a
 *   time; open loop: at most 256 at a time.
 *
 * Open loop: each connection (or the connect kind as a whole) follows a
 * schedule of `rate / conns` units per second from its start, woken every
 * 5 ms; the unechoed window is then the larger of the closed-loop window and
 * 50 ms of the schedule. A connection that falls behind keeps its schedule and
 * catches up as fast as its window allows; the lag (units due but not sent,
 * in ms of the schedule) is reported: its largest value between two
 * samples.
 *
 * A connection that fails (reset, closed by the server, write error, wrong
 * bytes) is counted and replaced after 200 ms, so the load goes on. `stop`
 * stops sending, waits for every echo still due (a missing one is an error),
 * then closes: no connection is closed with data in flight, so the server
 * sees only clean ends.
 *
 * The conversation with the main thread, one request at a time:
 *
 * 1. `{ type: "start", kind, port, conns, rate }` (`rate` in units per second,
 *    `null` for closed loop) → connects and starts the load, answers
 *    `{ type: "started" }`.
 * 2. `{ type: "sample" }`, any number of times → {@linkcode SoakCounters}
 *    (totals since the start).
 * 3. `{ type: "stop", graceMs }` → stops as above, answers the final
 *    {@linkcode SoakCounters}; the Worker can then start again.
 *
 * A failure answers `{ type: "error", message }`.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { MAX_READ, PATTERN, patternAt, PERIOD, writeAll } from "./_pattern.ts";

/** The three kinds of load. */
export type SoakKind = "echo" | "lines" | "connect";

/** The main thread's requests. */
export type SoakRequest =
  | {
    type: "start";
    kind: SoakKind;
    port: number;
    conns: number;
    /** Units per second for the whole Worker; `null`: closed loop. */
    rate: number | null;
  }
  | { type: "sample" }
  | { type: "stop"; graceMs: number };

/** Totals since the start. */
export interface SoakCounters {
  type: "counters";
  /** When they were read: `performance.timeOrigin + performance.now()`, ms. */
  at: number;
  /** Units completed: bytes echoed, lines answered, or cycles. */
  units: number;
  /** Bytes received back. */
  bytes: number;
  /** Connections that failed: reset, closed early, write or connect error. */
  errors: number;
  /** Reads whose bytes differed from what was expected. */
  verifyErrors: number;
  /** The first errors (five at most), for the report. */
  firstErrors: string[];
  /** Connections open now. */
  open: number;
  /** The largest lag now, in ms of the schedule (open loop). */
  lagMs: number;
  /** The largest lag seen since the previous counters, in ms. */
  maxLagMs: number;
}

/** The Worker's answers. */
export type SoakResponse =
  | { type: "started" }
  | SoakCounters
  | { type: "error"; message: string };

/** Bytes of each line sent to `line-modes`, `"\r\n"` included. */
export const LINE_SEND = 58;
/** Bytes of each answer (`line: ` + the line). */
export const LINE_ANSWER = 64;
/** Bytes per connect cycle. */
export const CYCLE_SIZE = 64;

/** The open-loop wake-up period. */
const TICK_MS = 5;
/** How long a failed connection waits before it is replaced. */
const RETRY_MS = 200;
/** How long a connect cycle may take before it counts as failed. */
const CYCLE_TIMEOUT_MS = 10000;
/** Connect cycles at a time in open loop. */
const MAX_CYCLES = 256;

/** What a stream connection sends and expects, unit by unit. */
interface Script {
  /** The bytes sent: one period, then `MAX_READ` bytes more. */
  send: Uint8Array;
  sendPeriod: number;
  /** Bytes per unit sent. */
  sendUnit: number;
  /** The bytes expected back: one period, then `MAX_READ` bytes more. */
  expect: Uint8Array;
  expectPeriod: number;
  /** Bytes per unit expected back. */
  expectUnit: number;
  /** Units unechoed at most per connection, closed loop. */
  window: number;
  /** Units per write at most. */
  maxWrite: number;
  /** Units per write at least, closed loop (open loop: 1). */
  minWrite: number;
}

const ECHO: Script = {
  send: PATTERN,
  sendPeriod: PERIOD,
  sendUnit: 1,
  expect: PATTERN,
  expectPeriod: PERIOD,
  expectUnit: 1,
  window: 65536,
  maxWrite: 16384,
  minWrite: 16384,
};

/** 257 lines for `line-modes` and their answers (`line: ` + the line). */
function makeLines(): Script {
  const count = 257;
  const sendPeriod = count * LINE_SEND;
  const expectPeriod = count * LINE_ANSWER;
  const send = new Uint8Array(sendPeriod + MAX_READ);
  const expect = new Uint8Array(expectPeriod + MAX_READ);
  const prefix = new TextEncoder().encode("line: ");
  for (let i = 0; i < count; i++) {
    // `#` first, so that no line reads `DATA n`; then pattern characters
    // (never `"\r"` or `"\n"`): 33 + ((i * 7 + j) % 90).
    const line = new Uint8Array(LINE_SEND);
    line[0] = 35;
    for (let j = 1; j < LINE_SEND - 2; j++) line[j] = 33 + ((i * 7 + j) % 90);
    line[LINE_SEND - 2] = 13;
    line[LINE_SEND - 1] = 10;
    send.set(line, i * LINE_SEND);
    expect.set(prefix, i * LINE_ANSWER);
    expect.set(line, i * LINE_ANSWER + prefix.length);
  }
  // Past one period, each buffer repeats itself (the tail is longer than a
  // period, so byte by byte).
  for (let i = sendPeriod; i < send.length; i++) send[i] = send[i - sendPeriod];
  for (let i = expectPeriod; i < expect.length; i++) {
    expect[i] = expect[i - expectPeriod];
  }
  return {
    send,
    sendPeriod,
    sendUnit: LINE_SEND,
    expect,
    expectPeriod,
    expectUnit: LINE_ANSWER,
    window: 64,
    maxWrite: Math.floor(16384 / LINE_SEND),
    minWrite: 1,
  };
}

/** Counters shared by the Worker's connections. */
class Stats {
  units = 0;
  bytes = 0;
  errors = 0;
  verifyErrors = 0;
  firstErrors: string[] = [];
  open = 0;
  maxLagMs = 0;

  fail(message: string, verify = false): void {
    if (verify) this.verifyErrors++;
    else this.errors++;
    if (this.firstErrors.length < 5) this.firstErrors.push(message);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes `conn` unless it is closed already. */
function closeQuietly(conn: Deno.Conn | null): void {
  try {
    conn?.close();
  } catch {
    // Closed already.
  }
}

/** The load a Worker runs: started, sampled, stopped. */
interface Load {
  /** The largest lag now, in ms. */
  lagMs(): number;
  /** Stops the load as described in the module doc. */
  stop(graceMs: number): Promise<void>;
}

// ---------------------------------------------------------------------------
// Echo and lines: long-lived connections

/** One connection's session, from connect to close. */
class Session {
  readonly #conn: Deno.TcpConn;
  readonly #script: Script;
  readonly #stats: Stats;
  /** Units per second (Infinity: closed loop). */
  readonly #rate: number;
  readonly #window: number;
  readonly #minWrite: number;
  readonly #t0 = performance.now();
  #sent = 0;
  #received = 0;
  /** Set when the session ends: on a failure, or by `stop()`. */
  #closed = false;
  #stopping = false;
  /** Whether the session ended by a failure (counted). */
  #failed = false;
  #wake: (() => void) | null = null;
  /** Whether the writer waits for the window rather than the schedule. */
  #waitingForRoom = false;
  #drained: (() => void) | null = null;
  #writer: Promise<void> = Promise.resolve();
  #reader: Promise<void> = Promise.resolve();

  constructor(conn: Deno.TcpConn, script: Script, rate: number, stats: Stats) {
    this.#conn = conn;
    this.#script = script;
    this.#rate = rate;
    this.#stats = stats;
    const closedLoop = rate === Infinity;
    this.#window = closedLoop
      ? script.window
      : Math.max(script.window, Math.ceil(rate * 0.05));
    this.#minWrite = closedLoop ? script.minWrite : 1;
  }

  /** Runs until the session fails or is stopped; `false` if it failed. */
  async run(): Promise<boolean> {
    this.#stats.open++;
    this.#writer = this.#write().catch((e) => this.#fail(e));
    this.#reader = this.#read().catch((e) => this.#fail(e));
    await Promise.all([this.#writer, this.#reader]);
    this.#stats.open--;
    return !this.#failed;
  }

  /** Units due but not sent, in ms of the schedule. */
  lagMs(): number {
    if (this.#rate === Infinity || this.#closed) return 0;
    const due = (performance.now() - this.#t0) / 1000 * this.#rate;
    return Math.max(0, due - this.#sent) / this.#rate * 1000;
  }

  /** Wakes the writer if it waits for the schedule (the tick). */
  tick(): void {
    if (!this.#waitingForRoom) this.#wakeWriter();
  }

  #wakeWriter(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Closed already.
    }
    this.#wakeWriter();
    this.#drained?.();
  }

  /** Counts an error unless the session is over already, and closes. */
  #fail(e: unknown): void {
    if (this.#closed) return;
    this.#failed = true;
    this.#stats.fail(errorText(e));
    this.#close();
  }

  /** The bytes still to come back for what was sent. */
  #missing(): number {
    return this.#sent * this.#script.expectUnit - this.#received;
  }

  async #write(): Promise<void> {
    const s = this.#script;
    while (!this.#closed && !this.#stopping) {
      const inflight = this.#sent -
        Math.floor(this.#received / s.expectUnit);
      const room = this.#window - inflight;
      const due = this.#rate === Infinity
        ? Infinity
        : Math.floor((performance.now() - this.#t0) / 1000 * this.#rate) -
          this.#sent;
      const n = Math.min(room, due, s.maxWrite);
      if (n < this.#minWrite) {
        const lag = this.lagMs();
        if (lag > this.#stats.maxLagMs) this.#stats.maxLagMs = lag;
        // Short of room, the reader wakes the writer; short of schedule,
        // the tick does.
        this.#waitingForRoom = room < this.#minWrite;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      const q = (this.#sent * s.sendUnit) % s.sendPeriod;
      this.#sent += n;
      await writeAll(this.#conn, s.send.subarray(q, q + n * s.sendUnit));
    }
  }

  async #read(): Promise<void> {
    const s = this.#script;
    const buf = new Uint8Array(MAX_READ);
    const stats = this.#stats;
    while (!this.#closed) {
      let n: number | null;
      try {
        n = await this.#conn.read(buf);
      } catch (e) {
        if (this.#closed) return;
        throw e;
      }
      if (n === null) {
        throw new Error(
          `The server closed the connection with ${this.#missing()} bytes of echo due`,
        );
      }
      const q = this.#received % s.expectPeriod;
      if (
        Buffer.compare(buf.subarray(0, n), s.expect.subarray(q, q + n)) !== 0
      ) {
        stats.fail(
          `Echo differs from what was expected at offset ${this.#received}`,
          true,
        );
        this.#failed = true;
        this.#close();
        return;
      }
      const before = Math.floor(this.#received / s.expectUnit);
      this.#received += n;
      stats.bytes += n;
      stats.units += Math.floor(this.#received / s.expectUnit) - before;
      if (this.#stopping && this.#missing() <= 0) this.#drained?.();
      if (this.#waitingForRoom) this.#wakeWriter();
    }
  }

  /**
   * Stops sending, waits up to `graceMs` for the last write and the echo
   * still due, closes. Echo still missing then counts as an error.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wakeWriter();
    const finished = (async () => {
      await this.#writer;
      if (!this.#closed && this.#missing() > 0) {
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
        });
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      finished,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!this.#closed && this.#missing() > 0) {
      this.#fail(
        new Error(
          `${this.#missing()} bytes of echo still missing ${graceMs} ms after the load stopped`,
        ),
      );
    }
    this.#close();
    await Promise.all([this.#writer, this.#reader]);
  }
}

/** A connection kept open: its sessions, one after another if one fails. */
class Slot {
  readonly #port: number;
  readonly #script: Script;
  readonly #rate: number;
  readonly #stats: Stats;
  #stopping = false;
  #session: Session | null = null;
  /** Settles when the slot has ended (after `stop()`). */
  readonly done: Promise<void>;
  #first: (ok: boolean) => void = () => {};
  /** Settles with whether the first connect succeeded. */
  readonly connected: Promise<boolean>;

  constructor(port: number, script: Script, rate: number, stats: Stats) {
    this.#port = port;
    this.#script = script;
    this.#rate = rate;
    this.#stats = stats;
    this.connected = new Promise((resolve) => {
      this.#first = resolve;
    });
    this.done = this.#loop();
  }

  get session(): Session | null {
    return this.#session;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      let conn: Deno.TcpConn;
      try {
        conn = await Deno.connect({ hostname: "127.0.0.1", port: this.#port });
      } catch (e) {
        this.#stats.fail(`Cannot connect: ${errorText(e)}`);
        this.#first(false);
        await delay(RETRY_MS);
        continue;
      }
      this.#first(true);
      if (this.#stopping) {
        conn.close();
        break;
      }
      conn.setNoDelay(true);
      const session = new Session(conn, this.#script, this.#rate, this.#stats);
      this.#session = session;
      const ok = await session.run();
      this.#session = null;
      if (!ok && !this.#stopping) await delay(RETRY_MS);
    }
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    await this.#session?.stop(graceMs);
    await this.done;
  }
}

/** Echo or lines: `conns` connections, each at `rate / conns`. */
class StreamLoad implements Load {
  readonly #slots: Slot[];
  readonly #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    port: number,
    script: Script,
    conns: number,
    rate: number,
    stats: Stats,
  ) {
    this.#slots = Array.from(
      { length: conns },
      () => new Slot(port, script, rate / conns, stats),
    );
    if (rate !== Infinity) {
      this.#timer = setInterval(() => {
        for (const s of this.#slots) s.session?.tick();
      }, TICK_MS);
    }
  }

  /** Whether every connection got connected at its first attempt. */
  async connected(): Promise<boolean> {
    return (await Promise.all(this.#slots.map((s) => s.connected))).every(
      Boolean,
    );
  }

  lagMs(): number {
    return Math.max(0, ...this.#slots.map((s) => s.session?.lagMs() ?? 0));
  }

  async stop(graceMs: number): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#slots.map((s) => s.stop(graceMs)));
  }
}

// ---------------------------------------------------------------------------
// Connect cycles

class ConnectLoad implements Load {
  readonly #port: number;
  readonly #rate: number;
  readonly #max: number;
  readonly #stats: Stats;
  readonly #t0 = performance.now();
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #cycles = new Set<Promise<void>>();
  #started = 0;
  #stopping = false;

  constructor(port: number, conns: number, rate: number, stats: Stats) {
    this.#port = port;
    this.#rate = rate;
    this.#max = rate === Infinity ? conns : MAX_CYCLES;
    this.#stats = stats;
    if (rate !== Infinity) {
      this.#timer = setInterval(() => this.#pump(), TICK_MS);
    }
    this.#pump();
  }

  #due(): number {
    return this.#rate === Infinity
      ? Infinity
      : Math.floor((performance.now() - this.#t0) / 1000 * this.#rate);
  }

  lagMs(): number {
    if (this.#rate === Infinity) return 0;
    return Math.max(0, this.#due() - this.#started) / this.#rate * 1000;
  }

  #pump(): void {
    if (this.#stopping) return;
    const due = this.#due();
    while (this.#started < due && this.#cycles.size < this.#max) {
      const n = this.#started++;
      const cycle = this.#cycle(n).finally(() => {
        this.#cycles.delete(cycle);
        this.#pump();
      });
      this.#cycles.add(cycle);
    }
    const lag = this.lagMs();
    if (lag > this.#stats.maxLagMs) this.#stats.maxLagMs = lag;
  }

  /** Connect, write 64 bytes, read their echo, close. */
  async #cycle(n: number): Promise<void> {
    const stats = this.#stats;
    const msg = patternAt(n * CYCLE_SIZE, CYCLE_SIZE);
    const abort = new AbortController();
    let conn: Deno.TcpConn | null = null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
      closeQuietly(conn);
    }, CYCLE_TIMEOUT_MS);
    try {
      conn = await Deno.connect({
        hostname: "127.0.0.1",
        port: this.#port,
        signal: abort.signal,
      });
      if (timedOut) throw new Error("timed out");
      stats.open++;
      try {
        conn.setNoDelay(true);
        await writeAll(conn, msg);
        const buf = new Uint8Array(CYCLE_SIZE);
        let got = 0;
        while (got < CYCLE_SIZE) {
          const r = await conn.read(buf.subarray(got));
          if (r === null) {
            throw new Error(
              `The server closed the connection after ${got} of ${CYCLE_SIZE} bytes`,
            );
          }
          got += r;
        }
        if (Buffer.compare(buf, msg) !== 0) {
          stats.fail(`Echo of connect cycle ${n} differs`, true);
        } else {
          stats.units++;
          stats.bytes += CYCLE_SIZE;
        }
      } finally {
        stats.open--;
      }
    } catch (e) {
      stats.fail(
        timedOut
          ? `Connect cycle ${n} took more than ${CYCLE_TIMEOUT_MS} ms`
          : `Connect cycle ${n}: ${errorText(e)}`,
      );
    } finally {
      clearTimeout(timer);
      closeQuietly(conn);
    }
  }

  async stop(_graceMs: number): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    // Each cycle ends by itself, within its timeout.
    while (this.#cycles.size > 0) await Promise.allSettled([...this.#cycles]);
  }
}

// ---------------------------------------------------------------------------
// The conversation

interface WorkerScope {
  onmessage: ((e: MessageEvent<SoakRequest>) => void) | null;
  postMessage(message: SoakResponse): void;
}
const scope = self as unknown as WorkerScope;

let stats = new Stats();
let load: Load | null = null;

/** The counters; the largest lag starts again from the lag now. */
function counters(): SoakCounters {
  const lagMs = load?.lagMs() ?? 0;
  const maxLagMs = Math.max(stats.maxLagMs, lagMs);
  stats.maxLagMs = lagMs;
  return {
    type: "counters",
    at: performance.timeOrigin + performance.now(),
    units: stats.units,
    bytes: stats.bytes,
    errors: stats.errors,
    verifyErrors: stats.verifyErrors,
    firstErrors: [...stats.firstErrors],
    open: stats.open,
    lagMs,
    maxLagMs,
  };
}

async function start(
  kind: SoakKind,
  port: number,
  conns: number,
  rate: number | null,
): Promise<void> {
  if (load !== null) throw new Error("The load is running already");
  stats = new Stats();
  const r = rate ?? Infinity;
  if (kind === "connect") {
    load = new ConnectLoad(port, conns, r, stats);
    return;
  }
  const stream = new StreamLoad(
    port,
    kind === "echo" ? ECHO : LINES,
    conns,
    r,
    stats,
  );
  load = stream;
  if (!await stream.connected()) {
    load = null;
    await stream.stop(0);
    throw new Error(
      `Cannot connect to port ${port}: ${stats.firstErrors[0]}`,
    );
  }
}

async function stop(graceMs: number): Promise<SoakCounters> {
  const l = load;
  if (l !== null) await l.stop(graceMs);
  const c = counters();
  load = null;
  return c;
}

const LINES = makeLines();

scope.onmessage = (e: MessageEvent<SoakRequest>) => {
  const req = e.data;
  const fail = (err: unknown) =>
    scope.postMessage({ type: "error", message: errorText(err) });
  if (req.type === "start") {
    start(req.kind, req.port, req.conns, req.rate).then(
      () => scope.postMessage({ type: "started" }),
      fail,
    );
  } else if (req.type === "sample") {
    scope.postMessage(counters());
  } else {
    stop(req.graceMs).then((c) => scope.postMessage(c), fail);
  }
};
