// Copyright 2026 the Torsion authors. MIT license.
/**
 * The HTTP/1.1 client, after `twisted.web.client`: {@linkcode Agent},
 * {@linkcode HTTPConnectionPool}, {@linkcode readBody},
 * {@linkcode RedirectAgent} and the seeds' {@linkcode getPage}.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { Failure } from "../../defer/failure.ts";
import { ClientCreator } from "../../reactor/client_creator.ts";
import { getReactor } from "../../reactor/default.ts";
import {
  type IOpenSSLClientConnectionCreator,
  optionsForClientTLS,
  type PemSource,
} from "../../reactor/ssl.ts";
import type {
  IConsumer,
  IDelayedCall,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IReactorTCP,
  IReactorTime,
  ITCPTransport,
} from "../../reactor/interfaces.ts";
import { Protocol } from "../../reactor/protocol.ts";
import { HTTPParser, isToken, type MessageHead } from "./_parser.ts";
import { Headers } from "./headers.ts";
import { RESPONSES } from "./status.ts";

const encoder = new TextEncoder();

/** What an {@linkcode Agent} needs of a reactor: TCP and time. */
export type AgentReactor = IReactorTCP & IReactorTime;

/**
 * The body of a response was read to its end: the reason a
 * {@linkcode Response.deliverBody} protocol's `connectionLost` gets
 * (Twisted's `ResponseDone`).
 *
 * @example Usage
 * ```ts
 * import { ResponseDone } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ResponseDone().name, "ResponseDone");
 * ```
 */
export class ResponseDone extends Error {
  /** Creates the error. */
  constructor() {
    super("Response body fully received");
    this.name = "ResponseDone";
  }
}

/**
 * The request or response failed: the connection was lost, or the response
 * was malformed (Twisted's `ResponseFailed`); `reasons` says why.
 *
 * @example Usage
 * ```ts
 * import { ResponseFailed } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ResponseFailed([new Error("x")]).reasons.length, 1);
 * ```
 */
export class ResponseFailed extends Error {
  /** The underlying errors. */
  readonly reasons: unknown[];

  /**
   * Creates the error.
   *
   * @param reasons The underlying errors.
   */
  constructor(reasons: unknown[]) {
    super(
      `Response failed: ${
        reasons.map((r) =>
          r instanceof Failure
            ? r.getErrorMessage()
            : r instanceof Error
            ? r.message
            : String(r)
        ).join("; ")
      }`,
    );
    this.name = "ResponseFailed";
    this.reasons = reasons;
  }
}

/**
 * An HTTP error status, the errback of {@linkcode getPage} for 4xx and 5xx
 * answers (Twisted's `twisted.web.error.Error`).
 *
 * @example Usage
 * ```ts
 * import { WebError } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const e = new WebError(404);
 * equal(e.message, "404 Not Found");
 * ```
 */
export class WebError extends Error {
  /** The status code. */
  readonly status: number;
  /** The response body, if read. */
  readonly response: Uint8Array | null;

  /**
   * Creates the error.
   *
   * @param status The status code.
   * @param message The reason phrase (the standard one by default).
   * @param response The body.
   */
  constructor(
    status: number,
    message?: string,
    response: Uint8Array | null = null,
  ) {
    super(`${status} ${message ?? RESPONSES[status] ?? "Unknown Status"}`);
    this.name = "WebError";
    this.status = status;
    this.response = response;
  }
}

/**
 * A request body that an {@linkcode Agent} sends (Twisted's
 * `IBodyProducer`): its length (`"unknown"` sends it chunked), and
 * `startProducing(consumer)` whose Deferred fires once it has written all.
 */
export interface IBodyProducer extends IPushProducer {
  /** The length in bytes, or `"unknown"`. */
  readonly length: number | "unknown";
  /**
   * Writes the body to `consumer`.
   *
   * @param consumer Where to write.
   * @returns A Deferred that fires when all is written.
   */
  startProducing(consumer: IConsumer): Deferred<void>;
}

/**
 * A request body from bytes in memory (Twisted's `FileBodyProducer` over a
 * `BytesIO`).
 *
 * @example Usage
 * ```ts
 * import { BytesBodyProducer } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(new BytesBodyProducer("abc").length, 3);
 * ```
 */
