// Copyright 2026 the Torsion authors. MIT license.
/**
 * Torsion: Twisted's event-driven networking model for Deno.
 *
 * ```ts
 * import { Deferred } from "@torsion/torsion";
 * import { equal } from "node:assert/strict";
 *
 * const d = new Deferred<number>();
 * d.addCallback((n) => n + 1);
 * d.callback(41);
 * equal(await d, 42);
 * ```
 *
 * @module
 */

export * from "./defer/mod.ts";
