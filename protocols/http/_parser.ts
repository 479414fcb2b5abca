// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode HTTPParser}: a strict, bounded, sans-I/O HTTP/1.1 message
 * parser (RFC 9112) for requests (the server) and responses (the client)
 * (private).
 *
 * @module
 */

/** An HTTP message head: a request or a response, before its body. */
export interface MessageHead {
  /** The request method (`""` for a response). */
  method: string;
  /** The request target, as sent (`""` for a response). */
  target: string;
  /** `"HTTP/1.1"` or `"HTTP/1.0"`. */
  version: string;
  /** The response status code (0 for a request). */
  code: number;
  /** The response reason phrase (`""` for a request). */
  phrase: string;
  /** The header fields in order, names as sent. */
  headers: [string, string][];
  /**
   * How the body is framed: a byte count, `"chunked"`, or `"close"` (a
   * response read until the connection closes).
   */
  body: number | "chunked" | "close";
  /** Whether the message asks for `100 Continue` before its body. */
  expectContinue: boolean;
}

/** What {@linkcode HTTPParser.next} returns. */
export type ParseEvent =
  | { kind: "head"; head: MessageHead }
  | { kind: "data"; data: Uint8Array }
  | { kind: "end" }
  | { kind: "error"; status: number; reason: string };

/** Limits and mode of an {@linkcode HTTPParser}. */
export interface HTTPParserOptions {
  /** `"request"` (a server's) or `"response"` (a client's). @default {"request"} */
  type?: "request" | "response";
  /** The largest header block (request line and fields), in bytes. @default {16384} */
  maxHeaderBytes?: number;
  /** The most header fields. @default {100} */
  maxHeaders?: number;
  /** The largest body, in bytes. @default {10485760} */
  maxBodySize?: number;
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  Close,
  Done,
  Failed,
}

const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = 1;
for (let c = 97; c <= 122; c++) TOKEN[c] = 1;

/** Whether `s` is a non-empty RFC 9110 token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

const MAX_CHUNK_LINE = 4096;
const latin1 = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);

class ParseError extends Error {
  constructor(readonly status: number, reason: string) {
    super(reason);
  }
}

/** No values (shared: never changed, only concatenated to). */
const NONE: string[] = [];

/** Whether `c` is a space or a tab (the optional whitespace of a field). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses HTTP/1.1 messages from a byte stream without doing any I/O:
 * {@linkcode HTTPParser.push} bytes as they arrive, then call
 * {@linkcode HTTPParser.next} until it returns `null`. A message gives a
 * `head` event, `data` events (views of the pushed arrays) and an `end`; the
 * next message follows. Anything malformed gives one `error` event with the
 * status to answer (400, 413, 431, 501, 505) and the parser stops for good.
 *
 * Strict as RFC 9112 asks of a server that must not be smuggled past:
 * `Content-Length` with `Transfer-Encoding`, differing `Content-Length`s,
 * a transfer coding other than `chunked`, obsolete line folding, a space
 * before a colon, control characters, bare CRs and an HTTP/1.1 request
 * without exactly one `Host` are rejected. Everything is bounded: the
 * header block (431), the number of fields (431), a chunk-size line (400)
 * and the body (413); nothing is allocated from what the peer announces.
 */
export class HTTPParser {
  readonly type: "request" | "response";
  readonly maxHeaderBytes: number;
  readonly maxHeaders: number;
  maxBodySize: number;
  // The bytes not parsed yet are #buf[#pos, #len); past #len is free room
  // when #owned (never handed out, so it may be written).
  #buf: Uint8Array = EMPTY;
  #pos = 0;
  #len = 0;
  #owned = false;
  // Bytes after #pos already scanned for a line end (none found).
  #scanned = 0;
  #state = State.Head;
  #remaining = 0;
  #bodySeen = 0;
  #headBytes = 0;
  #lines: string[] = [];
  #noBody = false;
  #eof = false;

  constructor(options: HTTPParserOptions = {}) {
    this.type = options.type ?? "request";
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16384;
    this.maxHeaders = options.maxHeaders ?? 100;
    this.maxBodySize = options.maxBodySize ?? 10 * 1024 * 1024;
  }