export class BytesBodyProducer implements IBodyProducer {
  /** The body. */
  readonly body: Uint8Array;
  /** Its length. */
  readonly length: number;

  /**
   * Creates the producer.
   *
   * @param body The body (a string as UTF-8).
   */
  constructor(body: Uint8Array | string) {
    this.body = typeof body === "string" ? encoder.encode(body) : body;
    this.length = this.body.length;
  }

  /**
   * Writes the body at once.
   *
   * @param consumer Where to write.
   * @returns A fired Deferred.
   */
  startProducing(consumer: IConsumer): Deferred<void> {
    consumer.write(this.body);
    const d = new Deferred<void>();
    d.callback(undefined);
    return d;
  }

  /** Nothing to pause. */
  pauseProducing(): void {}
  /** Nothing to resume. */
  resumeProducing(): void {}
  /** Nothing to stop. */
  stopProducing(): void {}
}

/**
 * An HTTP response (Twisted's `IResponse`): status and headers at once,
 * the body through {@linkcode Response.deliverBody}.
 *
 * @example Usage
 * ```ts
 * import { Agent, readBody } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * const agent = new Agent(reactor);
 * // agent.request("GET", "http://127.0.0.1:8080/").addCallback(readBody)
 * agent.pool.closeCachedConnections();
 * ```
 */
export class Response {
  /** The protocol version, as `["HTTP", 1, 1]`. */
  readonly version: [string, number, number];
  /** The status code. */
  readonly code: number;
  /** The reason phrase. */
  readonly phrase: string;
  /** The header fields. */
  readonly headers: Headers;
  /** The body's length if known, else `"unknown"`. */
  readonly length: number | "unknown";
  /** The response before a redirect (set by {@linkcode RedirectAgent}). */
  previousResponse: Response | null = null;
  #buffered: Uint8Array[] = [];
  #ended: Failure | null = null;
  #protocol: IProtocol | null = null;
  #transport: ITCPTransport | null;

  /**
   * Creates a response (done by the client protocol).
   *
   * @param head The parsed head.
   * @param transport The connection, to pause and abort.
   */
  constructor(head: MessageHead, transport: ITCPTransport | null = null) {
    const m = /^HTTP\/(\d)\.(\d)$/.exec(head.version);
    this.version = ["HTTP", Number(m?.[1] ?? 1), Number(m?.[2] ?? 1)];
    this.code = head.code;
    this.phrase = head.phrase;
    this.headers = new Headers();
    for (const [name, value] of head.headers) {
      this.headers.addRawHeader(name, value);
    }
    this.length = typeof head.body === "number" ? head.body : "unknown";
    this.#transport = transport;
  }

