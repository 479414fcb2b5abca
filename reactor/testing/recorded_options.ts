// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode RecordedOptions}: the socket options and write buffer limits
 * the in-memory transports record.
 *
 * @module
 */

import type { WriteBufferLimits } from "../interfaces.ts";
import {
  DEFAULT_WRITE_BUFFER_LIMITS,
  updateWriteBufferLimits,
} from "../transports/_write_buffer_limits.ts";

/**
 * The options part of an in-memory transport: it records `TCP_NODELAY`
 * (`true` by default, as on real connections), keepalive, and write buffer
 * limits (checked as a real transport checks them; they have no effect).
 *
 * @example Usage
 * ```ts
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { equal } from "node:assert/strict";
 *
 * const t = new StringTransport();
 * t.setTcpKeepAlive(true);
 * equal(t.getTcpKeepAlive(), true);
 * equal(t.getTcpNoDelay(), true);
 * ```
 */
export abstract class RecordedOptions {
  #noDelay = true;
  #keepAlive = false;
  #limits: Required<WriteBufferLimits> = DEFAULT_WRITE_BUFFER_LIMITS;

  /** Returns the recorded `TCP_NODELAY` setting (default `true`, as on real connections). */
  getTcpNoDelay(): boolean {
    return this.#noDelay;
  }

  /**
   * Records the `TCP_NODELAY` setting.
   *
   * @param enabled The setting.
   */
  setTcpNoDelay(enabled: boolean): void {
    this.#noDelay = enabled;
  }

  /** Returns the recorded keepalive setting. */
  getTcpKeepAlive(): boolean {
    return this.#keepAlive;
  }

  /**
   * Records the keepalive setting.
   *
   * @param enabled The setting.
   */
  setTcpKeepAlive(enabled: boolean): void {
    this.#keepAlive = enabled;
  }

  /**
   * Records write buffer limits (checked as a real transport checks them;
   * they have no effect here).
   *
   * @param limits The limits to change.
   * @throws {RangeError} Unless `max >= high >= low >= 0` holds afterwards.
   */
  setWriteBufferLimits(limits: WriteBufferLimits): void {
    this.#limits = updateWriteBufferLimits(this.#limits, limits);
  }

  /** Returns the recorded write buffer limits. */
  getWriteBufferLimits(): Required<WriteBufferLimits> {
    return { ...this.#limits };
  }
}