  /** Whether the parser is between messages with nothing buffered. */
  get idle(): boolean {
    return this.#state === State.Head && this.#lines.length === 0 &&
      this.#pos === this.#len;
  }

  /** Whether the parser stopped on an error. */
  get failed(): boolean {
    return this.#state === State.Failed;
  }

  /** The number of bytes buffered and not parsed yet. */
  get buffered(): number {
    return this.#len - this.#pos;
  }

  /**
   * For a response parser: the next response has no body whatever its
   * headers say (the answer to a HEAD request).
   */
  expectNoBody(): void {
    this.#noBody = true;
  }

  /**
   * Adds received bytes; the array is kept, so do not change it (or call
   * {@linkcode HTTPParser.own} first).
   */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.#pos === this.#len) {
      this.#buf = data;
      this.#pos = 0;
      this.#len = data.length;
      this.#owned = false;
      this.#scanned = 0;
    } else if (this.#owned && this.#buf.length - this.#len >= data.length) {
      this.#buf.set(data, this.#len);
      this.#len += data.length;
    } else {
      const rest = this.#buf.subarray(this.#pos, this.#len);
      const all = new Uint8Array(
        Math.max(2 * (rest.length + data.length), 256),
      );
      all.set(rest);
      all.set(data, rest.length);
      this.#buf = all;
      this.#pos = 0;
      this.#len = rest.length + data.length;
      this.#owned = true;
    }
  }

  /**
   * Copies the bytes buffered and not parsed yet, if they are a part of an
   * array {@linkcode HTTPParser.push} was given: that array may be reused
   * from now on.
   */
  own(): void {
    if (this.#owned || this.#pos === this.#len) return;
    const rest = this.#buf.slice(this.#pos, this.#len);
    this.#buf = rest;
    this.#pos = 0;
    this.#len = rest.length;
    this.#owned = true;
  }

  /** Reports the end of the stream (ends a body read until close). */
  pushEof(): void {
    this.#eof = true;
  }

  /** Returns the next event, or `null` when more bytes are needed. */
  next(): ParseEvent | null {
    try {
      return this.#next();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.#state = State.Failed;
      this.#release();
      return { kind: "error", status: e.status, reason: e.message };
    }
  }

  #next(): ParseEvent | null {
    for (;;) {
      switch (this.#state) {
        case State.Head: {
          const line = this.#line(this.maxHeaderBytes - this.#headBytes, 431);
          if (line === null) {
            if (this.#eof && this.#lines.length > 0) {
              throw new ParseError(400, "Incomplete message head");
            }
            return null;
          }
          if (line === "") {
            if (this.#lines.length === 0) continue; // Leading empty lines.
            return this.#head();
          }
          if (this.#lines.length > this.maxHeaders) {
            throw new ParseError(431, "Too many header fields");
          }
          this.#lines.push(line);
          continue;
        }
        case State.Length: {
          if (this.#remaining === 0) return this.#end();
          const data = this.#take(this.#remaining);
          if (data === null) return null;
          this.#remaining -= data.length;
          return { kind: "data", data };
        }
        case State.Close: {
          const data = this.#take(Infinity);
          if (data !== null) {
            this.#bodySeen += data.length;
            if (this.#bodySeen > this.maxBodySize) {
              throw new ParseError(413, "Body too large");
            }
            return { kind: "data", data };
          }
          return this.#eof ? this.#end() : null;
        }
        case State.ChunkSize: {
          const line = this.#line(MAX_CHUNK_LINE, 400);
          if (line === null) return this.#needMore();
          const semi = line.indexOf(";");
          const hex = (semi === -1 ? line : line.slice(0, semi)).trimEnd();
          if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) {
            throw new ParseError(400, "Invalid chunk size");
          }
          const size = parseInt(hex, 16);
          if (size > this.maxBodySize - this.#bodySeen) {
            throw new ParseError(413, "Body too large");
          }
          this.#bodySeen += size;
          if (size === 0) {
            this.#state = State.Trailers;
            this.#headBytes = 0;
            this.#lines = [];
          } else {
            this.#remaining = size;
            this.#state = State.ChunkData;
          }
          continue;
        }
        case State.ChunkData: {
          const data = this.#take(this.#remaining);
          if (data === null) return this.#needMore();
          this.#remaining -= data.length;
          if (this.#remaining === 0) this.#state = State.ChunkEnd;
          return { kind: "data", data };
        }
        case State.ChunkEnd: {
          if (this.buffered < 2) {
            if (this.buffered === 1 && this.#buf[this.#pos] !== 13) {
              throw new ParseError(400, "Missing CRLF after chunk data");
            }
            return this.#needMore();
          }
          if (this.#buf[this.#pos] !== 13 || this.#buf[this.#pos + 1] !== 10) {
            throw new ParseError(400, "Missing CRLF after chunk data");
          }
          this.#pos += 2;
          this.#state = State.ChunkSize;
          continue;
        }
        case State.Trailers: {
          const line = this.#line(this.maxHeaderBytes - this.#headBytes, 431);
          if (line === null) return this.#needMore();
          if (line === "") return this.#end();
          if (this.#lines.length >= this.maxHeaders) {
            throw new ParseError(431, "Too many trailer fields");
          }
          this.#field(line); // Checked, then dropped.
          this.#lines.push("");
          continue;
        }
        case State.Done:
        case State.Failed:
          return null;
      }
    }
  }

  #needMore(): null {
    if (this.#eof) throw new ParseError(400, "Incomplete body");
    return null;
  }

  #end(): ParseEvent {
    this.#state = this.#eof && this.#state === State.Close
      ? State.Done
      : State.Head;
    this.#lines = [];
    this.#headBytes = 0;
    this.#bodySeen = 0;
    return { kind: "end" };
  }

  #take(max: number): Uint8Array | null {
    const n = Math.min(max, this.#len - this.#pos);
    if (n === 0) return null;
    const data = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    if (this.#pos === this.#len) this.#release();
    return data;
  }

  #release(): void {
    this.#buf = EMPTY;
    this.#pos = this.#len = this.#scanned = 0;
    this.#owned = false;
  }

  // One line (LF or CRLF ended, a bare CR refused) of at most `limit` bytes
  // with its ending, or null if it has not all arrived.
  #line(limit: number, status: number): string | null {
    const buf = this.#buf;
    const len = this.#len;
    const start = this.#pos;
    const end = Math.min(len, start + Math.max(limit, 0));
    let i = start + this.#scanned;
    for (; i < end; i++) {
      const c = buf[i];
      if (c === 10) break;
      if (c === 13 && i + 1 < len && buf[i + 1] !== 10) {
        throw new ParseError(400, "Bare CR");
      }
      if ((c < 32 && c !== 9 && c !== 13) || c === 127) {
        throw new ParseError(400, "Control character in head");
      }
    }
    if (i === end) {
      // A CR last is looked at again with the byte after it.
      this.#scanned = end > start && buf[end - 1] === 13
        ? end - 1 - start
        : end - start;
      if (end - start >= limit) {
        throw new ParseError(
          status,
          status === 431 ? "Header block too large" : "Line too long",
        );
      }
      return null;
    }
    const stop = i > start && buf[i - 1] === 13 ? i - 1 : i;
    const line = latin1.decode(buf.subarray(start, stop));
    this.#headBytes += i + 1 - start;
    this.#pos = i + 1;
    this.#scanned = 0;
    if (this.#pos === len) this.#release();
    return line;
  }

  #field(line: string): [string, string] {
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      throw new ParseError(400, "Obsolete line folding");
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ParseError(400, "Malformed header field");
    const name = line.slice(0, colon);
    if (!isToken(name)) throw new ParseError(400, "Invalid header name");
    // The value without the spaces and tabs around it (only those: a
    // latin1 NBSP is a value's byte).
    let from = colon + 1;
    let to = line.length;
    while (from < to && isBlank(line.charCodeAt(from))) from++;
    while (to > from && isBlank(line.charCodeAt(to - 1))) to--;
    return [name, line.slice(from, to)];
  }

  #head(): ParseEvent {
    const lines = this.#lines;
    const first = lines[0];
    const headers: [string, string][] = new Array(lines.length - 1);
    for (let i = 1; i < lines.length; i++) {
      headers[i - 1] = this.#field(lines[i]);
    }
    const head: MessageHead = {
      method: "",
      target: "",
      version: "",
      code: 0,
      phrase: "",
      headers,
      body: 0,
      expectContinue: false,
    };
    if (this.type === "request") {
      const m = /^([^ ]+) ([^ ]+) (HTTP\/\d\.\d)$/.exec(first);
      if (m === null || !isToken(m[1])) {
        throw new ParseError(400, "Malformed request line");
      }
      if (!/^[\x21-\x7e]+$/.test(m[2])) {
        throw new ParseError(400, "Invalid request target");
      }
      head.method = m[1];
      head.target = m[2];
      head.version = m[3];
    } else {
      const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(first);
      if (m === null) throw new ParseError(400, "Malformed status line");
      head.version = m[1];
      head.code = Number(m[2]);
      head.phrase = m[3] ?? "";
    }
    if (head.version !== "HTTP/1.1" && head.version !== "HTTP/1.0") {
      throw new ParseError(505, "HTTP version not supported");
    }
    let lengths: string[] = NONE;
    let codings: string[] = NONE;
    let hosts = 0;
    for (let i = 0; i < headers.length; i++) {
      const [name, value] = headers[i];
      const lower = name.toLowerCase();
      if (lower === "content-length") {
        lengths = lengths.concat(value.split(",").map((v) => v.trim()));
      } else if (lower === "transfer-encoding") {
        codings = codings.concat(
          value.split(",").map((v) => v.trim().toLowerCase()).filter((v) =>
            v !== ""
          ),
        );
      } else if (lower === "host") {
        hosts++;
      } else if (lower === "expect" && this.type === "request") {
        if (value.toLowerCase() === "100-continue") head.expectContinue = true;
      }
    }
    if (this.type === "request" && head.version === "HTTP/1.1" && hosts !== 1) {
      throw new ParseError(400, "HTTP/1.1 requests need one Host header");
    }
    if (this.type === "request" && hosts > 1) {
      throw new ParseError(400, "More than one Host header");
    }
    const noBody = this.type === "response" &&
      (this.#noBody || head.code < 200 || head.code === 204 ||
        head.code === 304);
    if (this.type === "response" && head.code >= 200) this.#noBody = false;
    if (codings.length > 0) {
      if (lengths.length > 0) {
        throw new ParseError(400, "Content-Length with Transfer-Encoding");
      }
      if (this.type === "request" && head.version === "HTTP/1.0") {
        throw new ParseError(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (codings[codings.length - 1] !== "chunked") {
        if (this.type === "request") {
          throw new ParseError(
            codings.includes("chunked") ? 400 : 501,
            "Unsupported transfer coding",
          );
        }
        head.body = "close";
      } else if (codings.length > 1) {
        throw new ParseError(
          codings.indexOf("chunked") < codings.length - 1 ? 400 : 501,
          "Unsupported transfer coding",
        );
      } else {
        head.body = "chunked";
      }
    } else if (lengths.length > 0) {
      if (!lengths.every((v) => /^\d{1,15}$/.test(v))) {
        throw new ParseError(400, "Invalid Content-Length");
      }
      const n = Number(lengths[0]);
      if (!lengths.every((v) => Number(v) === n)) {
        throw new ParseError(400, "Differing Content-Lengths");
      }
      head.body = n;
    } else {
      head.body = this.type === "response" ? "close" : 0;
    }
    if (noBody) head.body = 0;
    if (typeof head.body === "number") {
      if (head.body > this.maxBodySize) {
        throw new ParseError(413, "Body too large");
      }
      this.#remaining = head.body;
      this.#state = State.Length;
    } else {
      this.#state = head.body === "chunked" ? State.ChunkSize : State.Close;
    }
    if (head.body === 0) head.expectContinue = false;
    this.#bodySeen = 0;
    this.#lines = [];
    this.#headBytes = 0;
    return { kind: "head", head };
  }
}