  /**
   * Delivers the body to `protocol`: `makeConnection` (with a transport
   * that pauses, resumes or aborts the connection), `dataReceived` for each
   * piece, then `connectionLost` with {@linkcode ResponseDone}, or
   * {@linkcode ResponseFailed} if the connection was lost first.
   *
   * @param protocol The receiver.
   * @throws {Error} If called twice.
   */
  deliverBody(protocol: IProtocol): void {
    if (this.#protocol !== null) {
      throw new Error("Response.deliverBody called twice");
    }
    this.#protocol = protocol;
    protocol.makeConnection(this.#bodyTransport());
    const buffered = this.#buffered;
    this.#buffered = [];
    for (const data of buffered) protocol.dataReceived(data);
    if (this.#ended !== null) protocol.connectionLost(this.#ended);
  }

  #bodyTransport(): ITCPTransport {
    const t = this.#transport;
    // The body's transport: the connection's, with writing left out.
    return new Proxy({} as ITCPTransport, {
      get: (_target, key) => {
        if (key === "stopProducing" || key === "abortConnection") {
          return () => t?.abortConnection();
        }
        if (key === "write" || key === "writeSequence") return () => {};
        const v = t === null ? undefined : Reflect.get(t, key);
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
  }

  /** @internal Body bytes from the connection. */
  _data(data: Uint8Array): void {
    if (this.#protocol !== null) this.#protocol.dataReceived(data);
    else this.#buffered.push(data);
  }

  /** @internal The end of the body, or why it did not come. */
  _end(reason: Failure): void {
    if (this.#ended !== null) return;
    this.#ended = reason;
    if (this.#protocol !== null) this.#protocol.connectionLost(reason);
  }
}

interface PendingRequest {
  method: string;
  head: Uint8Array;
  body: IBodyProducer | null;
  deferred: Deferred<Response>;
}

/**
 * One HTTP/1.1 client connection: sends a request, parses its response
 * (Twisted's `HTTP11ClientProtocol`). Made by an
 * {@linkcode HTTPConnectionPool}.
 *
 * @example Usage
 * ```ts
 * import { HTTP11ClientProtocol } from "@torsion/torsion/http";
 *
 * new HTTP11ClientProtocol();
 * ```
 */
export class HTTP11ClientProtocol extends Protocol {
  #parser = new HTTPParser({
    type: "response",
    maxBodySize: Number.MAX_SAFE_INTEGER,
  });
  #pending: PendingRequest | null = null;
  #response: Response | null = null;
  #persistent = false;
  #lost = false;
  /** Called when the connection can take another request (set by the pool). */
  onIdle: ((protocol: HTTP11ClientProtocol) => void) | null = null;

  /** Whether the connection is gone. */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Sends a request.
   *
   * @param method The method.
   * @param target The request target (`/path?query`).
   * @param headers The header fields (with `Host`).
   * @param body The body, if any.
   * @returns A Deferred of the response, when its head has arrived.
   */
  request(
    method: string,
    target: string,
    headers: Headers,
    body: IBodyProducer | null,
  ): Deferred<Response> {
    const deferred = new Deferred<Response>();
    if (this.#pending !== null || this.#lost) {
      deferred.errback(
        new Error("Cannot send a request: the connection is busy or lost"),
      );
      return deferred;
    }
    let head = `${method} ${target} HTTP/1.1\r\n`;
    for (const [name, values] of headers.getAllRawHeaders()) {
      for (const v of values) head += `${name}: ${v}\r\n`;
    }
    if (body !== null) {
      head += body.length === "unknown"
        ? "Transfer-Encoding: chunked\r\n"
        : `Content-Length: ${body.length}\r\n`;
    }
    const connection = headers.getFirst("connection")?.toLowerCase();
    this.#persistent = connection !== "close";
    this.#pending = {
      method,
      head: encoder.encode(head + "\r\n"),
      body,
      deferred,
    };
    if (method === "HEAD") this.#parser.expectNoBody();
    this.transport.write(this.#pending.head);
    if (body !== null) this.#sendBody(body);
    return deferred;
  }

  #sendBody(body: IBodyProducer): void {
    const transport = this.transport;
    const chunked = body.length === "unknown";
    const consumer: IConsumer = {
      write: (data) => {
        const bytes = typeof data === "string" ? encoder.encode(data) : data;
        if (bytes.length === 0) return;
        if (chunked) {
          transport.writeSequence([
            encoder.encode(bytes.length.toString(16) + "\r\n"),
            bytes,
            encoder.encode("\r\n"),
          ]);
        } else {
          transport.write(bytes);
        }
      },
      registerProducer: (
        producer: IPushProducer | IPullProducer,
        streaming: boolean,
      ) => transport.registerProducer(producer, streaming),
      unregisterProducer: () => transport.unregisterProducer(),
    };
    body.startProducing(consumer).addCallbacks(() => {
      if (chunked) transport.write("0\r\n\r\n");
    }, (f) => {
      this.#fail(f);
      transport.abortConnection();
    });
  }

  /**
   * Parses response bytes.
   *
   * @param data The bytes.
   */
  override dataReceived(data: Uint8Array): void {
    this.#parser.push(data);
    this.#drain();
  }

  #drain(): void {
    for (let ev; (ev = this.#parser.next()) !== null;) {
      if (ev.kind === "head") {
        if (ev.head.code < 200) continue; // 100 Continue and the like.
        const pending = this.#pending;
        if (pending === null) {
          this.transport.abortConnection();
          return;
        }
        const connection = ev.head.headers.filter(([n]) =>
          n.toLowerCase() === "connection"
        ).map(([, v]) => v.toLowerCase()).join(",");
        if (
          connection.includes("close") || ev.head.body === "close" ||
          (ev.head.version === "HTTP/1.0" && !connection.includes("keep-alive"))
        ) {
          this.#persistent = false;
        }
        const response = new Response(ev.head, this.transport);
        this.#response = response;
        pending.deferred.callback(response);
      } else if (ev.kind === "data") {
        this.#response?._data(ev.data);
      } else if (ev.kind === "end") {
        const response = this.#response;
        if (response === null) continue; // The end of a 1xx.
        this.#response = null;
        this.#pending = null;
        response._end(new Failure(new ResponseDone()));
        if (!this.#persistent) this.transport.loseConnection();
        else this.onIdle?.(this);
      } else {
        this.#fail(
          new Failure(new Error(`Malformed response (${ev.reason})`)),
        );
        this.transport.abortConnection();
        return;
      }
    }
  }

  #fail(reason: Failure): void {
    const failure = new Failure(new ResponseFailed([reason]));
    const pending = this.#pending;
    const response = this.#response;
    this.#pending = null;
    this.#response = null;
    if (response !== null) response._end(failure);
    else if (pending !== null && !pending.deferred.called) {
      pending.deferred.errback(failure);
    }
  }

  /**
   * Ends a body read until the close, or fails what is pending.
   *
   * @param reason Why.
   */
  override connectionLost(reason: Failure): void {
    this.#lost = true;
    if (this.#response !== null || this.#pending !== null) {
      this.#parser.pushEof();
      this.#drain();
    }
    if (this.#response !== null || this.#pending !== null) this.#fail(reason);
  }
}

/** Options of an {@linkcode HTTPConnectionPool}. */
export interface HTTPConnectionPoolOptions {
  /** Whether to keep connections open between requests. @default {true} */
  persistent?: boolean;
}

/**
 * Keeps HTTP connections for reuse (Twisted's `HTTPConnectionPool`): at
 * most {@linkcode HTTPConnectionPool.maxPersistentPerHost} idle connections
 * per host, each closed after
 * {@linkcode HTTPConnectionPool.cachedConnectionTimeout} idle seconds.
 *
 * @example Usage
 * ```ts
 * import { Agent, HTTPConnectionPool } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * const pool = new HTTPConnectionPool(reactor);
 * pool.maxPersistentPerHost = 4;
 * const agent = new Agent(reactor, { pool });
 * await pool.closeCachedConnections();
 * agent.pool === pool;
 * ```
 */
export class HTTPConnectionPool {
  /** Whether connections are kept open between requests. */
  readonly persistent: boolean;
  /** The most idle connections kept per host. */
  maxPersistentPerHost = 2;
  /** Seconds an idle connection is kept. */
  cachedConnectionTimeout = 240;
  readonly #reactor: AgentReactor;
  #idle = new Map<
    string,
    { protocol: HTTP11ClientProtocol; timer: IDelayedCall }[]
  >();

  /**
   * Creates a pool.
   *
   * @param reactor The reactor to connect with.
   * @param options Whether connections persist.
   */
  constructor(reactor: AgentReactor, options: HTTPConnectionPoolOptions = {}) {
    this.#reactor = reactor;
    this.persistent = options.persistent ?? true;
  }

  /**
   * A connection to `host:port`: an idle one, or a new one.
   *
   * @param host The host.
   * @param port The port.
   * @param timeout Seconds to connect.
   * @param tls The TLS client context for an `https:` connection; `null`
   *   for plain HTTP.
   * @returns A Deferred of the connected protocol.
   */
  getConnection(
    host: string,
    port: number,
    timeout = 30,
    tls: IOpenSSLClientConnectionCreator | null = null,
  ): Deferred<HTTP11ClientProtocol> {
    const key = `${tls === null ? "http" : "https"}://${host}:${port}`;
    const idle = this.#idle.get(key);
    while (idle !== undefined && idle.length > 0) {
      const { protocol, timer } = idle.pop()!;
      if (timer.active()) timer.cancel();
      if (!protocol.lost) {
        const d = new Deferred<HTTP11ClientProtocol>();
        d.callback(protocol);
        return d;
      }
    }
    // ClientCreator's type asks for UNIX sockets too; only connectTCP and
    // connectSSL are used.
    const creator = new ClientCreator(
      this.#reactor as never,
      HTTP11ClientProtocol,
    );
    const connected = tls === null
      ? creator.connectTCP(host, port, { timeout })
      : creator.connectSSL(host, port, tls, { timeout });
    return connected.addCallback(
      (protocol) => {
        protocol.onIdle = (p) => this.#release(key, p);
        return protocol;
      },
    );
  }

  #release(key: string, protocol: HTTP11ClientProtocol): void {
    let idle = this.#idle.get(key);
    if (idle === undefined) this.#idle.set(key, idle = []);
    if (!this.persistent || idle.length >= this.maxPersistentPerHost) {
      protocol.transport.loseConnection();
      return;
    }
    const entry = {
      protocol,
      timer: this.#reactor.callLater(this.cachedConnectionTimeout, () => {
        const list = this.#idle.get(key);
        const i = list?.indexOf(entry) ?? -1;
        if (i !== -1) list!.splice(i, 1);
        protocol.transport.loseConnection();
      }),
    };
    idle.push(entry);
  }

  /**
   * Closes the idle connections.
   *
   * @returns A Deferred that fires once they are closed.
   */
  closeCachedConnections(): Deferred<void> {
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    const waits: Promise<unknown>[] = [];
    for (const { protocol, timer } of all) {
      if (timer.active()) timer.cancel();
      if (protocol.lost) continue;
      const { promise, resolve } = Promise.withResolvers<void>();
      const lost = protocol.connectionLost.bind(protocol);
      protocol.connectionLost = (reason) => {
        lost(reason);
        resolve();
      };
      protocol.transport.loseConnection();
      waits.push(promise);
    }
    return Deferred.fromPromise(Promise.all(waits).then(() => {}));
  }
}

/** Options of an {@linkcode Agent}. */
export interface AgentOptions {
  /** The connection pool (a non-persistent one by default, as Twisted's). */
  pool?: HTTPConnectionPool;
  /** Seconds to connect. @default {30} */
  connectTimeout?: number;
  /**
   * The TLS client context of each `https:` host (Twisted's
   * `contextFactory`).
   *
   * @default {new BrowserLikePolicyForHTTPS()}
   */
  contextFactory?: IPolicyForHTTPS;
}

/**
 * Chooses the TLS client context of an `https:` connection (Twisted's
 * `IPolicyForHTTPS`).
 */
export interface IPolicyForHTTPS {
  /**
   * The context for a connection to `hostname:port`.
   *
   * @param hostname The URL's host.
   * @param port The port.
   * @returns The client context.
   */
  creatorForNetloc(
    hostname: string,
    port: number,
  ): IOpenSSLClientConnectionCreator;
}

/**
 * Verifies HTTPS servers as a browser does (Twisted's
 * `BrowserLikePolicyForHTTPS`): the certificate must be valid for the URL's
 * host name and chain to `trustRoot` (default: the platform's roots).
 *
 * @example Usage
 * ```ts
 * import { BrowserLikePolicyForHTTPS } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const policy = new BrowserLikePolicyForHTTPS({ path: "ca.pem" });
 * const ctx = policy.creatorForNetloc("localhost", 8443);
 * equal(ctx.clientTLSConfig("127.0.0.1").hostname, "localhost");
 * ```
 */
export class BrowserLikePolicyForHTTPS implements IPolicyForHTTPS {
  /** The roots trusted (`undefined`: the platform's). */
  readonly trustRoot: PemSource | readonly PemSource[] | undefined;

