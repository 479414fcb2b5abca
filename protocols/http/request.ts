// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Request}: one HTTP request and its response, after
 * `twisted.web.server.Request`.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import type {
  IAddress,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
} from "../../reactor/interfaces.ts";
import type { TemporaryFileSystem } from "../../reactor/backends/deno/deno_temporary_files.ts";
import { indexOfByte } from "../_bytes.ts";
import { _fields, _setField, Headers } from "./headers.ts";
import {
  MultipartError,
  type ParsedMultipart,
  parseMultipart,
} from "./_multipart.ts";
import { RequestContent } from "./request_content.ts";
import {
  ErrorPage,
  NOT_DONE_YET,
  type RenderResult,
  type Resource,
  UnsupportedMethod,
} from "./resource.ts";
import { RESPONSES } from "./status.ts";

const encoder = new TextEncoder();
const utf8 = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * What {@linkcode Request.setLastModified} and {@linkcode Request.setETag}
 * return when the client's copy is current (Twisted's `http.CACHED`): the
 * caller should then answer with no body.
 *
 * @example Usage
 * ```ts
 * import { CACHED, Request } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const request = new Request();
 * request.requestHeaders.setRawHeaders("if-none-match", ['"v1"']);
 * equal(request.setETag('"v1"'), CACHED);
 * equal(request.code, 304);
 * ```
 */
export const CACHED: unique symbol = Symbol("CACHED");

/** What a {@linkcode Request} needs of the connection it came on (private). */
export interface RequestChannel {
  /** The connection. */
  readonly transport: ITCPTransport;
  /** The site's access log, error page and resource tree. */
  readonly site: RequestSite | null;
  /** Whether the connection may stay open after this request. */
  checkPersistence(request: Request): boolean;
  /** The response is complete. */
  requestDone(request: Request): void;
}

/** What a {@linkcode Request} needs of its site (private). */
export interface RequestSite {
  /** Whether a 500 page shows the stack trace. */
  readonly displayTracebacks: boolean;
  /** The body size from which a request body goes to a temporary file. */
  readonly bodySpoolSize: number;
  /** Where the temporary files of request bodies come from. */
  readonly temporaryFiles: TemporaryFileSystem;
  /** Finds the resource for a request. */
  getResourceFor(request: Request): Resource;
  /** Writes the access log line. */
  log(request: Request): void;
}

/** Decodes `%XX` escapes (as UTF-8); a malformed escape stays as it is. */
export function unquote(s: string): string {
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      c === 37 && i + 2 < s.length &&
      /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))
    ) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...encoder.encode(s[i]));
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/**
 * A file field of a `multipart/form-data` body: what Python's
 * `cgi.FieldStorage` says of it (Twisted's `request.args` keeps only the
 * value). {@linkcode Request.files} holds them.
 *
 * @example Usage
 * ```ts
 * import { type FormFile, type Request, Resource, Site } from "@torsion/torsion/http";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { Failure } from "@torsion/torsion/defer";
 * import { ConnectionDone } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const uploads: FormFile[] = [];
 * class Upload extends Resource {
 *   override isLeaf = true;
 *   renderPOST(request: Request): string {
 *     uploads.push(...(request.files.get("file") ?? []));
 *     return "thanks";
 *   }
 * }
 * const body = [
 *   "--b",
 *   'Content-Disposition: form-data; name="file"; filename="notes.txt"',
 *   "Content-Type: text/plain",
 *   "",
 *   "line 1\r\nline 2",
 *   "--b--",
 *   "",
 * ].join("\r\n");
 * const t = new StringTransport();
 * const channel = new Site(new Upload()).buildProtocol(t.getPeer());
 * channel.makeConnection(t);
 * channel.dataReceived(new TextEncoder().encode(
 *   "POST / HTTP/1.1\r\nHost: x\r\n" +
 *     "Content-Type: multipart/form-data; boundary=b\r\n" +
 *     `Content-Length: ${body.length}\r\n\r\n${body}`,
 * ));
 * deepEqual(uploads, [{
 *   filename: "notes.txt",
 *   type: "text/plain",
 *   value: new TextEncoder().encode("line 1\r\nline 2"),
 * }]);
 * channel.connectionLost(new Failure(new ConnectionDone()));
 * ```
 */
