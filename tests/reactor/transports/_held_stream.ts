// Copyright 2026 the Torsion authors. MIT license.
// A scripted stream socket for transport tests: reads return what the test
// feeds (split to fit the read buffer), writes complete when the test says
// so (or at once), and each completed write is recorded as it was then.
import type { NetStream } from "../../../reactor/backend.ts";

/** A stream the test drives. */
export class HeldStream implements NetStream {
  readonly localAddress = {
    transport: "tcp" as const,
    hostname: "127.0.0.1",
    port: 1,
  };
  readonly remoteAddress = {
    transport: "tcp" as const,
    hostname: "127.0.0.1",
    port: 2,
  };
  /** What each completed write carried, copied when it completed. */
  readonly sent: Uint8Array[] = [];
  /** The arrays reads were made into, in order (the pending read's last). */
  readonly readInto: Uint8Array[] = [];
  /** Complete every write at once (on a later microtask). */
  autoComplete = false;
  #pending: { p: Uint8Array; done: (n: number) => void }[] = [];
  #incoming: Uint8Array[] = [];
  #ended = false;
  #idle: (() => void)[] = [];
  #reader: { p: Uint8Array; resolve: (n: number | null) => void } | null = null;

  read(p: Uint8Array): Promise<number | null> {
    return new Promise((resolve) => {
      this.readInto.push(p);
      this.#reader = { p, resolve };
      this.#serve();
    });
  }

  /** Makes `data` (copied) arrive; reads take it in pieces that fit. */
  feed(data: Uint8Array): void {
    this.#incoming.push(data.slice());
    this.#serve();
  }

  /** The peer ends its stream once what was fed is read. */
  end(): void {
    this.#ended = true;
    this.#serve();
  }

  /** Whether a read waits for data. */
  get reading(): boolean {
    return this.#reader !== null;
  }

  /** Resolves once everything fed has been read and another read waits. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idle.push(resolve);
      this.#serve();
    });
  }

  #serve(): void {
    const r = this.#reader;
    if (r === null) return;
    const next = this.#incoming[0];
    if (next === undefined) {
      if (this.#ended) {
        this.#reader = null;
        r.resolve(null);
      } else {
        for (const idle of this.#idle.splice(0)) idle();
      }
      return;
    }
    this.#reader = null;
    const n = Math.min(next.length, r.p.length);
    r.p.set(next.subarray(0, n));
    if (n === next.length) this.#incoming.shift();
    else this.#incoming[0] = next.subarray(n);
    r.resolve(n);
  }

  write(p: Uint8Array): Promise<number> {
    return new Promise((done) => {
      this.#pending.push({ p, done });
      if (this.autoComplete) queueMicrotask(() => this.complete());
    });
  }

  /** Completes the oldest write (all of it); returns its length. */
  complete(): number {
    const w = this.#pending.shift()!;
    this.sent.push(w.p.slice());
    w.done(w.p.length);
    return w.p.length;
  }

  /** The number of writes waiting to complete. */
  get writesPending(): number {
    return this.#pending.length;
  }

  /** All the bytes of the completed writes, in order. */
  sentBytes(): Uint8Array {
    let n = 0;
    for (const s of this.sent) n += s.length;
    const out = new Uint8Array(n);
    let off = 0;
    for (const s of this.sent) {
      out.set(s, off);
      off += s.length;
    }
    return out;
  }

  closeWrite(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    const r = this.#reader;
    this.#reader = null;
    r?.resolve(null);
    for (const w of this.#pending.splice(0)) w.done(0);
  }

  setNoDelay(): void {}
  setKeepAlive(): void {}
}