  /**
   * Creates the policy.
   *
   * @param trustRoot The roots to trust instead of the platform's.
   */
  constructor(trustRoot?: PemSource | readonly PemSource[]) {
    this.trustRoot = trustRoot;
  }

  /**
   * A context that verifies `hostname`.
   *
   * @param hostname The URL's host.
   * @param _port The port (not used).
   * @returns The client context.
   */
  creatorForNetloc(
    hostname: string,
    _port: number,
  ): IOpenSSLClientConnectionCreator {
    return optionsForClientTLS(
      hostname,
      this.trustRoot === undefined ? {} : { trustRoot: this.trustRoot },
    );
  }
}

/**
 * Makes HTTP requests (Twisted's `Agent`). `request` returns a Deferred of
 * the {@linkcode Response} once its head has arrived; read the body with
 * {@linkcode readBody} or {@linkcode Response.deliverBody}. `https:` URLs
 * go over TLS, the server verified by the `contextFactory` (by default its
 * certificate must be valid for the URL's host and chain to the platform's
 * roots).
 *
 * @example Usage
 * ```ts
 * import { Agent, Data, readBody, Site } from "@torsion/torsion/http";
 * import { type IPv4Address, reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const port = reactor.listenTCP(0, new Site(new Data("hi", "text/plain")), {
 *   interface: "127.0.0.1",
 * });
 * const url = `http://127.0.0.1:${(port.getHost() as IPv4Address).port}/`;
 * const running = reactor.run({ installSignalHandlers: false });
 * const body = await new Agent(reactor).request("GET", url).addCallback(readBody);
 * equal(new TextDecoder().decode(body), "hi");
 * await port.stopListening();
 * reactor.stop();
 * await running;
 * ```
 */
export class Agent {
  /** The connection pool. */
  readonly pool: HTTPConnectionPool;
  /** Seconds to connect. */
  connectTimeout: number;
  /** The TLS client context of each `https:` host. */
  contextFactory: IPolicyForHTTPS;

