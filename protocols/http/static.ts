// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Data} and {@linkcode File}: static resources, after
 * `twisted.web.static`.
 *
 * @module
 */

import * as log from "../../defer/log.ts";
import {
  denoStaticFiles,
  type StaticFileReader,
  type StaticFileSystem,
} from "../../reactor/backends/deno/deno_static_files.ts";
import type { IPushProducer } from "../../reactor/interfaces.ts";
import { CACHED, type Request, unquote } from "./request.ts";
import {
  escapeHtml,
  ForbiddenResource,
  NoResource,
  NOT_DONE_YET,
  type RenderResult,
  Resource,
} from "./resource.ts";
import { redirectTo } from "./util.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * A resource that answers GET (and HEAD) with fixed bytes and a content type
 * (Twisted's `static.Data`).
 *
 * @example Usage
 * ```ts
 * import { Data, Resource } from "@torsion/torsion/http";
 *
 * const root = new Resource();
 * root.putChild("robots.txt", new Data("User-agent: *\nDisallow: /\n", "text/plain"));
 * ```
 */
export class Data extends Resource {
  /** The body. */
  data: Uint8Array;
  /** The content type. */
  type: string;
  /** Renders the whole path itself. */
  override isLeaf = true;

  /**
   * Creates the resource.
   *
   * @param data The body (a string as UTF-8).
   * @param type The content type.
   */
  constructor(data: Uint8Array | string, type: string) {
    super();
    this.data = typeof data === "string" ? encoder.encode(data) : data;
    this.type = type;
  }

  /**
   * Answers with the data.
   *
   * @param request The request.
   * @returns The data (nothing for HEAD).
   */
  renderGET(request: Request): Uint8Array {
    request.setHeader("content-type", this.type);
    request.setHeader("content-length", String(this.data.length));
    return request.method === "HEAD" ? new Uint8Array(0) : this.data;
  }
}

/** Content types by file extension (lower case, without the dot). */
export const contentTypes: Record<string, string> = {
  css: "text/css",
  csv: "text/csv",
  gif: "image/gif",
  gz: "application/gzip",
  htm: "text/html",
  html: "text/html",
  ico: "image/x-icon",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  js: "text/javascript",
  json: "application/json",
  md: "text/markdown",
  mjs: "text/javascript",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  pdf: "application/pdf",
  png: "image/png",
  svg: "image/svg+xml",
  tar: "application/x-tar",
  ts: "text/plain",
  txt: "text/plain",
  wasm: "application/wasm",
  webp: "image/webp",
  woff: "font/woff",
  woff2: "font/woff2",
  xml: "text/xml",
  zip: "application/zip",
};

/** Options of a {@linkcode File}. */
export interface FileOptions {
  /** The content type of files with an unknown extension. @default {"text/html"} */
  defaultType?: string;
  /** Whether a directory without an index file is listed (else 403). @default {false} */
  allowListing?: boolean;
  /** The names tried for a directory's index. @default {["index.html", "index.htm"]} */
  indexNames?: string[];
  /** The file access (a test may give its own). @default {denoStaticFiles} */
  fileSystem?: StaticFileSystem;
}

interface Shared {
  root: string | null;
  options: Required<FileOptions>;
}

/**
 * The most ranges one `Range` header may ask of a {@linkcode File}; past
 * it the header is ignored.
 */
const MAX_RANGES = 100;

/**
 * Serves a file, or a directory tree, from the file system (Twisted's
 * `static.File`): content types from the extension, `Range` requests,
 * `ETag` and `Last-Modified` with `If-None-Match` and `If-Modified-Since`
 * (304), and the file streamed with the connection's flow control (a file
 * that ends before the length announced, having shrunk meanwhile, has its
 * connection aborted, logged). A directory is served by its index file;
 * listing it is off unless `allowListing`.
 *
 * `Range` follows Twisted ({@linkcode parseRange}). One range is answered
 * 206 with its `Content-Range`, or 416 with the file's size in
 * `Content-Range` if it starts past the end. Several are answered 206 as
 * `multipart/byteranges` (Twisted's `_doMultipleRangeRequest`): one part
 * per range, in the order asked, each with its `Content-type` and
 * `Content-range`, those past the end left out, and 416 if all are. A
 * malformed header is ignored (200 and the whole file; the log says so).
 * So that one response never costs much more than the file, a header of
 * more than 100 ranges, or of ranges that overlap so much they add up to
 * more bytes than the file has (`bytes=0-,0-`), is ignored as well, as RFC
 * 9110 §14.2 allows (Twisted has no bound).
 *
 * Nothing outside the root is ever served: a segment `.` or `..` or one
 * holding a slash, a backslash or a NUL after percent-decoding
 * (`%2e%2e`, `%2f`) gets 404, and so does a path whose real path (symbolic
 * links resolved) leaves the root's.
 *
 * @example Usage
 * ```ts
 * import { File, Site } from "@torsion/torsion/http";
 *
 * const site = new Site(new File("."));
 * site.resource !== null;
 * ```
 */
export class File extends Resource {
  /** The path served. */
  readonly path: string;
  #shared: Shared;

  /**
   * Creates the resource.
   *
   * @param path The file or directory.
   * @param options Content types, listing and the file access.
   */
  constructor(path: string, options: FileOptions = {}) {
    super();
    const fs = options.fileSystem ?? denoStaticFiles;
    this.path = path.length > 1 ? path.replace(/\/+$/, "") : path;
    this.#shared = {
      root: fs.realPath(this.path),
      options: {
        defaultType: options.defaultType ?? "text/html",
        allowListing: options.allowListing ?? false,
        indexNames: options.indexNames ?? ["index.html", "index.htm"],
        fileSystem: fs,
      },
    };
  }

  static #child(parent: File, path: string): File {
    const child = new File(path, {
      ...parent.#shared.options,
    });
    child.#shared = parent.#shared;
    return child;
  }

  #inside(path: string): boolean {
    const root = this.#shared.root;
    if (root === null) return false;
    const real = this.#shared.options.fileSystem.realPath(path);
    if (real === null) return false;
    return real === root ||
      real.startsWith(root.endsWith("/") ? root : root + "/");
  }

  /**
   * The file for a segment: 404 for anything that could leave the root.
   *
   * @param path The segment (percent-decoded).
   * @param _request The request.
   * @returns The child.
   */
  override getChild(path: string, _request: Request): Resource {
    const fs = this.#shared.options.fileSystem;
    const stat = fs.stat(this.path);
    if (stat === null || !stat.isDirectory) return new NoResource();
    if (path === "") {
      for (const name of this.#shared.options.indexNames) {
        const index = `${this.path}/${name}`;
        if (fs.stat(index)?.isFile && this.#inside(index)) {
          return File.#child(this, index);
        }
      }
      return this.#shared.options.allowListing
        ? new DirectoryLister(this.path, fs)
        : new ForbiddenResource();
    }
    if (
      path === "." || path === ".." || /[\/\\\0]/.test(path)
    ) {
      return new NoResource();
    }
    const child = `${this.path}/${path}`;
    if (!this.#inside(child)) return new NoResource();
    return File.#child(this, child);
  }

  /**
   * Serves the file (GET and HEAD).
   *
   * @param request The request.
   * @returns The body, or {@linkcode NOT_DONE_YET} while it streams.
   */
  renderGET(request: Request): RenderResult {
    const fs = this.#shared.options.fileSystem;
    if (!this.#inside(this.path)) return new NoResource().render(request);
    const stat = fs.stat(this.path);
    if (stat === null) return new NoResource().render(request);
    if (stat.isDirectory) {
      if (!request.path.endsWith("/")) {
        return redirectTo(request.path + "/", request);
      }
      return this.getChild("", request).render(request);
    }
    if (!stat.isFile) return new ForbiddenResource().render(request);
    const ext = /\.([^./]+)$/.exec(this.path)?.[1].toLowerCase() ?? "";
    const type = contentTypes[ext] ?? this.#shared.options.defaultType;
    request.setHeader("content-type", type);
    request.setHeader("accept-ranges", "bytes");
    const tag = `"${stat.size.toString(16)}-${
      Math.floor(stat.mtime * 1000).toString(16)
    }"`;
    if (request.setETag(tag) === CACHED) return "";
    if (request.setLastModified(stat.mtime) === CACHED) return "";
    let segments: _Segment[] = [{ head: EMPTY, offset: 0, length: stat.size }];
    const range = request.getHeader("range");
    if (range !== undefined) {
      const ranges = parseRange(range, stat.size);
      if (ranges === null) {
        log.msg(`Ignoring malformed Range header '${range}'`);
      } else if (ranges.length === 1) {
        const r = ranges[0];
        if (r === null) return _unsatisfiable(request, stat.size);
        const [start, end] = r;
        request.setResponseCode(206);
        request.setHeader(
          "content-range",
          `bytes ${start}-${end - 1}/${stat.size}`,
        );
        segments = [{ head: EMPTY, offset: start, length: end - start }];
      } else {
        const wanted = ranges.filter((r) => r !== null);
        const total = wanted.reduce((n, [start, end]) => n + end - start, 0);
        if (ranges.length > MAX_RANGES || total > stat.size) {
          log.msg(
            `Ignoring Range header of ${ranges.length} ranges, ${total} bytes of ${stat.size}`,
          );
        } else if (wanted.length === 0) {
          return _unsatisfiable(request, stat.size);
        } else {
          segments = _multipleRanges(request, wanted, type, stat.size);
        }
      }
    }
    const length = segments.reduce((n, g) => n + g.head.length + g.length, 0);
    request.setHeader("content-length", String(length));
    if (request.method === "HEAD" || length === 0) return "";
    let reader: StaticFileReader;
    try {
      reader = fs.open(this.path);
    } catch (e) {
      log.err(e, `Cannot open ${this.path}`);
      return new ForbiddenResource().render(request);
    }
    new FileProducer(request, reader, segments).start();
    return NOT_DONE_YET;
  }
}

/** A piece of a response: `head`, then `length` bytes of the file from `offset`. */
interface _Segment {
  head: Uint8Array;
  offset: number;
  length: number;
}

/** 416, with the file's size (Twisted's `_doSingleRangeRequest`). */
function _unsatisfiable(request: Request, size: number): string {
  request.setResponseCode(416);
  request.setHeader("content-range", `bytes */${size}`);
  request.responseHeaders.removeHeader("content-type");
  return "";
}

/**
 * The status, headers and pieces of a `multipart/byteranges` answer
 * (Twisted's `_doMultipleRangeRequest`): each range after its separator,
 * then the closing boundary.
 */
function _multipleRanges(
  request: Request,
  ranges: [number, number][],
  type: string,
  size: number,
): _Segment[] {
  const boundary = Array.from(
    crypto.getRandomValues(new Uint8Array(12)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const segments: _Segment[] = ranges.map(([start, end]) => ({
    head: encoder.encode(
      `\r\n--${boundary}\r\nContent-type: ${type}\r\nContent-range: bytes ${start}-${
        end - 1
      }/${size}\r\n\r\n`,
    ),
    offset: start,
    length: end - start,
  }));
  segments.push({
    head: encoder.encode(`\r\n--${boundary}--\r\n`),
    offset: 0,
    length: 0,
  });
  request.setResponseCode(206);
  request.setHeader(
    "content-type",
    `multipart/byteranges; boundary="${boundary}"`,
  );
  return segments;
}

/**
 * The ranges a `Range` header asks of a file of `size` bytes (Twisted's
 * `File._parseRangeHeader` and `_rangeToOffsetAndSize`): in the order
 * asked, each as `[start, end)` (`end` exclusive, cut at the end of the
 * file), or `null` where it starts past the end (or is `-0`).
 *
 * The header is `bytes=` and ranges separated by commas, with spaces or
 * tabs allowed around each part and empty ranges skipped: `first-last`,
 * `first-` (to the end) or `-suffix` (the last `suffix` bytes, the whole
 * file if it has fewer: unlike Twisted, whose start then goes negative).
 * Anything else is malformed, and the result `null`: another unit, no `=`,
 * a range without `-`, a bound that is not a number, neither bound, `first`
 * past `last`, or no range at all (where Twisted answers 416).
 *
 * @example Usage
 * ```ts
 * import { parseRange } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(parseRange("bytes=0-1, 5-6", 10), [[0, 2], [5, 7]]);
 * deepEqual(parseRange("bytes=-3,8-,20-30", 10), [[7, 10], [8, 10], null]);
 * deepEqual(parseRange("bytes=5-2", 10), null);
 * ```
 *
 * @param header The `Range` header's value.
 * @param size The file's size.
 * @returns The ranges, or `null` if the header is malformed.
 */
export function parseRange(
  header: string,
  size: number,
): ([number, number] | null)[] | null {
  const eq = header.indexOf("=");
  if (eq === -1 || header.slice(0, eq).trim() !== "bytes") return null;
  const out: ([number, number] | null)[] = [];
  for (const item of header.slice(eq + 1).split(",")) {
    const spec = item.trim();
    if (spec === "") continue;
    const dash = spec.indexOf("-");
    if (dash === -1) return null;
    const first = _bound(spec.slice(0, dash));
    const last = _bound(spec.slice(dash + 1));
    if (first === undefined || last === undefined) return null;
    if (first === null) {
      if (last === null) return null;
      out.push(
        last === 0 || size === 0 ? null : [Math.max(size - last, 0), size],
      );
    } else {
      if (last !== null && first > last) return null;
      out.push(
        first >= size
          ? null
          : [first, last === null ? size : Math.min(last + 1, size)],
      );
    }
  }
  return out.length === 0 ? null : out;
}

/** A range's bound: a number, `null` if empty, `undefined` if malformed. */
function _bound(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  return /^\d{1,15}$/.test(t) ? Number(t) : undefined;
}

const CHUNK = 65536;

/**
 * Streams segments of a file into a request (their heads, then their
 * bytes), paused and resumed by the transport.
 */
class FileProducer implements IPushProducer {
  #paused = false;
  #stopped = false;
  #reading = false;
  #closed = false;
  #segments: _Segment[];
  #index = 0;
  // Whether the current segment's head is sent (and the file is at it).
  #begun = false;
  #left = 0;
  #position = 0;

  constructor(
    readonly request: Request,
    readonly reader: StaticFileReader,
    segments: _Segment[],
  ) {
    this.#segments = segments;
  }

  start(): void {
    this.request.notifyFinish().addErrback(() => this.stopProducing());
    this.request.registerProducer(this, true);
    this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#reading) return;
    this.#reading = true;
    try {
      const segments = this.#segments;
      while (
        !this.#paused && !this.#stopped && this.#index < segments.length
      ) {
        const segment = segments[this.#index];
        if (!this.#begun) {
          this.#begun = true;
          this.#left = segment.length;
          if (segment.length > 0 && segment.offset !== this.#position) {
            this.reader.seek(segment.offset);
            this.#position = segment.offset;
          }
          if (segment.head.length > 0) this.request.write(segment.head);
          continue;
        }
        if (this.#left === 0) {
          this.#index++;
          this.#begun = false;
          continue;
        }
        const buf = new Uint8Array(Math.min(CHUNK, this.#left));
        const n = await this.reader.read(buf);
        if (this.#stopped) break;
        if (n === null || n === 0) {
          throw new Error(
            `Cannot serve a file: it ended at byte ${this.#position}, before the length announced`,
          );
        }
        this.#left -= n;
        this.#position += n;
        this.request.write(buf.subarray(0, n));
      }
      if (!this.#stopped && this.#index === segments.length) {
        this.#stopped = true;
        this.request.unregisterProducer();
        this.request.finish();
      }
    } catch (e) {
      if (!this.#stopped) {
        log.err(e, "Cannot read a file being served");
        this.stopProducing();
        this.request.transport?.abortConnection();
      }
    } finally {
      this.#reading = false;
      if (this.#stopped) this.#close();
    }
  }

  // Closes the file once no read is pending on it.
  #close(): void {
    if (this.#reading || this.#closed) return;
    this.#closed = true;
    this.reader.close();
  }

  pauseProducing(): void {
    this.#paused = true;
  }

  resumeProducing(): void {
    this.#paused = false;
    if (!this.#reading) this.#pump();
  }

  stopProducing(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#close();
  }
}

/** A directory's listing, as HTML (only with `allowListing`). */
class DirectoryLister extends Resource {
  override isLeaf = true;

  constructor(readonly path: string, readonly fs: StaticFileSystem) {
    super();
  }

  renderGET(request: Request): string {
    request.setHeader("content-type", "text/html; charset=utf-8");
    const title = escapeHtml(unquote(request.path));
    const items = this.fs.readDir(this.path).map((name) => {
      const dir = this.fs.stat(`${this.path}/${name}`)?.isDirectory ? "/" : "";
      return `<li><a href="${escapeHtml(encodeURIComponent(name))}${dir}">${
        escapeHtml(name)
      }${dir}</a></li>`;
    });
    return `<html><head><title>Directory listing for ${title}</title></head><body><h1>Directory listing for ${title}</h1><ul>${
      items.join("")
    }</ul></body></html>\n`;
  }
}
