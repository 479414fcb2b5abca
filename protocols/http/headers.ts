// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Headers}: HTTP header fields, case-insensitive and
 * multi-valued, after `twisted.web.http_headers.Headers`.
 *
 * @module
 */

const SPECIAL: Record<string, string> = {
  "content-md5": "Content-MD5",
  "dnt": "DNT",
  "etag": "ETag",
  "p3p": "P3P",
  "te": "TE",
  "www-authenticate": "WWW-Authenticate",
  "x-xss-protection": "X-XSS-Protection",
};

/** The usual capitalisation of a header name (`content-type` → `Content-Type`). */
function canonical(lower: string): string {
  let name = known.get(lower);
  if (name === undefined) {
    name = SPECIAL[lower] ??
      lower.replace(
        /(^|-)([a-z])/g,
        (_m, d: string, c: string) => d + c.toUpperCase(),
      );
    if (known.size < 1000) known.set(lower, name);
  }
  return name;
}

// Names seen, capitalised (bounded: names come from peers too).
const known = new Map<string, string>();

/** A field: its usual capitalisation and its values. */
interface HeaderEntry {
  readonly name: string;
  values: string[];
}

let fieldsOf: (h: Headers) => Iterable<HeaderEntry>;
let setField: (h: Headers, name: string, value: string) => void;

/**
 * The fields of `h` as they are kept (for serialising a head without
 * copying them): read them, do not change them.
 *
 * @param h The headers.
 * @returns The fields, in the order first set.
 */
export function _fields(h: Headers): Iterable<HeaderEntry> {
  return fieldsOf(h);
}

/**
 * HTTP header fields (Twisted's `Headers`): names are case-insensitive, and
 * each name holds a list of values, in the order they were added. Values
 * containing CR or LF are refused, so that a header set from user data
 * cannot split a response.
 *
 * @example Usage
 * ```ts
 * import { Headers } from "@torsion/torsion/http";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const h = new Headers({ "Content-Type": ["text/plain"] });
 * h.addRawHeader("set-cookie", "a=1");
 * h.addRawHeader("Set-Cookie", "b=2");
 * deepEqual(h.getRawHeaders("SET-COOKIE"), ["a=1", "b=2"]);
 * equal(h.hasHeader("content-type"), true);
 * ```
 */
export class Headers {
  #map = new Map<string, HeaderEntry>();

  static {
    fieldsOf = (h) => h.#map.values();
    setField = (h, name, value) => {
      check(value);
      h.#put(name, [value], false);
    };
  }

  /**
   * Creates headers from a name → values record.
   *
   * @param rawHeaders The initial fields.
   */
  constructor(rawHeaders: Record<string, string[]> = {}) {
    for (const [name, values] of Object.entries(rawHeaders)) {
      this.setRawHeaders(name, values);
    }
  }

  /**
   * Whether a field is present.
   *
   * @param name The name, in any case.
   * @returns Whether it has a value.
   */
  hasHeader(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  /**
   * Removes a field, if present.
   *
   * @param name The name, in any case.
   */
  removeHeader(name: string): void {
    this.#map.delete(name.toLowerCase());
  }

  /**
   * Replaces a field's values.
   *
   * @param name The name, in any case.
   * @param values The values.
   * @throws {TypeError} If a name or value has a CR, LF or NUL.
   */
  setRawHeaders(name: string, values: readonly string[]): void {
    for (const v of values) check(v);
    this.#put(name, values.slice(), false);
  }

  /**
   * Adds a value to a field.
   *
   * @param name The name, in any case.
   * @param value The value.
   * @throws {TypeError} If the name or value has a CR, LF or NUL.
   */
  addRawHeader(name: string, value: string): void {
    check(value);
    this.#put(name, [value], true);
  }

  /**
   * Sets a field to `values` (the array is kept), or adds them to it
   * (`add`); a replaced field keeps its place.
   */
  #put(name: string, values: string[], add: boolean): void {
    check(name);
    const lower = name.toLowerCase();
    const entry = this.#map.get(lower);
    if (entry === undefined) {
      this.#map.set(lower, { name: canonical(lower), values });
    } else if (add) {
      entry.values.push(...values);
    } else {
      entry.values = values;
    }
  }

  /**
   * A field's values.
   *
   * @param name The name, in any case.
   * @returns A copy of the values, or `undefined` without the field.
   */
  getRawHeaders(name: string): string[] | undefined {
    return this.#map.get(name.toLowerCase())?.values.slice();
  }

  /**
   * The first value of a field.
   *
   * @param name The name, in any case.
   * @returns The value, or `undefined`.
   */
  getFirst(name: string): string | undefined {
    return this.#map.get(name.toLowerCase())?.values[0];
  }

  /**
   * Every field, with its usual capitalisation, in the order first set (as
   * Twisted's generator, the values are the headers' own: read them, do not
   * change them).
   *
   * @returns `[name, values]` pairs.
   */
  *getAllRawHeaders(): IterableIterator<[string, readonly string[]]> {
    for (const e of this.#map.values()) yield [e.name, e.values];
  }

  /**
   * A copy.
   *
   * @returns New headers with the same fields.
   */
  copy(): Headers {
    const h = new Headers();
    for (const [name, values] of this.getAllRawHeaders()) {
      h.setRawHeaders(name, values);
    }
    return h;
  }
}

/**
 * Sets a field to one value: `h.setRawHeaders(name, [value])` without the
 * array in between (a response's every header goes through it).
 *
 * @param h The headers.
 * @param name The name, in any case.
 * @param value The value.
 * @throws {TypeError} If the name or value has a CR, LF or NUL.
 */
export function _setField(h: Headers, name: string, value: string): void {
  setField(h, name, value);
}

function check(s: string): void {
  if (/[\r\n\0]/.test(s)) {
    throw new TypeError("Cannot put CR, LF or NUL in a header");
  }
}
