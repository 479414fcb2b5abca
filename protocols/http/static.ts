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
 * Serves a file, or a directory tree, from the file system (Twisted's
 * `static.File`): content types from the extension, `Range` requests (one
 * range; several are answered with the whole file), `ETag` and
 * `Last-Modified` with `If-None-Match` and `If-Modified-Since` (304), and
 * the file streamed with the connection's flow control. A directory is
 * served by its index file; listing it is off unless `allowListing`.
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
    request.setHeader(
      "content-type",
      contentTypes[ext] ?? this.#shared.options.defaultType,
    );
    request.setHeader("accept-ranges", "bytes");
    const tag = `"${stat.size.toString(16)}-${
      Math.floor(stat.mtime * 1000).toString(16)
    }"`;
    if (request.setETag(tag) === CACHED) return "";
    if (request.setLastModified(stat.mtime) === CACHED) return "";
    let start = 0;
    let end = stat.size; // Exclusive.
    const range = request.getHeader("range");
    if (range !== undefined) {
      const r = parseRange(range, stat.size);
      if (r === "unsatisfiable") {
        request.setResponseCode(416);
        request.setHeader("content-range", `bytes */${stat.size}`);
        request.responseHeaders.removeHeader("content-type");
        return "";
      }
      if (r !== null) {
        [start, end] = r;
        request.setResponseCode(206);
        request.setHeader(
          "content-range",
          `bytes ${start}-${end - 1}/${stat.size}`,
        );
      }
    }
    request.setHeader("content-length", String(end - start));
    if (request.method === "HEAD" || end === start) return "";
    let reader: StaticFileReader;
    try {
      reader = fs.open(this.path);
      if (start > 0) reader.seek(start);
    } catch (e) {
      log.err(e, `Cannot open ${this.path}`);
      return new ForbiddenResource().render(request);
    }
    new FileProducer(request, reader, end - start).start();
    return NOT_DONE_YET;
  }
}

/**
 * `[start, end)` of a `Range: bytes=…` header, `null` to ignore it (not
 * bytes, malformed, or several ranges), or `"unsatisfiable"`.
 */
export function parseRange(
  header: string,
  size: number,
): [number, number] | null | "unsatisfiable" {
  const m = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header);
  if (m === null || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const n = Math.min(Number(m[2]), size);
    if (n === 0) return "unsatisfiable";
    return [size - n, size];
  }
  const start = Number(m[1]);
  const last = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return null;
  if (start >= size) return "unsatisfiable";
  return [start, last + 1];
}

const CHUNK = 65536;

/** Streams a file into a request, paused and resumed by the transport. */
class FileProducer implements IPushProducer {
  #paused = false;
  #stopped = false;
  #reading = false;
  #closed = false;
  #left: number;

  constructor(
    readonly request: Request,
    readonly reader: StaticFileReader,
    length: number,
  ) {
    this.#left = length;
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
      while (!this.#paused && !this.#stopped && this.#left > 0) {
        const buf = new Uint8Array(Math.min(CHUNK, this.#left));
        const n = await this.reader.read(buf);
        if (this.#stopped) break;
        if (n === null || n === 0) {
          this.#left = 0;
          break;
        }
        this.#left -= n;
        this.request.write(buf.subarray(0, n));
      }
      if (!this.#stopped && this.#left === 0) {
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