  /**
   * Creates an agent.
   *
   * @param reactor The reactor.
   * @param options The pool and the connect timeout.
   */
  constructor(reactor: AgentReactor, options: AgentOptions = {}) {
    this.pool = options.pool ??
      new HTTPConnectionPool(reactor, { persistent: false });
    this.connectTimeout = options.connectTimeout ?? 30;
    this.contextFactory = options.contextFactory ??
      new BrowserLikePolicyForHTTPS();
  }

  /**
   * Sends a request.
   *
   * @param method The method.
   * @param uri An `http:` URL.
   * @param headers Header fields (`Host` is added).
   * @param bodyProducer The body, if any.
   * @returns A Deferred of the response.
   */
  request(
    method: string,
    uri: string,
    headers: Headers | null = null,
    bodyProducer: IBodyProducer | null = null,
  ): Deferred<Response> {
    let url: URL;
    try {
      url = new URL(uri);
      if (!isToken(method)) throw new TypeError(`Invalid method: ${method}`);
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new TypeError(
          `Cannot request ${uri}: unsupported scheme ${url.protocol} (expected http: or https:)`,
        );
      }
    } catch (e) {
      const d = new Deferred<Response>();
      d.errback(e);
      return d;
    }
    const h = headers?.copy() ?? new Headers();
    if (!h.hasHeader("host")) h.setRawHeaders("host", [url.host]);
    if (!this.pool.persistent) h.setRawHeaders("connection", ["close"]);
    if (!h.hasHeader("user-agent")) {
      h.setRawHeaders("user-agent", ["Torsion"]);
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const secure = url.protocol === "https:";
    const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
    let tls: IOpenSSLClientConnectionCreator | null = null;
    if (secure) {
      try {
        tls = this.contextFactory.creatorForNetloc(host, port);
      } catch (e) {
        const d = new Deferred<Response>();
        d.errback(e);
        return d;
      }
    }
    return this.pool.getConnection(host, port, this.connectTimeout, tls)
      .addCallback((protocol) =>
        protocol.request(
          method,
          url.pathname + url.search,
          h,
          bodyProducer,
        )
      );
  }
}

/** What {@linkcode RedirectAgent} wraps. */
export interface IAgent {
  /** Sends a request; see {@linkcode Agent.request}. */
  request(
    method: string,
    uri: string,
    headers?: Headers | null,
    bodyProducer?: IBodyProducer | null,
  ): Deferred<Response>;
}

/**
 * Follows redirects (Twisted's `RedirectAgent`): 301, 302, 307 and 308 for
 * GET and HEAD, 303 for any method (as a GET), up to `redirectLimit`;
 * other methods get the redirect response itself.
 *
 * @example Usage
 * ```ts
 * import { Agent, RedirectAgent } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * const agent = new RedirectAgent(new Agent(reactor), 5);
 * agent.redirectLimit === 5;
 * ```
 */
export class RedirectAgent implements IAgent {
  /** The wrapped agent. */
  readonly agent: IAgent;
  /** The most redirects followed. */
  redirectLimit: number;