export interface FormFile {
  /** The file's name as the client gave it (its `filename` parameter). */
  readonly filename: string;
  /** Its media type, lower case, without parameters (`text/plain` if none). */
  readonly type: string;
  /** Its bytes, exactly as sent. */
  readonly value: Uint8Array;
}

function _add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function _hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 32;
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

/**
 * Decodes one name or value of a query or urlencoded form: `+` is a space,
 * `%XX` a byte, a malformed escape stays as it is.
 */
function _formDecode(data: Uint8Array): Uint8Array {
  if (data.indexOf(37) === -1 && data.indexOf(43) === -1) return data;
  const out = new Uint8Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 43) out[n++] = 32;
    else if (
      c === 37 && i + 2 < data.length && _hex(data[i + 1]) >= 0 &&
      _hex(data[i + 2]) >= 0
    ) {
      out[n++] = _hex(data[i + 1]) * 16 + _hex(data[i + 2]);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

/**
 * The name-value pairs of a query or an urlencoded form, as bytes
 * (Twisted's `http.parse_qs` with blank values kept).
 */
function _parseQs(data: Uint8Array): [Uint8Array, Uint8Array][] {
  const pairs: [Uint8Array, Uint8Array][] = [];
  let start = 0;
  while (start <= data.length) {
    let end = indexOfByte(data, 38, start);
    if (end === -1) end = data.length;
    if (end > start) {
      const item = data.subarray(start, end);
      const eq = item.indexOf(61);
      pairs.push(
        eq === -1 ? [_formDecode(item), EMPTY] : [
          _formDecode(item.subarray(0, eq)),
          _formDecode(item.subarray(eq + 1)),
        ],
      );
    }
    start = end + 1;
  }
  return pairs;
}

let dateSecond = -1;
let dateText = "";

/** An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), cached for the second. */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second === dateSecond) return dateText;
  const text = new Date(second * 1000).toUTCString();
  if (ms >= Date.now() - 1000) {
    dateSecond = second;
    dateText = text;
  }
  return text;
}

/**
 * One HTTP request and its response (Twisted's `twisted.web.server.Request`).
 * A {@linkcode Site} makes one per request, with the whole body read
 * ({@linkcode Request.content}), walks the resource tree and calls the
 * resource's `render`; the response goes out through
 * {@linkcode Request.write} and {@linkcode Request.finish}.
 *
 * The response head is sent with the first `write`: status and headers must
 * be set before. Without a `Content-Length`, an HTTP/1.1 response is sent
 * chunked, and an HTTP/1.0 one ends by closing the connection.
 *
 * The body ({@linkcode Request.content}) is read like a file. Under the
 * site's `bodySpoolSize` (Twisted's 100000 bytes) it is kept in memory;
 * from there it is written to a temporary file as it arrives, closed and
 * removed when the response is finished or the connection lost. Either way
 * it is bounded by the site's `maxBodySize` (10 MiB by default; a larger
 * body is refused with 413). Form arguments are in {@linkcode Request.args}
 * (text), {@linkcode Request.argsBytes} (bytes, exactly) and, for uploads,
 * {@linkcode Request.files}.
 *
 * @example Usage
 * ```ts
 * import { Request } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const request = new Request();
 * request.setResponseCode(201);
 * request.setHeader("x-answer", "42");
 * equal(request.code, 201);
 * equal(request.responseHeaders.getFirst("X-Answer"), "42");
 * ```
 */
