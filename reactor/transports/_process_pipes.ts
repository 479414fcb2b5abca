// Copyright 2026 the Torsion authors. MIT license.
/**
 * The pipes of a child process (Twisted's `ProcessWriter` and
 * `ProcessReader`): its standard input over the stream core, its output
 * read in a loop.
 *
 * @module
 */

import type { Failure } from "../../defer/failure.ts";
import type { ChildInput, ChildOutput, TransportReactor } from "../backend.ts";
import type { IAddress, IProtocol, ITransport } from "../interfaces.ts";
import { StreamTransport } from "./stream_transport.ts";

/** What a pipe tells the process it belongs to. */
export interface PipeOwner {
  /** Bytes from the child's descriptor `fd`; may throw (the user's protocol). */
  _childDataReceived(fd: number, data: Uint8Array): void;
  /** The pipe of the child's descriptor `fd` closed; never throws. */
  _childConnectionLost(fd: number): void;
  /** Logs an error about this process; never throws. */
  _logError(e: unknown, why?: string): void;
  /** The prefix of log lines about this process. */
  _logPrefix(): string;
}

/** The largest single write to a pipe, so that progress is seen as it goes. */
const MAX_PIPE_WRITE = 65536;

/** The address of either end of a pipe to a child. */
class PipeAddress implements IAddress {
  readonly type = "PROCESS";
  toString(): string {
    return "ProcessAddress()";
  }
}

const PIPE_ADDRESS = new PipeAddress();

/** The stream core's protocol for a child's stdin: it reports the close. */
class StdinProtocol implements IProtocol {
  readonly #owner: PipeOwner;

  constructor(owner: PipeOwner) {
    this.#owner = owner;
  }

  makeConnection(_transport: ITransport): void {}

  connectionMade(): void {}

  dataReceived(_data: Uint8Array): void {}

  connectionLost(_reason: Failure): void {
    this.#owner._childConnectionLost(0);
  }

  logPrefix(): string {
    return this.#owner._logPrefix();
  }
}

/**
 * The child's standard input: a {@linkcode StreamTransport} that only
 * writes, so writes are queued and coalesced, a registered producer is
 * paused while more than 64 KiB wait (a child that does not read), and
 * `loseConnection()` closes the pipe once everything is written.
 */
export class ProcessWriter extends StreamTransport {
  readonly #input: ChildInput;
  /** Pipe operations in flight. */
  #ops = 0;
  #onQuiet: (() => void) | null = null;

  constructor(reactor: TransportReactor, input: ChildInput, owner: PipeOwner) {
    super(reactor, new StdinProtocol(owner), reactor._nextSession());
    this.#input = input;
  }

  getHost(): IAddress {
    return PIPE_ADDRESS;
  }

  getPeer(): IAddress {
    return PIPE_ADDRESS;
  }

  protected _startReading(): void {}

  protected _resumeReading(): void {}

  protected _write(chunk: Uint8Array): void {
    const part = chunk.length > MAX_PIPE_WRITE
      ? chunk.subarray(0, MAX_PIPE_WRITE)
      : chunk;
    this.#ops++;
    this.#input.write(part).then(this.#onWritten, this.#onWriteError);
  }

  #onWritten = (n: number): void => {
    this.#opDone();
    this._written(n);
  };

  #onWriteError = (e: unknown): void => {
    this.#opDone();
    this._writeFailed(e);
  };

  protected _shutdownWrite(): void {
    this.#ops++;
    this.#input.close().then(() => {
      this.#opDone();
      this._writeShutdown();
    });
  }

  protected _closeIO(): void {
    this.#ops++;
    this.#input.close().then(() => this.#opDone());
  }

  protected override _whenIdle(): Promise<void> | null {
    if (this.#ops === 0) return null;
    return new Promise<void>((resolve) => {
      this.#onQuiet = resolve;
    });
  }

  #opDone(): void {
    if (--this.#ops === 0 && this.#onQuiet !== null) {
      const quiet = this.#onQuiet;
      this.#onQuiet = null;
      quiet();
    }
  }

  /** The child exited: nothing more can be written, the pipe is lost now. */
  _childExited(): void {
    this._reactorShutdown();
  }
}

/**
 * A child's output pipe: reads until end of stream and hands each chunk to
 * the process; can be paused, and closed from our side.
 */
export class ProcessReader {
  /** The descriptor in the child. */
  readonly fd: number;
  readonly #source: ChildOutput;
  readonly #owner: PipeOwner;
  #started = false;
  #paused = false;
  #closing = false;
  #wake: (() => void) | null = null;
  #held: Uint8Array | null = null;
  /** The end of the read loop (for a reactor shutting down). */
  done: Promise<void> = Promise.resolve();

  constructor(fd: number, source: ChildOutput, owner: PipeOwner) {
    this.fd = fd;
    this.#source = source;
    this.#owner = owner;
  }

  /** Starts reading (once). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.done = this.#run();
  }

  /** Stops handing over output until {@linkcode ProcessReader.resume}. */
  pause(): void {
    this.#paused = true;
  }

  /** Hands over output again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#wake?.();
  }

  /**
   * Closes our end: output not yet handed over is dropped, a later write of
   * the child fails, and the pipe's loss is reported on a later turn.
   */
  loseConnection(): void {
    if (this.#closing) return;
    this.#closing = true;
    void this.#source.cancel();
    this.#wake?.();
    this.start();
  }

  /** Reads until the end of stream or a close; never rejects. */
  async #run(): Promise<void> {
    try {
      for (;;) {
        if (this.#closing) break;
        if (this.#paused) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
          this.#wake = null;
          continue;
        }
        const held = this.#held;
        if (held !== null) {
          this.#held = null;
          if (!this.#deliver(held)) break;
          continue;
        }
        let data: Uint8Array | null;
        try {
          data = await this.#source.read();
        } catch (e) {
          if (!this.#closing) {
            this.#owner._logError(e, "Unexpected error reading from a child");
          }
          break;
        }
        if (data === null || this.#closing) break;
        if (this.#paused) {
          this.#held = data;
          continue;
        }
        if (!this.#deliver(data)) break;
      }
    } catch (e) {
      this.#owner._logError(e, "Unexpected error in a process pipe");
    }
    this.#closing = true;
    this.#held = null;
    // Releases the pipe (after the end of stream too).
    await this.#source.cancel();
    this.#owner._childConnectionLost(this.fd);
  }

  /** Hands `data` over; `false` once the pipe is closing (or the protocol threw). */
  #deliver(data: Uint8Array): boolean {
    try {
      this.#owner._childDataReceived(this.fd, data);
    } catch (e) {
      // As Twisted: the error is logged and loses this pipe.
      this.#owner._logError(e);
      this.loseConnection();
      return false;
    }
    return !this.#closing;
  }
}
