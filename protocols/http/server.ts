// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Site} and {@linkcode HTTPChannel}: the HTTP/1.1 server, after
 * `twisted.web.server.Site` and `twisted.web.http.HTTPChannel`.
 *
 * @module
 */

import { Failure } from "../../defer/failure.ts";
import { defaultClock } from "../../reactor/default.ts";
import * as log from "../../defer/log.ts";
import { defineClockProperty } from "../../reactor/_clock_property.ts";
import { LogFile } from "../../reactor/application/log_file.ts";
import { ServerFactory } from "../../reactor/factory.ts";
import type {
  IAddress,
  IDelayedCall,
  IReactorTime,
} from "../../reactor/interfaces.ts";
import { Protocol } from "../../reactor/protocol.ts";
import {
  denoTemporaryFiles,
  type TemporaryFileSystem,
} from "../../reactor/backends/deno/deno_temporary_files.ts";
import type { Headers } from "./headers.ts";
import { HTTPParser } from "./_parser.ts";
import { Request, type RequestChannel, type RequestSite } from "./request.ts";
import { DEFAULT_SPOOL_SIZE } from "./request_content.ts";
import { getChildForRequest, type Resource } from "./resource.ts";
import { RESPONSES } from "./status.ts";

const encoder = new TextEncoder();
const CONTINUE_11 = encoder.encode("HTTP/1.1 100 Continue\r\n\r\n");
/** Bytes of pipelined requests buffered before reading pauses. */
const PIPELINE_HIGH = 65536;

/** Options of a {@linkcode Site}. */
export interface SiteOptions {
  /**
   * Seconds a connection may stay idle between requests (or between body
   * pieces) before it is closed; `null` for never.
   *
   * @default {60}
   */
  timeout?: number | null;
  /**
   * Seconds a client may take to send a request's header block once it
   * started (slow-header defence); `null` for never.
   *
   * @default {30}
   */
  headerTimeout?: number | null;
  /**
   * A file to append the access log to (combined log format); without it
   * the lines go to the log (`log.msg`).
   */
  logPath?: string;
  /** The largest request body, in bytes (413 beyond). @default {10485760} */
  maxBodySize?: number;
  /**
   * The request body size, in bytes, from which a body is written to a
   * temporary file rather than kept in memory (Twisted's 100000).
   *
   * @default {100000}
   */
  bodySpoolSize?: number;
  /**
   * Where the temporary files of large request bodies come from (a test
   * may give its own).
   *
   * @default {denoTemporaryFiles()}
   */
  temporaryFiles?: TemporaryFileSystem;
  /** The largest request header block, in bytes (431 beyond). @default {16384} */
  maxHeaderBytes?: number;
  /** The most request header fields (431 beyond). @default {100} */
  maxHeaders?: number;
}

const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function logDateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `[${p(d.getUTCDate())}/${
    MONTHS[d.getUTCMonth()]
  }/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${
    p(d.getUTCSeconds())
  } +0000]`;
}