export class Request {
  /** The method (`GET`, `POST`…). */
  method = "GET";
  /** The request target as sent (`/a/b?x=1`). */
  uri = "/";
  /** The path part of {@linkcode Request.uri}, still percent-encoded. */
  path = "/";
  /** The protocol version the client sent (`HTTP/1.1` or `HTTP/1.0`). */
  clientproto = "HTTP/1.1";
  /**
   * The query and form arguments: name → values, decoded as UTF-8 (a
   * binary upload is not kept exactly here: see
   * {@linkcode Request.argsBytes}).
   */
  get args(): Map<string, string[]> {
    return this.#args ??= new Map();
  }
  set args(value: Map<string, string[]>) {
    this.#args = value;
  }
  /**
   * The same arguments with their values as bytes, exactly as sent
   * (Twisted's `request.args`, bytes → list of bytes): the query, then an
   * urlencoded or `multipart/form-data` body.
   */
  get argsBytes(): Map<string, Uint8Array[]> {
    return this.#argsBytes ??= new Map();
  }
  set argsBytes(value: Map<string, Uint8Array[]>) {
    this.#argsBytes = value;
  }
  /**
   * The file fields of a `multipart/form-data` body (those with a
   * `filename`): name → files, each with its name, type and bytes. Their
   * values are in {@linkcode Request.args} and
   * {@linkcode Request.argsBytes} too.
   */
  get files(): Map<string, FormFile[]> {
    return this.#files ??= new Map();
  }
  set files(value: Map<string, FormFile[]>) {
    this.#files = value;
  }
  // Made on first use: most requests have no arguments.
  #args: Map<string, string[]> | null = null;
  #argsBytes: Map<string, Uint8Array[]> | null = null;
  #files: Map<string, FormFile[]> | null = null;
  /** The path segments already walked (percent-decoded). */
  prepath: string[] = [];
  /** The path segments still to walk (percent-decoded). */
  postpath: string[] = [];
  /** The request's header fields. */
  requestHeaders: Headers = new Headers();
  /** The response's header fields. */
  responseHeaders: Headers = new Headers();
  /**
   * The request body, read like a file from the start
   * (`request.content.read()`): in memory, or in a temporary file if it is
   * large (see {@linkcode RequestContent}). Closed once the response is
   * finished or the connection lost.
   */
  content: RequestContent = new RequestContent();
  /** The response status code. */
  code = 200;
  /** The response reason phrase. */
  codeMessage = "OK";
  /** Whether the response head has been sent. */
  startedWriting = false;
  /** Whether {@linkcode Request.finish} was called. */
  finished = false;
  /** The number of body bytes sent. */
  sentLength = 0;
  /** The time the request arrived (seconds since the epoch). */
  started: number = Date.now() / 1000;
  /** The connection it came on (`null` for a request made in a test). */
  readonly channel: RequestChannel | null;
  /** The site (set when the request is processed). */
  site: RequestSite | null = null;
  /** The path segments that led to the site's root (Twisted's `sitepath`). */
  sitepath: string[] = [];
  /** Bytes written while there is no channel (a request made in a test). */
  readonly written: Uint8Array[] = [];
  #chunked = false;
  #noBody = false;
  #disconnected = false;
  #finishWaiters: Deferred<void>[] = [];

  /**
   * Creates a request.
   *
   * @param channel The connection (none for a request made in a test).
   */
  constructor(channel: RequestChannel | null = null) {
    this.channel = channel;
  }

  /** The transport of the connection, if any. */
  get transport(): ITCPTransport | null {
    return this.channel?.transport ?? null;
  }

  /**
   * Called by the channel with the request line.
   *
   * @param method The method.
   * @param uri The request target.
   * @param version The protocol version.
   * @param headers The header fields.
   */
  gotHead(
    method: string,
    uri: string,
    version: string,
    headers: [string, string][],
  ): void {
    this.method = method;
    this.uri = uri;
    this.clientproto = version;
    for (const [name, value] of headers) {
      this.requestHeaders.addRawHeader(name, value);
    }
    const q = uri.indexOf("?");
    this.path = q === -1 ? uri : uri.slice(0, q);
    // The absolute form (RFC 9112 §3.2.2): the path is what follows the
    // authority.
    const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(this.path);
    if (absolute !== null) {
      this.path = this.path.slice(absolute[0].length) || "/";
    }
    if (q !== -1) this.#addQs(encoder.encode(uri.slice(q + 1)));
  }

