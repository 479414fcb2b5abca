// Copyright 2026 the Torsion authors. MIT license.
/**
 * Protocol helpers, after `twisted.protocols`.
 *
 * @module
 */
export {};
