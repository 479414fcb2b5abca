// Copyright 2026 the Torsion authors. MIT license.
// Helpers of the decoder tests: feed a stream in chunks, collect the frames.
import fc from "fast-check";

/** What the decoders share: bytes in, frames out. */
export interface Decoder {
  push(data: Uint8Array): void;
  next(): Uint8Array | null;
}

export const encoder = new TextEncoder();

export function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

const decoder = new TextDecoder();

/** The frames decoded as UTF-8. */
export function texts(frames: Uint8Array[]): string[] {
  return frames.map((f) => decoder.decode(f));
}

/** Takes frames until `next()` returns null; copies them. */
export function drain(decoder: Decoder): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let f; (f = decoder.next()) !== null;) frames.push(f.slice());
  return frames;
}

/**
 * Pushes `data` cut into chunks of the given sizes (cycled), each a fresh
 * copy, and takes the frames after every push.
 */
export function decodeSplit(
  decoder: Decoder,
  data: Uint8Array,
  sizes: number[],
): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let k = 0;
  for (let i = 0; i < data.length; k++) {
    const n = sizes.length === 0 ? data.length : sizes[k % sizes.length];
    decoder.push(data.slice(i, i + n));
    frames.push(...drain(decoder));
    i += n;
  }
  return frames;
}

/** Random chunk sizes, from 1 byte. */
export const chunkSizes: fc.Arbitrary<number[]> = fc.array(
  fc.integer({ min: 1, max: 40 }),
  { minLength: 1, maxLength: 8 },
);

/** Random bytes, and bytes over an alphabet that makes frames likely. */
export const garbage: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.array(
    fc.constantFrom(0, 1, 2, 3, 10, 13, 44, 48, 49, 50, 51, 53, 57, 58, 60, 62),
    { maxLength: 80 },
  ).map((a) => Uint8Array.from(a)),
);

export const RUNS = { numRuns: 1000 };
