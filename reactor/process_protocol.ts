// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode ProcessProtocol}: what child process protocols extend.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import type { IProcessProtocol, IProcessTransport } from "./interfaces.ts";

/**
 * The base class of child process protocols (Twisted's `ProcessProtocol`):
 * `childDataReceived` routes the child's stdout (1) to
 * {@linkcode ProcessProtocol.outReceived} and stderr (2) to
 * {@linkcode ProcessProtocol.errReceived}; `childConnectionLost` routes
 * 0, 1 and 2 to `inConnectionLost`, `outConnectionLost` and
 * `errConnectionLost`. Override what you need; every hook does nothing by
 * default. Give it to `reactor.spawnProcess`.
 *
 * `processExited(reason)` comes when the child exits, `processEnded(reason)`
 * after that **and** once every pipe has closed, so all the output has been
 * received by then. `reason` is a Failure of `ProcessDone` (exit code 0) or
 * `ProcessTerminated` (`exitCode`, `signal`, `status`).
 *
 * @example Usage
 * ```ts
 * import {
 *   ProcessDone,
 *   ProcessProtocol,
 *   ProcessTerminated,
 *   Reactor,
 * } from "@torsion/torsion/reactor";
 * import type { Failure } from "@torsion/torsion/defer";
 * import { equal, ok } from "node:assert/strict";
 *
 * const reactor = new Reactor();
 * let out = "";
 * let err = "";
 * let ended: Failure | null = null;
 * class Collect extends ProcessProtocol {
 *   override outReceived(data: Uint8Array): void {
 *     out += new TextDecoder().decode(data);
 *   }
 *   override errReceived(data: Uint8Array): void {
 *     err += new TextDecoder().decode(data);
 *   }
 *   override processEnded(reason: Failure): void {
 *     ended = reason;
 *     reactor.stop();
 *   }
 * }
 * reactor.spawnProcess(new Collect(), "/bin/sh", [
 *   "sh",
 *   "-c",
 *   "echo out; echo err >&2; exit 3",
 * ]);
 * await reactor.run();
 * equal(out, "out\n");
 * equal(err, "err\n");
 * ok(ended!.check(ProcessTerminated));
 * ok(!ended!.check(ProcessDone));
 * equal((ended!.value as ProcessTerminated).exitCode, 3);
 * ```
 */
export class ProcessProtocol implements IProcessProtocol {
  /** Whether `makeConnection` has run. */
  connected = false;
  /** The process transport. Set by `makeConnection`; `undefined` before. */
  transport!: IProcessTransport;

  /**
   * Connects the protocol to its process and calls
   * {@linkcode ProcessProtocol.connectionMade}.
   *
   * @param transport The process transport.
   */
  makeConnection(transport: IProcessTransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /** Called once the child is started (inside `spawnProcess`). */
  connectionMade(): void {}

  /**
   * Bytes the child wrote: fd 1 goes to `outReceived`, fd 2 to
   * `errReceived`, others are ignored.
   *
   * @param childFD The descriptor in the child.
   * @param data The bytes, yours to keep.
   */
  childDataReceived(childFD: number, data: Uint8Array): void {
    if (childFD === 1) this.outReceived(data);
    else if (childFD === 2) this.errReceived(data);
  }

  /**
   * Bytes from the child's standard output.
   *
   * @param _data The bytes, yours to keep.
   */
  outReceived(_data: Uint8Array): void {}

  /**
   * Bytes from the child's standard error.
   *
   * @param _data The bytes, yours to keep.
   */
  errReceived(_data: Uint8Array): void {}

  /**
   * One of the child's pipes closed: 0 goes to `inConnectionLost`, 1 to
   * `outConnectionLost`, 2 to `errConnectionLost`.
   *
   * @param childFD The descriptor in the child.
   */
  childConnectionLost(childFD: number): void {
    if (childFD === 0) this.inConnectionLost();
    else if (childFD === 1) this.outConnectionLost();
    else if (childFD === 2) this.errConnectionLost();
  }

  /** The child's standard input closed. */
  inConnectionLost(): void {}

  /** The child's standard output closed. */
  outConnectionLost(): void {}

  /** The child's standard error closed. */
  errConnectionLost(): void {}

  /**
   * The child exited; its pipes may still be open.
   *
   * @param _reason `ProcessDone` or `ProcessTerminated`, in a Failure.
   */
  processExited(_reason: Failure): void {}

  /**
   * The child exited and all its pipes closed: the last event.
   *
   * @param _reason `ProcessDone` or `ProcessTerminated`, in a Failure.
   */
  processEnded(_reason: Failure): void {}
}
