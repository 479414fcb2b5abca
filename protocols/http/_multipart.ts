// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode parseMultipart}: the fields of a `multipart/form-data` body
 * (RFC 7578), byte for byte, as Python's `cgi.parse_multipart` (which
 * Twisted's `Request.requestReceived` uses) finds them (private).
 *
 * @module
 */

import { findDelimiter, indexOfByte } from "../_bytes.ts";

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** A `multipart/form-data` body Twisted answers with 400 Bad Request. */
export class MultipartError extends SyntaxError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   */
  constructor(message: string) {
    super(message);
    this.name = "MultipartError";
  }
}

/** One field of a `multipart/form-data` body. */
export interface FormPart {
  /** The field's name (the `name` of its `Content-Disposition`). */
  name: string;
  /** The field's bytes: a view of the body. */
  value: Uint8Array;
  /** The `filename` of its `Content-Disposition`, if it has one. */
  filename: string | null;
  /** Its media type, lower case, without parameters (`text/plain` if none). */
  type: string;
}

/** What {@linkcode parseMultipart} found. */
export interface ParsedMultipart {
  /** The named fields, in order. */
  parts: FormPart[];
  /** Whether the body ended with its closing delimiter (`--boundary--`). */
  closed: boolean;
}

/**
 * The parameters of a header value such as `form-data; name="a"` (Python's
 * `cgi.parse_header`): lower-case names; quoted values unquoted, `\\` and
 * `\"` unescaped.
 */
function _headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const item of _splitParams(value).slice(1)) {
    const eq = item.indexOf("=");
    if (eq === -1) continue;
    const name = item.slice(0, eq).trim().toLowerCase();
    let v = item.slice(eq + 1).trim();
    if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') {
      v = v.slice(1, -1).replace(/\\([\\"])/g, "$1");
    }
    params.set(name, v);
  }
  return params;
}

// Splits on the semicolons outside quoted strings.
function _splitParams(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === "\\") i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ";" && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

/**
 * The fields of a `multipart/form-data` body. A delimiter is a line (after
 * CRLF or LF, or at the start) of `--` and the boundary, then `--` for the
 * last, then optional spaces or tabs; a part's value is everything between
 * the blank line ending its headers and the line break before the next
 * delimiter, so any bytes are kept exactly, a boundary-like sequence
 * that is not such a line included. As `cgi` does, the preamble before the
 * first delimiter and the epilogue after the last are skipped, a part
 * without a name is dropped, and a body that ends without its closing
 * delimiter keeps its last part up to the end (less a final line break).
 *
 * @param body The body.
 * @param contentType The request's `Content-Type` (for its `boundary`).
 * @returns The fields and whether the body was closed.
 * @throws {MultipartError} Without a `boundary` parameter, or with one
 *   `cgi` refuses (not 1 to 201 printable ASCII characters, the last not a
 *   space).
 */
export function parseMultipart(
  body: Uint8Array,
  contentType: string,
): ParsedMultipart {
  const boundary = _headerParams(contentType).get("boundary");
  if (boundary === undefined) {
    throw new MultipartError(
      "Cannot parse a multipart/form-data body: its Content-Type has no boundary",
    );
  }
  if (!/^[ -~]{0,200}[!-~]$/.test(boundary)) {
    throw new MultipartError(
      `Cannot parse a multipart/form-data body: invalid boundary ${
        JSON.stringify(boundary)
      }`,
    );
  }
  const delimiter = encoder.encode("--" + boundary);
  const lineDelimiter = encoder.encode("\n--" + boundary);
  const parts: FormPart[] = [];
  let current = _startsWith(body, delimiter, 0)
    ? _delimiterLine(body, 0, delimiter.length)
    : null;
  if (current === null) current = _next(body, 0, lineDelimiter);
  while (current !== null && !current.last) {
    const start = current.next;
    // From the line break ending the delimiter: an empty part's next
    // delimiter may follow it at once.
    const next = _next(body, start - 1, lineDelimiter);
    let end: number;
    if (next === null) {
      end = body.length;
      if (end > start && body[end - 1] === 10) end--;
      if (end > start && body[end - 1] === 13) end--;
    } else {
      end = Math.max(next.contentEnd, start);
    }
    const part = _part(body.subarray(start, end));
    if (part !== null) parts.push(part);
    current = next;
  }
  return { parts, closed: current !== null };
}

interface Delimiter {
  /** Where the content before the delimiter line ends. */
  contentEnd: number;
  /** Where the next part starts. */
  next: number;
  /** Whether it is the closing delimiter. */
  last: boolean;
}

function _startsWith(body: Uint8Array, s: Uint8Array, at: number): boolean {
  if (at + s.length > body.length) return false;
  for (let i = 0; i < s.length; i++) if (body[at + i] !== s[i]) return false;
  return true;
}

// The rest of a delimiter line whose `--boundary` ends at `i`, or null if
// the line goes on with something else.
function _delimiterLine(
  body: Uint8Array,
  contentEnd: number,
  i: number,
): Delimiter | null {
  let last = false;
  if (body[i] === 45 && body[i + 1] === 45) {
    last = true;
    i += 2;
  }
  while (body[i] === 32 || body[i] === 9) i++;
  if (i === body.length) return { contentEnd, next: i, last };
  if (body[i] === 13 && body[i + 1] === 10) {
    return { contentEnd, next: i + 2, last };
  }
  if (body[i] === 10) return { contentEnd, next: i + 1, last };
  return null;
}

// The first delimiter line that starts after a line break at or after
// `from`.
function _next(
  body: Uint8Array,
  from: number,
  lineDelimiter: Uint8Array,
): Delimiter | null {
  for (let i = findDelimiter(body, lineDelimiter, from); i !== -1;) {
    const contentEnd = i > 0 && body[i - 1] === 13 ? i - 1 : i;
    const d = _delimiterLine(body, contentEnd, i + lineDelimiter.length);
    if (d !== null) return d;
    i = findDelimiter(body, lineDelimiter, i + 1);
  }
  return null;
}

// A part's headers (CRLF or LF lines up to a blank one; all of it if there
// is none) and its value; null without a name.
function _part(part: Uint8Array): FormPart | null {
  const headers = new Map<string, string>();
  let at = 0;
  let valueStart = part.length;
  while (at < part.length) {
    const lf = indexOfByte(part, 10, at);
    const lineEnd = lf === -1 ? part.length : lf;
    const stop = lineEnd > at && part[lineEnd - 1] === 13
      ? lineEnd - 1
      : lineEnd;
    const lineStart = at;
    at = lf === -1 ? part.length : lf + 1;
    if (stop === lineStart) {
      valueStart = at;
      break;
    }
    const line = utf8.decode(part.subarray(lineStart, stop));
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition");
  if (disposition === undefined) return null;
  const params = _headerParams(disposition);
  const name = params.get("name");
  if (name === undefined) return null;
  const type = (headers.get("content-type") ?? "").split(";")[0].trim()
    .toLowerCase();
  return {
    name,
    value: part.subarray(valueStart),
    filename: params.get("filename") ?? null,
    type: type === "" ? "text/plain" : type,
  };
}