  /**
   * Creates the agent.
   *
   * @param agent The agent that sends the requests.
   * @param redirectLimit The most redirects followed.
   */
  constructor(agent: IAgent, redirectLimit = 20) {
    this.agent = agent;
    this.redirectLimit = redirectLimit;
  }

  /**
   * Sends a request and follows its redirects.
   *
   * @param method The method.
   * @param uri The URL.
   * @param headers Header fields.
   * @param bodyProducer The body, if any.
   * @returns A Deferred of the last response.
   */
  request(
    method: string,
    uri: string,
    headers: Headers | null = null,
    bodyProducer: IBodyProducer | null = null,
  ): Deferred<Response> {
    return this.#follow(method, uri, headers, bodyProducer, 0, null);
  }

  #follow(
    method: string,
    uri: string,
    headers: Headers | null,
    body: IBodyProducer | null,
    count: number,
    previous: Response | null,
  ): Deferred<Response> {
    return this.agent.request(method, uri, headers, body).addCallback(
      (response): Response | Deferred<Response> => {
        response.previousResponse = previous;
        const code = response.code;
        const location = response.headers.getFirst("location");
        const follows = code === 303 ||
          ([301, 302, 307, 308].includes(code) &&
            (method === "GET" || method === "HEAD"));
        if (!follows || location === undefined) return response;
        if (count >= this.redirectLimit) {
          throw new ResponseFailed([
            new Error(`Too many redirects (${this.redirectLimit})`),
          ]);
        }
        discard(response);
        const next = new URL(location, uri).href;
        const nextMethod = code === 303 && method !== "HEAD" ? "GET" : method;
        return this.#follow(
          nextMethod,
          next,
          headers,
          code === 303 ? null : body,
          count + 1,
          response,
        );
      },
    );
  }
}