  /**
   * Called by the channel once the head is in, with the body's length
   * (Twisted's `gotLength`): makes {@linkcode Request.content}, which
   * spools the body to a temporary file from its first byte if the length
   * reaches the site's `bodySpoolSize`, or, for a chunked body (`null`),
   * once the bytes received do.
   *
   * @param length The `Content-Length`, or `null` for a chunked body.
   */
  gotLength(length: number | null): void {
    this.content.close();
    const site = this.channel?.site ?? null;
    this.content = new RequestContent({
      length,
      ...(site === null ? {} : {
        spoolSize: site.bodySpoolSize,
        temporaryFiles: site.temporaryFiles,
      }),
    });
  }

  /**
   * Called by the channel with a piece of the body.
   *
   * @param data The bytes (kept while in memory).
   * @throws {Error} If the body's temporary file cannot be written.
   */
  handleContentChunk(data: Uint8Array): void {
    this.content.write(data);
  }

  #addQs(data: Uint8Array): void {
    for (const [name, value] of _parseQs(data)) {
      const key = utf8.decode(name);
      _add(this.args, key, utf8.decode(value));
      _add(this.argsBytes, key, value);
    }
  }

  /**
   * Called by the channel once the body is complete: parses the form
   * arguments of a POST or PUT (an urlencoded or `multipart/form-data`
   * body), then {@linkcode Request.process}es the request. A
   * `multipart/form-data` body without a usable `boundary` parameter is
   * answered with 400 and the connection closed, as Twisted does; one that
   * ends without its closing delimiter keeps the parts it has (as `cgi`
   * does), and the log says so.
   */
  requestReceived(): void {
    let parsed: boolean;
    try {
      parsed = this.#parseForm();
    } catch (e) {
      // The body could not be read back (its temporary file failed).
      this.site = this.channel?.site ?? null;
      this.processingFailed(e);
      return;
    }
    if (parsed) this.process();
  }

  // Adds the form arguments of the body; false if it was answered with 400.
  #parseForm(): boolean {
    const content = this.content;
    content.seek(0);
    if (
      (this.method !== "POST" && this.method !== "PUT") || content.length === 0
    ) {
      return true;
    }
    const type = this.requestHeaders.getFirst("content-type") ?? "";
    const mime = type.split(";")[0].trim().toLowerCase();
    if (mime === "application/x-www-form-urlencoded") {
      this.#addQs(content.read());
    } else if (mime === "multipart/form-data") {
      let multipart: ParsedMultipart;
      try {
        multipart = parseMultipart(content.read(), type);
      } catch (e) {
        if (!(e instanceof MultipartError)) throw e;
        log.err(
          e,
          `Bad multipart/form-data body in ${this.method} ${this.uri}`,
        );
        this.#badRequest();
        return false;
      }
      if (!multipart.closed) {
        log.msg(
          `A multipart/form-data body in ${this.method} ${this.uri} ends without its closing boundary: its last part runs to the end`,
        );
      }
      for (const { name, value, filename, type } of multipart.parts) {
        _add(this.args, name, utf8.decode(value));
        _add(this.argsBytes, name, value);
        if (filename !== null) {
          _add(this.files, name, { filename, type, value });
        }
      }
    }
    content.seek(0);
    return true;
  }

  // Twisted's `_respondToBadRequestAndDisconnect`, as a response of its
  // own: 400 and a closed connection.
  #badRequest(): void {
    this.site = this.channel?.site ?? null;
    const body = encoder.encode("Bad Request\n");
    this.setResponseCode(400);
    this.setHeader("content-type", "text/plain");
    this.setHeader("content-length", String(body.length));
    this.setHeader("connection", "close");
    this.write(body);
    this.finish();
  }

  /**
   * Finds the resource and renders it (Twisted's `Request.process`): sets
   * the default `Server`, `Date` and `Content-Type` headers first.
   */
  process(): void {
    const site = this.channel?.site ?? null;
    this.site = site;
    this.setHeader("server", SERVER_VERSION);
    this.setHeader("date", httpDate(Date.now()));
    this.setHeader("content-type", "text/html");
    this.prepath = [];
    this.postpath = this.path.slice(1).split("/").map(unquote);
    this.sitepath = [];
    try {
      if (site === null) {
        throw new Error("Cannot process a request without a site");
      }
      this.render(site.getResourceFor(this));
    } catch (e) {
      this.processingFailed(new Failure(e));
    }
  }

  /**
   * Renders `resource` and sends what it returns (Twisted's
   * `Request.render`): a body, {@linkcode NOT_DONE_YET}, or a promise (a
   * `Deferred`) of a body; a method it does not support gets 405.
   *
   * @param resource The resource.
   */
  render(resource: Resource): void {
    let body: RenderResult;
    try {
      body = resource.render(this);
    } catch (e) {
      if (!(e instanceof UnsupportedMethod)) throw e;
      const allowed = e.allowedMethods;
      this.setHeader("allow", allowed.join(", "));
      const s = allowed.length === 1 ? "" : "s";
      body = new ErrorPage(
        405,
        "Method Not Allowed",
        `Your browser approached me (at ${this.uri}) with the method "${this.method}".  I only allow the method${s} ${
          allowed.join(", ")
        } here.`,
      ).render(this);
    }
    if (body === NOT_DONE_YET) return;
    if (body instanceof Deferred) {
      // A Deferred answers synchronously when it fires.
      (body as Deferred<string | Uint8Array>).addCallbacks(
        (b) => this.#sendBody(b),
        (f) => this.processingFailed(f),
      );
      return;
    }
    if (typeof body === "object" && body !== null && "then" in body) {
      (body as PromiseLike<string | Uint8Array>).then(
        (b) => this.#sendBody(b),
        (e: unknown) =>
          this.processingFailed(e instanceof Failure ? e : new Failure(e)),
      );
      return;
    }
    this.#sendBody(body);
  }

  #sendBody(body: unknown): void {
    if (this.#disconnected || this.finished) return;
    let bytes: Uint8Array;
    if (typeof body === "string") bytes = encoder.encode(body);
    else if (body instanceof Uint8Array) bytes = body;
    else {
      this.processingFailed(
        new Failure(
          new TypeError(
            `Request did not return bytes or a string: ${typeof body}`,
          ),
        ),
      );
      return;
    }
    if (this.method === "HEAD") {
      // The GET answer's length, without its body (RFC 9110 §9.3.2).
      if (bytes.length > 0 && !this.startedWriting) {
        this.setHeader("content-length", String(bytes.length));
      }
      this.write(EMPTY);
    } else {
      if (!this.startedWriting) {
        this.setHeader("content-length", String(bytes.length));
      }
      this.write(bytes);
    }
    this.finish();
  }

  /**
   * Answers with a 500 page for a rendering error (the stack trace goes to
   * the log, and to the page only with the site's `displayTracebacks`).
   * Use it as the errback of a `NOT_DONE_YET` rendering's Deferred.
   *
   * @param reason What went wrong.
   */
  processingFailed(reason: Failure | unknown): void {
    const failure = reason instanceof Failure ? reason : new Failure(reason);
    log.err(failure, `Error rendering ${this.method} ${this.uri}`);
    if (this.#disconnected || this.finished) return;
    if (this.startedWriting) {
      // The head is out: the response cannot become an error page.
      this.transport?.loseConnection();
      this.finished = true;
      this.content.close();
      this.#notify(null);
      return;
    }
    const trace = this.site?.displayTracebacks
      ? `<pre>${
        String(failure.value instanceof Error ? failure.value.stack : failure)
          .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
      }</pre>`
      : "";
    const body = encoder.encode(
      `<html><head><title>Processing Failed</title></head><body><b>Processing Failed</b>${trace}</body></html>`,
    );
    this.setResponseCode(500);
    this.setHeader("content-type", "text/html");
    this.setHeader("content-length", String(body.length));
    this.write(body);
    this.finish();
  }

  /**
   * Sets the status code and reason phrase.
   *
   * @param code The status code.
   * @param message The phrase (the standard one by default).
   * @throws {TypeError} If the code is not an integer from 100 to 999.
   */
  setResponseCode(code: number, message?: string): void {
    if (!Number.isInteger(code) || code < 100 || code > 999) {
      throw new TypeError(`Invalid status code: ${code}`);
    }
    if (message !== undefined && /[\r\n]/.test(message)) {
      throw new TypeError("Cannot put CR or LF in a reason phrase");
    }
    this.code = code;
    this.codeMessage = message ?? RESPONSES[code] ?? "Unknown Status";
  }

  /**
   * Sets a response header (replacing its values).
   *
   * @param name The name.
   * @param value The value.
   */
  setHeader(name: string, value: string): void {
    _setField(this.responseHeaders, name, value);
  }

  /**
   * A request header's first value.
   *
   * @param name The name, in any case.
   * @returns The value, or `undefined`.
   */
  getHeader(name: string): string | undefined {
    return this.requestHeaders.getFirst(name);
  }

  /**
   * The address of the client (the connection's peer).
   *
   * @returns The address, or `null` without a connection.
   */
  getClientAddress(): IAddress | null {
    return this.transport?.getPeer() ?? null;
  }

  /**
   * The address the request came in on.
   *
   * @returns The address, or `null` without a connection.
   */
  getHost(): IAddress | null {
    return this.transport?.getHost() ?? null;
  }

  /**
   * Whether the request came over TLS.
   *
   * @returns `true` on a TLS transport (`isTLS`).
   */
  isSecure(): boolean {
    const t = this.transport as unknown as { isTLS?: unknown } | null;
    return t !== null && t.isTLS === true;
  }

  /**
   * The URL of the resource being rendered (scheme, host, and
   * {@linkcode Request.prepath}).
   *
   * @returns The URL.
   */
  prePathURL(): string {
    const host = this.getHeader("host") ?? "localhost";
    const scheme = this.isSecure() ? "https" : "http";
    return `${scheme}://${host}/${
      this.prepath.map(encodeURIComponent).join("/")
    }`;
  }

  /**
   * A Deferred that fires when the response is finished, or errbacks with
   * the reason when the connection is lost first.
   *
   * @returns The Deferred.
   */
  notifyFinish(): Deferred<void> {
    const d = new Deferred<void>();
    if (this.finished) d.callback(undefined);
    else this.#finishWaiters.push(d);
    return d;
  }

  /**
   * Answers `304 Not Modified` when `If-Modified-Since` is not older than
   * `when`, and sets `Last-Modified`.
   *
   * @param when Seconds since the epoch.
   * @returns {@linkcode CACHED} when the client's copy is current.
   */
  setLastModified(when: number): typeof CACHED | null {
    const seconds = Math.floor(when);
    this.setHeader("last-modified", httpDate(seconds * 1000));
    const since = this.getHeader("if-modified-since");
    if (since !== undefined && this.getHeader("if-none-match") === undefined) {
      const t = Date.parse(since.split(";")[0]);
      if (!Number.isNaN(t) && t / 1000 >= seconds) {
        this.setResponseCode(304);
        return CACHED;
      }
    }
    return null;
  }

  /**
   * Sets `ETag`; answers `304 Not Modified` (or `412` for a request other
   * than GET and HEAD) when `If-None-Match` matches.
   *
   * @param etag The entity tag, quoted.
   * @returns {@linkcode CACHED} when the client's copy is current.
   */
  setETag(etag: string): typeof CACHED | null {
    this.setHeader("etag", etag);
    const match = this.getHeader("if-none-match");
    if (match === undefined) return null;
    const tags = match.split(",").map((t) => t.trim().replace(/^W\//, ""));
    if (tags.includes("*") || tags.includes(etag.replace(/^W\//, ""))) {
      this.setResponseCode(
        this.method === "GET" || this.method === "HEAD" ? 304 : 412,
      );
      return CACHED;
    }
    return null;
  }

  /**
   * Writes part of the response body, sending the head first.
   *
   * @param data The bytes, or a string as UTF-8.
   * @throws {Error} After {@linkcode Request.finish}.
   */
  write(data: Uint8Array | string): void {
    if (this.finished) {
      throw new Error(
        "Request.write called on a request after Request.finish was called.",
      );
    }
    if (this.#disconnected) return;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const out: Uint8Array[] = [];
    if (!this.startedWriting) {
      this.startedWriting = true;
      out.push(encoder.encode(this.#head()));
    }
    if (bytes.length > 0 && !this.#noBody) {
      this.sentLength += bytes.length;
      if (this.#chunked) {
        out.push(
          encoder.encode(bytes.length.toString(16) + "\r\n"),
          bytes,
          CRLF,
        );
      } else {
        out.push(bytes);
      }
    }
    this.#send(out);
  }

  #send(out: Uint8Array[]): void {
    if (out.length === 0) return;
    const t = this.transport;
    if (t === null) this.written.push(...out);
    else if (out.length === 1) t.write(out[0]);
    else t.writeSequence(out);
  }

  #head(): string {
    const code = this.code;
    this.#noBody = this.method === "HEAD" || code === 204 || code === 304 ||
      code < 200;
    const h = this.responseHeaders;
    if (code === 204 || code === 304 || code < 200) {
      h.removeHeader("content-length");
      h.removeHeader("transfer-encoding");
    } else if (!h.hasHeader("content-length")) {
      if (this.method !== "HEAD" && this.clientproto === "HTTP/1.1") {
        this.#chunked = true;
        h.setRawHeaders("transfer-encoding", ["chunked"]);
      }
    }
    const persistent = this.channel?.checkPersistence(this) ?? false;
    if (!persistent) {
      if (this.clientproto === "HTTP/1.1") {
        h.setRawHeaders("connection", ["close"]);
      }
    } else if (this.clientproto === "HTTP/1.0") {
      h.setRawHeaders("connection", ["Keep-Alive"]);
    }
    let head = `${this.clientproto} ${code} ${this.codeMessage}\r\n`;
    for (const { name, values } of _fields(h)) {
      for (let i = 0; i < values.length; i++) {
        head += name + ": " + values[i] + "\r\n";
      }
    }
    return head + "\r\n";
  }

  /**
   * Ends the response: sends the head if not sent (with a
   * `Content-Length: 0`), the last chunk if chunked, logs the request and
   * fires {@linkcode Request.notifyFinish}.
   *
   * @throws {Error} If called twice, or after the connection was lost.
   */
  finish(): void {
    if (this.#disconnected) {
      throw new Error(
        "Request.finish called on a request after its connection was lost; use Request.notifyFinish to keep track of this.",
      );
    }
    if (this.finished) {
      throw new Error("Request.finish called twice");
    }
    if (!this.startedWriting) {
      if (
        !this.responseHeaders.hasHeader("content-length") &&
        this.method !== "HEAD"
      ) {
        this.setHeader("content-length", "0");
      }
      this.write(EMPTY);
    }
    if (this.#chunked) this.#send([LAST_CHUNK]);
    this.finished = true;
    this.content.close();
    try {
      this.site?.log(this);
    } catch (e) {
      log.err(e, "Cannot write the access log");
    }
    this.#notify(null);
    this.channel?.requestDone(this);
  }

  /**
   * Called by the channel when the connection is lost before the response
   * is finished: closes {@linkcode Request.content} (removing its
   * temporary file), then {@linkcode Request.notifyFinish} errbacks.
   *
   * @param reason Why.
   */
  connectionLost(reason: Failure): void {
    this.#disconnected = true;
    this.content.close();
    this.#notify(reason);
  }

  #notify(reason: Failure | null): void {
    const waiters = this.#finishWaiters;
    this.#finishWaiters = [];
    for (const d of waiters) {
      if (reason === null) d.callback(undefined);
      else d.errback(reason);
    }
  }

  /**
   * Registers a producer of the response body with the transport.
   *
   * @param producer The producer.
   * @param streaming Whether it is a push producer.
   */
  registerProducer(
    producer: IPushProducer | IPullProducer,
    streaming: boolean,
  ): void {
    this.transport?.registerProducer(producer, streaming);
  }

  /** Unregisters the producer. */
  unregisterProducer(): void {
    this.transport?.unregisterProducer();
  }

  /**
   * Redirects (302) to `url`: sets the status and `Location`.
   *
   * @param url The URL.
   */
  redirect(url: string): void {
    this.setResponseCode(302);
    this.setHeader("location", url);
  }
}

/** The `Server` header's value. */
export const SERVER_VERSION = "TorsionWeb/0.1.0";

const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