function quote(s: string | undefined): string {
  return s === undefined ? "-" : s.replace(/["\\]/g, (c) => "\\" + c);
}

/**
 * Formats an access log line in the combined log format (Twisted's
 * `combinedLogFormatter`).
 *
 * @example Usage
 * ```ts
 * import { combinedLogFormatter, Request } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const request = new Request();
 * request.uri = "/x";
 * request.sentLength = 5;
 * equal(
 *   combinedLogFormatter("[01/Jan/2026:00:00:00 +0000]", request),
 *   '- - - [01/Jan/2026:00:00:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "-"',
 * );
 * ```
 *
 * @param timestamp The time, as `[dd/Mon/yyyy:hh:mm:ss +0000]`.
 * @param request The finished request.
 * @returns The line, without a newline.
 */
export function combinedLogFormatter(
  timestamp: string,
  request: Request,
): string {
  const peer = request.getClientAddress() as { host?: string } | null;
  const ip = peer?.host ?? "-";
  const length = request.sentLength > 0 ? String(request.sentLength) : "-";
  return `${ip} - - ${timestamp} "${quote(request.method)} ${
    quote(request.uri)
  } ${quote(request.clientproto)}" ${request.code} ${length} "${
    quote(request.getHeader("referer"))
  }" "${quote(request.getHeader("user-agent"))}"`;
}

/** None (shared, never changed). */
const NO_TOKENS: readonly string[] = [];

/** The lower-cased tokens of the `Connection` fields of `h`. */
function connectionTokens(h: Headers): readonly string[] {
  const values = h.getRawHeaders("connection");
  if (values === undefined) return NO_TOKENS;
  return values.flatMap((v) => v.toLowerCase().split(",").map((t) => t.trim()));
}

/**
 * The HTTP/1.1 server protocol (Twisted's `HTTPChannel`): parses requests
 * with a strict, bounded parser, hands each complete one to a
 * {@linkcode Request}, and answers pipelined requests in order, one at a
 * time (the ones behind wait in the parser's buffer; past 64 KiB the
 * connection stops reading until they are served). Malformed input gets
 * its status (400, 413, 431, 501, 505) and the connection is closed.
 * Made by a {@linkcode Site}.
 *
 * @example Usage
 * ```ts
 * import { Data, Site } from "@torsion/torsion/http";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { Failure } from "@torsion/torsion/defer";
 * import { ConnectionDone } from "@torsion/torsion/reactor";
 * import { match } from "node:assert/strict";
 *
 * const site = new Site(new Data("hi", "text/plain"));
 * const t = new StringTransport();
 * const channel = site.buildProtocol(t.getPeer());
 * channel.makeConnection(t);
 * channel.dataReceived(new TextEncoder().encode("BAD\r\n\r\n"));
 * match(t.valueText(), /^HTTP\/1.1 400 Bad Request\r\n/);
 * channel.connectionLost(new Failure(new ConnectionDone()));
 * ```
 */
export class HTTPChannel extends Protocol implements RequestChannel {
  /**
   * `false`: the transport lends its read buffer. The channel copies what
   * outlives {@linkcode HTTPChannel.dataReceived}: body chunks before
   * `Request.handleContentChunk` gets them (so they may be kept), and the
   * bytes of requests not parsed yet (pipelined behind a pending one).
   */
  readonly keepsReceivedData: boolean = false;
  /** The site that made this channel. */
  site: Site | null = null;
  #parser: HTTPParser | null = null;
  #current: Request | null = null;
  #receiving = false;
  #processing = false;
  #closed = false;
  #readingPaused = false;
  #timer: IDelayedCall | null = null;
  #timerKind: "idle" | "header" | null = null;
  #abortCall: IDelayedCall | null = null;
  /** Seconds to wait after a timeout's close before aborting. */
  abortTimeout = 15;

  #clock(): IReactorTime {
    return this.site?.clock ?? defaultClock();
  }

  /** Sets up the parser and starts the idle timeout. */
  override connectionMade(): void {
    const site = this.site;
    this.#parser = new HTTPParser({
      maxBodySize: site?.maxBodySize,
      maxHeaderBytes: site?.maxHeaderBytes,
      maxHeaders: site?.maxHeaders,
    });
    this.#arm();
  }

  /**
   * Parses the bytes and serves the requests completed.
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    if (this.#closed || this.#parser === null) return;
    const parser = this.#parser;
    parser.push(data);
    this.#process();
    // The rest waits for the request before it: a copy of its own.
    parser.own();
  }

  #process(): void {
    if (this.#processing) return;
    const parser = this.#parser!;
    this.#processing = true;
    try {
      while (!this.#closed && (this.#current === null || this.#receiving)) {
        const ev = parser.next();
        if (ev === null) break;
        if (ev.kind === "head") {
          const h = ev.head;
          const request = new Request(this);
          this.#current = request;
          this.#receiving = true;
          request.gotHead(h.method, h.target, h.version, h.headers);
          request.gotLength(typeof h.body === "number" ? h.body : null);
          if (h.expectContinue && h.version === "HTTP/1.1") {
            this.transport.write(CONTINUE_11);
          }
        } else if (ev.kind === "data") {
          try {
            this.#current!.handleContentChunk(ev.data.slice());
          } catch (e) {
            log.err(e, "Cannot store a request body");
            this.#error(500);
          }
        } else if (ev.kind === "end") {
          this.#receiving = false;
          this.#current!.requestReceived();
        } else {
          this.#error(ev.status);
        }
      }
      if (!this.#closed) {
        const waiting = this.#current !== null && !this.#receiving;
        if (
          waiting && parser.buffered > PIPELINE_HIGH && !this.#readingPaused
        ) {
          this.#readingPaused = true;
          this.transport.pauseProducing();
        } else if (!waiting && this.#readingPaused) {
          this.#readingPaused = false;
          this.transport.resumeProducing();
        }
      }
    } finally {
      this.#processing = false;
    }
    this.#arm();
  }

  #error(status: number): void {
    const phrase = RESPONSES[status] ?? "Error";
    const body = phrase + "\n";
    this.transport.write(
      `HTTP/1.1 ${status} ${phrase}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    if (this.#current !== null && this.#receiving) {
      this.#current.connectionLost(new Failure(new Error("Bad request")));
    }
    this.#current = null;
    this.#close();
  }

  #close(): void {
    this.#closed = true;
    this.#cancelTimer();
    this.transport.loseConnection();
  }

  // The timer the state asks for: none while a response is being made, the
  // header timeout from the first byte of a request's head until its end,
  // else the idle timeout, restarted by every read.
  #arm(): void {
    if (this.#closed) return;
    const site = this.site;
    let kind: "idle" | "header" | null;
    let seconds: number | null;
    if (this.#current !== null && !this.#receiving) {
      kind = null;
      seconds = null;
    } else if (this.#current === null && !this.#parser!.idle) {
      kind = "header";
      seconds = site?.headerTimeout ?? 30;
    } else {
      kind = "idle";
      seconds = site?.timeout ?? 60;
    }
    if (seconds === null) kind = null;
    if (kind === "header" && this.#timerKind === "header") return;
    if (kind === null) {
      this.#cancelTimer();
      return;
    }
    if (this.#timer !== null && this.#timer.active()) {
      this.#timer.reset(seconds!);
      this.#timerKind = kind;
      return;
    }
    this.#timerKind = kind;
    this.#timer = this.#clock().callLater(seconds!, () => this.#timedOut());
  }

  #cancelTimer(): void {
    if (this.#timer !== null && this.#timer.active()) this.#timer.cancel();
    this.#timer = null;
    this.#timerKind = null;
  }

  #timedOut(): void {
    const kind = this.#timerKind;
    this.#timer = null;
    this.#timerKind = null;
    if (this.#closed) return;
    log.msg(`Timing out client: ${describe(this.transport.getPeer())}`);
    if (kind === "header") {
      this.transport.write(
        "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
      );
    }
    this.#close();
    this.#abortCall = this.#clock().callLater(this.abortTimeout, () => {
      this.#abortCall = null;
      if (this.connected) {
        log.msg(
          `Forcibly timing out client: ${describe(this.transport.getPeer())}`,
        );
        this.transport.abortConnection();
      }
    });
  }

  /**
   * Whether the connection may carry another request after `request`:
   * HTTP/1.1 unless either side said `Connection: close`, HTTP/1.0 only
   * with `Connection: keep-alive` and a `Content-Length`.
   *
   * @param request The request being answered.
   * @returns Whether to keep the connection open.
   */
  checkPersistence(request: Request): boolean {
    const asked = connectionTokens(request.requestHeaders);
    const answered = connectionTokens(request.responseHeaders);
    if (asked.includes("close") || answered.includes("close")) return false;
    if (request.clientproto === "HTTP/1.1") return true;
    return asked.includes("keep-alive") &&
      (request.responseHeaders.hasHeader("content-length") ||
        request.method === "HEAD");
  }

  /**
   * Called by a {@linkcode Request} when its response is complete: closes
   * the connection or goes on with the next request.
   *
   * @param request The request.
   */
  requestDone(request: Request): void {
    if (request !== this.#current) return;
    this.#current = null;
    if (this.#closed) return;
    if (!request.startedWriting || !this.checkPersistence(request)) {
      this.#close();
      return;
    }
    if (!this.#processing) this.#process();
  }

  /**
   * Stops the timers and tells an unfinished request.
   *
   * @param reason Why.
   */
  override connectionLost(reason: Failure): void {
    this.#closed = true;
    this.#cancelTimer();
    if (this.#abortCall !== null && this.#abortCall.active()) {
      this.#abortCall.cancel();
    }
    this.#abortCall = null;
    const current = this.#current;
    this.#current = null;
    if (current !== null && !current.finished) current.connectionLost(reason);
  }
}

function describe(address: IAddress): string {
  const a = address as { host?: string; port?: number };
  return a.host !== undefined ? `${a.host}:${a.port}` : address.type;
}

/**
 * The HTTP server factory (Twisted's `Site`): serves a tree of
 * {@linkcode Resource}s from `resource`, with timeouts, size limits and an
 * access log in the combined log format.
 *
 * `clock` (the default reactor unless set) runs the timeouts: a test sets a
 * `Clock`. A request body of `bodySpoolSize` bytes or more (100000) goes
 * to a temporary file from `temporaryFiles` (the system's temporary
 * directory, which needs `--allow-read` and `--allow-write`; without them
 * such bodies stay in memory, and the log says so).
 *
 * @example Usage
 * ```ts
 * import { Data, Resource, Site } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * const root = new Resource();
 * root.putChild("hello", new Data("hello", "text/plain"));
 * const site = new Site(root, { timeout: 30 });
 * const port = reactor.listenTCP(0, site, { interface: "127.0.0.1" });
 * await port.stopListening();
 * ```
 */
export class Site extends ServerFactory implements RequestSite {
  /** The root of the resource tree. */
  resource: Resource | null;
  /** Idle seconds before a connection is closed (`null`: never). */
  timeout: number | null;
  /** Seconds a request's header block may take (`null`: never). */
  headerTimeout: number | null;
  /** The largest request body, in bytes. */
  maxBodySize: number;
  /** The body size from which a request body goes to a temporary file. */
  bodySpoolSize: number;
  /** Where the temporary files of request bodies come from. */
  temporaryFiles: TemporaryFileSystem;
  /** The largest request header block, in bytes. */
  maxHeaderBytes: number;
  /** The most request header fields. */
  maxHeaders: number;
  /** Whether 500 pages show the stack trace (only for debugging). */
  displayTracebacks = false;
  /** The access log file, if any. */
  readonly logPath: string | null;
  /** Formats the access log lines. */
  logFormatter: (timestamp: string, request: Request) => string =
    combinedLogFormatter;
  /** The clock of the timeouts: the default reactor unless set. */
  declare clock: IReactorTime;
  #logFile: LogFile | null = null;

  /**
   * Creates a site.
   *
   * @param resource The root resource.
   * @param options Timeouts, limits and the access log.
   */
  constructor(resource: Resource | null, options: SiteOptions = {}) {
    super();
    this.resource = resource;
    this.timeout = options.timeout === undefined ? 60 : options.timeout;
    this.headerTimeout = options.headerTimeout === undefined
      ? 30
      : options.headerTimeout;
    this.logPath = options.logPath ?? null;
    this.maxBodySize = options.maxBodySize ?? 10 * 1024 * 1024;
    this.bodySpoolSize = options.bodySpoolSize ?? DEFAULT_SPOOL_SIZE;
    this.temporaryFiles = options.temporaryFiles ?? denoTemporaryFiles();
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16384;
    this.maxHeaders = options.maxHeaders ?? 100;
    this.noisy = false;
  }

  /**
   * Makes an {@linkcode HTTPChannel}.
   *
   * @param _addr The peer.
   * @returns The channel.
   */
  override buildProtocol(_addr: IAddress): HTTPChannel {
    const channel = new HTTPChannel();
    channel.site = this;
    channel.factory = this;
    return channel;
  }

  /** Opens the access log file, if any. */
  override startFactory(): void {
    if (this.logPath !== null) {
      this.#logFile = LogFile.fromFullPath(this.logPath);
    }
  }

  /** Closes the access log file. */
  override stopFactory(): void {
    this.#logFile?.close();
    this.#logFile = null;
  }

  /**
   * Finds the resource for a request (Twisted's `getResourceFor`).
   *
   * @param request The request, its `postpath` set.
   * @returns The resource.
   */
  getResourceFor(request: Request): Resource {
    request.site = this;
    request.sitepath = request.prepath.slice();
    if (this.resource === null) throw new Error("The site has no resource");
    return getChildForRequest(this.resource, request);
  }

  /**
   * Writes a request's access log line.
   *
   * @param request The finished request.
   */
  log(request: Request): void {
    const line = this.logFormatter(logDateTime(Date.now() / 1000), request);
    if (this.#logFile !== null) this.#logFile.write(line + "\n");
    else log.msg(line, { system: "HTTP" });
  }
}

defineClockProperty(Site.prototype);