/**
 * Asks for compressed bodies and decompresses them (Twisted's
 * `ContentDecoderAgent`): sends `Accept-Encoding` with the codings given
 * (`gzip`, `deflate`), and gives a response whose body is decoded through a
 * `DecompressionStream`, its `Content-Encoding` and `Content-Length`
 * removed. A response in another coding is passed on as it is.
 *
 * @example Usage
 * ```ts
 * import { Agent, ContentDecoderAgent } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * const agent = new ContentDecoderAgent(new Agent(reactor), ["gzip"]);
 * agent.codings.length === 1;
 * ```
 */
export class ContentDecoderAgent implements IAgent {
  /** The wrapped agent. */
  readonly agent: IAgent;
  /** The codings accepted, in order of preference. */
  readonly codings: ("gzip" | "deflate")[];

  /**
   * Creates the agent.
   *
   * @param agent The agent that sends the requests.
   * @param codings The codings to accept.
   */
  constructor(
    agent: IAgent,
    codings: ("gzip" | "deflate")[] = ["gzip", "deflate"],
  ) {
    this.agent = agent;
    this.codings = codings;
  }

  /**
   * Sends a request accepting the codings, and decodes the response.
   *
   * @param method The method.
   * @param uri The URL.
   * @param headers Header fields.
   * @param bodyProducer The body, if any.
   * @returns A Deferred of the (decoded) response.
   */
  request(
    method: string,
    uri: string,
    headers: Headers | null = null,
    bodyProducer: IBodyProducer | null = null,
  ): Deferred<Response> {
    const h = headers?.copy() ?? new Headers();
    h.setRawHeaders("accept-encoding", [this.codings.join(",")]);
    return this.agent.request(method, uri, h, bodyProducer).addCallback(
      (response) => {
        const coding = response.headers.getFirst("content-encoding")
          ?.trim().toLowerCase();
        if (
          coding === undefined ||
          !(this.codings as string[]).includes(coding)
        ) {
          return response;
        }
        return decoded(response, coding as "gzip" | "deflate");
      },
    );
  }
}

/** `response` with its body decompressed. */
function decoded(response: Response, coding: "gzip" | "deflate"): Response {
  const headers: [string, string][] = [];
  for (const [name, values] of response.headers.getAllRawHeaders()) {
    const lower = name.toLowerCase();
    if (lower === "content-encoding" || lower === "content-length") continue;
    for (const v of values) headers.push([name, v]);
  }
  const [, major, minor] = response.version;
  const out = new Response({
    method: "",
    target: "",
    version: `HTTP/${major}.${minor}`,
    code: response.code,
    phrase: response.phrase,
    headers,
    body: "close",
    expectContinue: false,
  });
  out.previousResponse = response.previousResponse;
  const stream = new DecompressionStream(coding);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let failed: Failure | null = null;
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        out._data(value);
      }
      out._end(failed ?? new Failure(new ResponseDone()));
    } catch (e) {
      out._end(failed ?? new Failure(new ResponseFailed([e])));
    }
  })();
  class Feed extends Protocol {
    override dataReceived(data: Uint8Array): void {
      writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {});
    }
    override connectionLost(reason: Failure): void {
      if (reason.check(ResponseDone) === null) {
        failed = reason;
        writer.abort(reason.value).catch(() => {});
      } else {
        writer.close().catch(() => {});
      }
    }
  }
  response.deliverBody(new Feed());
  return out;
}

