// Copyright 2026 the Torsion authors. MIT license.
// Test helpers for child processes: a process protocol that records its
// events, and the signal numbers of the platform.
import type { Failure } from "../../../defer/mod.ts";
import { ProcessProtocol } from "../../../reactor/mod.ts";

const decoder = new TextDecoder();

/** Linux's numbers of the signals the tests send. */
export const SIGNALS = { HUP: 1, INT: 2, KILL: 9, PIPE: 13, TERM: 15 } as const;

/** Joins chunks. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A process protocol that records its events in order (`made`, `out`,
 * `err`, `lost N`, `exited`, `ended`; consecutive output events once) and
 * the output, and resolves promises as it goes.
 */
export class Recorder extends ProcessProtocol {
  readonly events: string[] = [];
  readonly out: Uint8Array[] = [];
  readonly err: Uint8Array[] = [];
  readonly lost: number[] = [];
  pidAtMade: number | null = null;
  pidAtExited: number | null | undefined = undefined;
  lostAtExited: number[] | null = null;
  readonly #exited = Promise.withResolvers<Failure>();
  readonly #ended = Promise.withResolvers<Failure>();
  /** Fires with `processExited`'s reason. */
  readonly exited: Promise<Failure> = this.#exited.promise;
  /** Fires with `processEnded`'s reason. */
  readonly ended: Promise<Failure> = this.#ended.promise;

  #note(event: string): void {
    if (this.events.at(-1) !== event) this.events.push(event);
  }

  override connectionMade(): void {
    this.pidAtMade = this.transport.pid;
    this.#note("made");
  }

  override outReceived(data: Uint8Array): void {
    this.out.push(data);
    this.#note("out");
  }

  override errReceived(data: Uint8Array): void {
    this.err.push(data);
    this.#note("err");
  }

  override childConnectionLost(childFD: number): void {
    this.lost.push(childFD);
    this.#note(`lost ${childFD}`);
    super.childConnectionLost(childFD);
  }

  override processExited(reason: Failure): void {
    this.pidAtExited = this.transport.pid;
    this.lostAtExited = [...this.lost];
    this.#note("exited");
    this.#exited.resolve(reason);
  }

  override processEnded(reason: Failure): void {
    this.#note("ended");
    this.#ended.resolve(reason);
  }

  /** What the child wrote to stdout. */
  outBytes(): Uint8Array {
    return concat(this.out);
  }

  /** What the child wrote to stdout, as text. */
  outText(): string {
    return decoder.decode(this.outBytes());
  }

  /** What the child wrote to stderr, as text. */
  errText(): string {
    return decoder.decode(concat(this.err));
  }
}
