// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode PausableReceiver}: the pausing shared by the receivers that a
 * consumer can pause (private).
 *
 * @module
 */

import { Protocol } from "../reactor/protocol.ts";
import type { IPushProducer } from "../reactor/interfaces.ts";
import { EMPTY } from "./_bytes.ts";

/**
 * The base of receivers that buffer what arrives while they are paused
 * (Twisted's `_PauseableMixin`), such as `LineReceiver` and
 * `IntNStringReceiver`: as a push producer, pausing stops delivery and
 * pauses the transport; resuming resumes the transport and delivers what was
 * buffered, by calling `dataReceived` with no bytes.
 *
 * @internal
 */
export abstract class PausableReceiver extends Protocol
  implements IPushProducer {
  /**
   * Whether delivery is paused ({@linkcode PausableReceiver.pauseProducing}).
   * Data received meanwhile is buffered.
   *
   * @default {false}
   */
  paused: boolean = false;

  /**
   * Stops delivering and pauses the transport.
   *
   * @example Usage
   * ```ts
   * import { LineReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { equal } from "node:assert/strict";
   *
   * const t = new StringTransport();
   * const p = new LineReceiver();
   * p.makeConnection(t);
   * p.pauseProducing();
   * equal(p.paused, true);
   * equal(t.producerState, "paused");
   * ```
   */
  pauseProducing(): void {
    this.paused = true;
    this.transport.pauseProducing();
  }

  /**
   * Resumes the transport and delivers what was buffered meanwhile (until a
   * handler pauses again).
   *
   * @example Usage
   * ```ts
   * import { Int8StringReceiver } from "@torsion/torsion/protocols";
   * import { StringTransport } from "@torsion/torsion/testing";
   * import { deepEqual } from "node:assert/strict";
   *
   * const got: number[][] = [];
   * class P extends Int8StringReceiver {
   *   override stringReceived(data: Uint8Array): void {
   *     got.push([...data]);
   *   }
   * }
   * const p = new P();
   * p.makeConnection(new StringTransport());
   * p.pauseProducing();
   * p.dataReceived(new Uint8Array([1, 7]));
   * deepEqual(got, []);
   * p.resumeProducing();
   * deepEqual(got, [[7]]);
   * ```
   */
  resumeProducing(): void {
    this.paused = false;
    this.transport.resumeProducing();
    this.dataReceived(EMPTY);
  }

  /** Stops delivering for good and stops the transport. */
  stopProducing(): void {
    this.paused = true;
    this.transport.stopProducing();
  }
}