/** Reads and drops a response's body (so its connection can be reused). */
function discard(response: Response): void {
  const p = new Protocol();
  response.deliverBody(p);
}

/**
 * Reads a response's whole body (Twisted's `readBody`). Cancelling the
 * Deferred aborts the connection.
 *
 * @example Usage
 * ```ts
 * import { readBody } from "@torsion/torsion/http";
 *
 * // agent.request("GET", url).addCallback(readBody).addCallback((body) => ...)
 * typeof readBody;
 * ```
 *
 * @param response The response.
 * @returns A Deferred of the body.
 */
export function readBody(response: Response): Deferred<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let transport: ITCPTransport | null = null;
  const d = new Deferred<Uint8Array>(() => transport?.abortConnection());
  class Collect extends Protocol {
    override connectionMade(): void {
      transport = this.transport;
    }
    override dataReceived(data: Uint8Array): void {
      chunks.push(data);
    }
    override connectionLost(reason: Failure): void {
      if (d.called) return;
      if (reason.check(ResponseDone) === null) {
        d.errback(reason);
        return;
      }
      let n = 0;
      for (const c of chunks) n += c.length;
      const all = new Uint8Array(n);
      let off = 0;
      for (const c of chunks) {
        all.set(c, off);
        off += c.length;
      }
      d.callback(all);
    }
  }
  response.deliverBody(new Collect());
  return d;
}

/** Options of {@linkcode getPage}. */
export interface GetPageOptions {
  /** The method. @default {"GET"} */
  method?: string;
  /** The request body. */
  postdata?: Uint8Array | string;
  /** Header fields. */
  headers?: Record<string, string>;
  /** Seconds before giving up (`TimeoutError`); none by default. */
  timeout?: number;
  /** Whether to follow redirects. @default {true} */
  followRedirect?: boolean;
  /** The reactor. @default {getReactor()} */
  reactor?: AgentReactor;
  /**
   * The TLS client context of each `https:` host.
   *
   * @default {new BrowserLikePolicyForHTTPS()}
   */
  contextFactory?: IPolicyForHTTPS;
}

/**
 * Fetches a URL's body (the seeds' `twisted.web.client.getPage`): a
 * Deferred of the body bytes, or an errback with a {@linkcode WebError}
 * carrying the status for a 4xx or 5xx answer.
 *
 * @example Usage
 * ```ts
 * import { Data, getPage, Site, WebError } from "@torsion/torsion/http";
 * import { type IPv4Address, reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const port = reactor.listenTCP(0, new Site(new Data("page", "text/plain")), {
 *   interface: "127.0.0.1",
 * });
 * const base = `http://127.0.0.1:${(port.getHost() as IPv4Address).port}`;
 * const running = reactor.run({ installSignalHandlers: false });
 * const page = await getPage(`${base}/`);
 * equal(new TextDecoder().decode(page), "page");
 * await port.stopListening();
 * reactor.stop();
 * await running;
 * ```
 *
 * @param url The URL.
 * @param options Method, body, headers, timeout.
 * @returns A Deferred of the body.
 */
export function getPage(
  url: string,
  options: GetPageOptions = {},
): Deferred<Uint8Array> {
  const reactor = options.reactor ?? getReactor();
  let agent: IAgent = new Agent(
    reactor,
    options.contextFactory === undefined
      ? {}
      : { contextFactory: options.contextFactory },
  );
  if (options.followRedirect ?? true) agent = new RedirectAgent(agent);
  const headers = new Headers();
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    headers.addRawHeader(k, v);
  }
  const body = options.postdata === undefined
    ? null
    : new BytesBodyProducer(options.postdata);
  const d = agent.request(options.method ?? "GET", url, headers, body)
    .addCallback((response) =>
      readBody(response).addCallback((page) => {
        if (response.code >= 400) {
          throw new WebError(response.code, response.phrase, page);
        }
        return page;
      })
    );
  if (options.timeout !== undefined) d.addTimeout(options.timeout, reactor);
  return d;
}
