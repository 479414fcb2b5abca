// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode BufferedDecoder}: what the decoders share, the bytes pushed and
 * not decoded yet (private).
 *
 * @module
 */

import { ByteBuffer } from "../_bytes.ts";

/**
 * The base of the decoders: holds the bytes pushed and not returned yet in
 * a {@linkcode ByteBuffer}, kept without a copy where it can be. Subclasses
 * add `next()`, which returns a frame or `null` when it needs more bytes.
 *
 * @example Usage
 * ```ts
 * import { LineDecoder } from "./line_decoder.ts";
 * import { equal } from "node:assert/strict";
 *
 * const decoder = new LineDecoder();
 * decoder.push(new TextEncoder().encode("unfinished"));
 * equal(decoder.next(), null);
 * equal(decoder.pending, true);
 * equal(new TextDecoder().decode(decoder.peek()), "unfinished");
 * ```
 */
export abstract class BufferedDecoder {
  /** The bytes pushed and not returned yet. */
  protected readonly input: ByteBuffer = new ByteBuffer();

  /** Whether any bytes are buffered. */
  get pending(): boolean {
    return this.input.pending;
  }

  /**
   * Adds received bytes, kept without a copy: do not change them
   * afterwards.
   *
   * @param data The bytes.
   */
  push(data: Uint8Array): void {
    this.input.push(data);
  }

  /**
   * Returns the buffered bytes without removing them.
   *
   * @returns A view of the bytes not returned yet.
   */
  peek(): Uint8Array {
    return this.input.rest();
  }

  /**
   * Moves the buffered bytes into an array of their own when they are a
   * small part of a larger one (the tail of a large read), so that an idle
   * connection holding an unfinished frame stays cheap; with `own`, whenever
   * they are still in a pushed array (lent bytes that will change). Call it
   * when done with a batch of pushes.
   *
   * @param own Whether to copy any bytes still in pushed arrays.
   */
  compact(own = false): void {
    this.input.compact(own);
  }
}
