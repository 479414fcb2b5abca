// Copyright 2026 the Torsion authors. MIT license.
/**
 * What the load scripts of `bench/` (`load.ts`, `soak.ts`) share on their
 * main thread: timeouts, reading a server's `/proc` entries, stopping a
 * subprocess, and talking to a client Worker one request at a time.
 *
 * @module
 */

/**
 * Rejects after `ms` with `what` in the message; the timer is cleared either
 * way.
 *
 * @param p The promise.
 * @param ms The deadline.
 * @param what What is awaited, for the message.
 * @returns What `p` resolves to.
 */
export async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out after ${ms} ms: ${what}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves after `ms`.
 *
 * @param ms Milliseconds.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The median of `xs` (`NaN` for none).
 *
 * @param xs The values.
 * @returns The median.
 */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `cmd args` and returns its stdout, or throws if it fails.
 *
 * @param cmd The program.
 * @param args Its arguments.
 * @returns Its stdout as text.
 */
async function output(cmd: string, args: string[]): Promise<string> {
  const { success, stdout } = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!success) throw new Error(`Cannot run ${cmd} ${args.join(" ")}`);
  return new TextDecoder().decode(stdout);
}

/**
 * Reads a file of `/proc`. Deno asks for `--allow-all` to read `/proc`
 * directly, so without it `cat` (`--allow-run`) reads it.
 *
 * @param path E.g. `/proc/1234/status`.
 * @returns Its text.
 */
export async function readProc(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return await output("cat", [path]);
  }
}

/**
 * Counts the open file descriptors of a process (the entries of
 * `/proc/<pid>/fd`; `ls` lists them without `--allow-all`).
 *
 * @param pid The process.
 * @returns How many, or `null` where they cannot be listed.
 */
export async function countFds(pid: number): Promise<number | null> {
  const dir = `/proc/${pid}/fd`;
  try {
    let n = 0;
    for await (const _ of Deno.readDir(dir)) n++;
    return n;
  } catch {
    try {
      const text = await output("ls", ["-1", dir]);
      return text.split("\n").filter((l) => l !== "").length;
    } catch {
      return null;
    }
  }
}

/**
 * The resident set size of a process in KiB (`VmRSS` of
 * `/proc/<pid>/status`).
 *
 * @param pid The process.
 * @returns KiB, or `null` where it cannot be read.
 */
export async function rssKiB(pid: number): Promise<number | null> {
  try {
    const status = await readProc(`/proc/${pid}/status`);
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/** `/proc/<pid>/stat` ticks per second (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * Returns the CPU time (user + system, all threads) of a process in
 * seconds, from `/proc/<pid>/stat`, or `null` where that cannot be read.
 *
 * @param pid The process.
 * @returns Seconds of CPU, in 10 ms ticks.
 */
export async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readProc(`/proc/${pid}/stat`);
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}

/**
 * Sends SIGTERM, waits up to `ms` (then SIGKILL), and awaits the process.
 *
 * @param child The process.
 * @param what Its name, for the timeout's message.
 * @param ms How long SIGTERM is given.
 * @returns How it exited, and whether it had to be killed.
 */
export async function stopChild(
  child: Deno.ChildProcess,
  what: string,
  ms = 5000,
): Promise<{ status: Deno.CommandStatus; killed: boolean }> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Exited already.
  }
  try {
    return {
      status: await withTimeout(child.status, ms, `stopping ${what}`),
      killed: false,
    };
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      // Exited meanwhile.
    }
    return { status: await child.status, killed: true };
  }
}

/**
 * A Worker that answers each request with one message; one request at a
 * time. An answer `{ type: "error", message }` rejects the request.
 */
export class RequestWorker<
  Req extends { type: string },
  Res extends { type: string },
> {
  readonly #worker: Worker;
  readonly #name: string;
  #pending: {
    resolve: (r: Res) => void;
    reject: (e: Error) => void;
  } | null = null;

  /**
   * Starts the Worker.
   *
   * @param url Its module.
   * @param name Its name, for error messages.
   */
  constructor(url: URL, name: string) {
    this.#name = name;
    this.#worker = new Worker(url, { type: "module", name });
    this.#worker.onmessage = (e: MessageEvent<Res>) => {
      const p = this.#pending;
      this.#pending = null;
      p?.resolve(e.data);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const p = this.#pending;
      this.#pending = null;
      p?.reject(new Error(`${this.#name} failed: ${e.message}`));
    };
  }

  /**
   * Sends a request and waits (at most `ms`) for its answer.
   *
   * @param req The request.
   * @param ms The deadline.
   * @returns The answer.
   */
  async request(req: Req, ms: number): Promise<Res> {
    const answer = new Promise<Res>((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
    this.#worker.postMessage(req);
    const r = await withTimeout(answer, ms, `${this.#name}, ${req.type}`);
    if (r.type === "error") {
      throw new Error(
        `${this.#name}: ${(r as unknown as { message: string }).message}`,
      );
    }
    return r;
  }

  /** Ends the Worker at once. */
  terminate(): void {
    this.#worker.terminate();
  }
}
