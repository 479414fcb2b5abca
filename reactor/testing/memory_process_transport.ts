// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode MemoryProcessTransport}: a process transport that records what
 * a process protocol does to its child.
 *
 * @module
 */

import { ProcessExitedAlready } from "../errors.ts";
import type {
  IProcessTransport,
  IPullProducer,
  IPushProducer,
  ProcessSignal,
} from "../interfaces.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A process transport for tests, with no process behind it (after the
 * `MemoryProcessTransport` of Twisted's endpoint tests): it keeps what is
 * written to the child's stdin, the descriptors closed and the signals
 * sent. `MemoryReactor.spawnProcess` returns one; a test drives the
 * protocol's side itself (`childDataReceived`, `processEnded`...).
 *
 * @example Usage
 * ```ts
 * import { ProcessProtocol } from "@torsion/torsion/reactor";
 * import { MemoryProcessTransport } from "@torsion/torsion/testing";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * class Quit extends ProcessProtocol {
 *   override connectionMade(): void {
 *     this.transport.write("quit\n");
 *     this.transport.closeStdin();
 *     this.transport.signalProcess("TERM");
 *   }
 * }
 * const t = new MemoryProcessTransport();
 * new Quit().makeConnection(t);
 * equal(t.valueText(), "quit\n");
 * deepEqual([...t.closedChildFDs], [0]);
 * deepEqual(t.signals, ["TERM"]);
 * ```
 */
export class MemoryProcessTransport implements IProcessTransport {
  /** The process id; set it to `null` to have `signalProcess` throw `ProcessExitedAlready`. */
  pid: number | null;
  /** The descriptors closed with `closeChildFD` (and its shortcuts). */
  readonly closedChildFDs: Set<number> = new Set();
  /** The signals sent, in order. */
  readonly signals: (ProcessSignal | number)[] = [];
  /** The registered producer, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether the registered producer is a push producer. */
  streaming: boolean | null = null;
  /** This transport's own state as a producer: `"producing"`, `"paused"`, `"stopped"`. */
  producerState: "producing" | "paused" | "stopped" = "producing";
  #written: Uint8Array[] = [];

  /**
   * Creates a `MemoryProcessTransport`.
   *
   * @param pid The process id it reports.
   */
  constructor(pid: number | null = 1) {
    this.pid = pid;
  }

  /**
   * Keeps data written to the child's stdin (dropped once stdin is closed,
   * as the real transport drops it).
   *
   * @param data Bytes, or a string as UTF-8.
   */
  write(data: Uint8Array | string): void {
    if (this.closedChildFDs.has(0)) return;
    this.#written.push(typeof data === "string" ? encoder.encode(data) : data);
  }

  /**
   * Keeps each piece.
   *
   * @param data The pieces.
   */
  writeSequence(data: Iterable<Uint8Array | string>): void {
    for (const d of data) this.write(d);
  }

  /**
   * Writes to stdin (descriptor 0).
   *
   * @param childFD The descriptor.
   * @param data The data.
   * @throws {RangeError} For another descriptor.
   */
  writeToChild(childFD: number, data: Uint8Array | string): void {
    if (childFD !== 0) {
      throw new RangeError(
        `Cannot write to child descriptor ${childFD}: it is not an open pipe the child reads`,
      );
    }
    this.write(data);
  }

  /** Returns what was written to stdin. */
  value(): Uint8Array {
    let n = 0;
    for (const c of this.#written) n += c.length;
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.#written) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Returns what was written to stdin, decoded as UTF-8. */
  valueText(): string {
    return decoder.decode(this.value());
  }

  /**
   * Records the descriptor as closed.
   *
   * @param childFD The descriptor.
   */
  closeChildFD(childFD: number): void {
    this.closedChildFDs.add(childFD);
  }

  /** Records descriptor 0 as closed. */
  closeStdin(): void {
    this.closeChildFD(0);
  }

  /** Records descriptor 1 as closed. */
  closeStdout(): void {
    this.closeChildFD(1);
  }

  /** Records descriptor 2 as closed. */
  closeStderr(): void {
    this.closeChildFD(2);
  }

  /** Records descriptors 0, 2 and 1 as closed. */
  loseConnection(): void {
    this.closeStdin();
    this.closeStderr();
    this.closeStdout();
  }

  /**
   * Records the signal.
   *
   * @param signal The signal.
   * @throws {ProcessExitedAlready} If `pid` is `null`.
   */
  signalProcess(signal: ProcessSignal | number): void {
    if (this.pid === null) throw new ProcessExitedAlready();
    this.signals.push(signal);
  }

  /**
   * Keeps the producer.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   * @throws {Error} If one is registered already.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    if (this.producer !== null) {
      throw new Error(
        "Cannot register a producer: another producer was registered and never unregistered",
      );
    }
    this.producer = producer;
    this.streaming = streaming;
  }

  /** Forgets the producer. */
  unregisterProducer(): void {
    this.producer = null;
    this.streaming = null;
  }

  /** Records the pause. */
  pauseProducing(): void {
    this.producerState = "paused";
  }

  /** Records the resume. */
  resumeProducing(): void {
    this.producerState = "producing";
  }

  /** Records the stop. */
  stopProducing(): void {
    this.producerState = "stopped";
  }
}
