// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode closeQuietly}: close a socket that may be closed already.
 *
 * @module
 */

import type { NetStream } from "../backend.ts";

/** Closes a socket that may be closed already. */
export function closeQuietly(stream: NetStream): void {
  try {
    stream.close();
  } catch {
    // Closed already.
  }
}
