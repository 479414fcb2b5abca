// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode Resource} and the error pages, after `twisted.web.resource`.
 *
 * @module
 */

import type { Request } from "./request.ts";

/**
 * What a `render` method returns to say it will answer later, with
 * `request.write` and `request.finish` (Twisted's `server.NOT_DONE_YET`).
 *
 * @example Usage
 * ```ts
 * import { NOT_DONE_YET, type Request, Resource } from "@torsion/torsion/http";
 *
 * class Later extends Resource {
 *   override isLeaf = true;
 *   renderGET(request: Request): typeof NOT_DONE_YET {
 *     setTimeout(() => {
 *       request.write("done");
 *       request.finish();
 *     }, 0);
 *     return NOT_DONE_YET;
 *   }
 * }
 * new Later();
 * ```
 */
export const NOT_DONE_YET: unique symbol = Symbol("NOT_DONE_YET");

/**
 * What a render method may return: the body, {@linkcode NOT_DONE_YET}, or a
 * promise (a `Deferred`) of the body, whose failure gets a 500 page.
 */
export type RenderResult =
  | string
  | Uint8Array
  | typeof NOT_DONE_YET
  | PromiseLike<string | Uint8Array>;

/**
 * Thrown by {@linkcode Resource.render} for a method the resource has no
 * `renderXXX` for (Twisted's `UnsupportedMethod`); the server answers 405
 * with an `Allow` header.
 *
 * @example Usage
 * ```ts
 * import { UnsupportedMethod } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(new UnsupportedMethod(["GET", "HEAD"]).allowedMethods, ["GET", "HEAD"]);
 * ```
 */
export class UnsupportedMethod extends Error {
  /** The methods the resource supports. */
  readonly allowedMethods: string[];

  /**
   * Creates the error.
   *
   * @param allowedMethods The methods the resource supports.
   */
  constructor(allowedMethods: string[]) {
    super(`Method not allowed; allowed: ${allowedMethods.join(", ")}`);
    this.name = "UnsupportedMethod";
    this.allowedMethods = allowedMethods;
  }
}

/**
 * A node of a web site (Twisted's `Resource`). The {@linkcode Site} walks
 * the request's path from the root: each segment goes to
 * {@linkcode Resource.getChildWithDefault} (static children added with
 * {@linkcode Resource.putChild} first, then {@linkcode Resource.getChild})
 * until the path is used up or a resource with {@linkcode Resource.isLeaf}
 * is reached; that resource's {@linkcode Resource.render} answers.
 *
 * `render` calls the method named `render` + the request method (`renderGET`,
 * `renderPOST`: Twisted's `render_GET` in camelCase). A HEAD request falls
 * back to `renderGET` with the body dropped; a method without a handler is
 * answered 405 with `Allow`. A handler returns the body (a string, sent as
 * UTF-8, or bytes), or {@linkcode NOT_DONE_YET} and answers later with
 * `request.write()` and `request.finish()`.
 *
 * @example Usage
 * ```ts
 * import { type Request, Resource, Site } from "@torsion/torsion/http";
 * import { StringTransport } from "@torsion/torsion/testing";
 * import { Failure } from "@torsion/torsion/defer";
 * import { ConnectionDone } from "@torsion/torsion/reactor";
 * import { match } from "node:assert/strict";
 *
 * class Hello extends Resource {
 *   override isLeaf = true;
 *   renderGET(request: Request): string {
 *     request.setHeader("content-type", "text/plain");
 *     return `hello ${request.args.get("name")?.[0] ?? "world"}`;
 *   }
 * }
 * const site = new Site(new Hello());
 * const t = new StringTransport();
 * const channel = site.buildProtocol(t.getPeer());
 * channel.makeConnection(t);
 * channel.dataReceived(new TextEncoder().encode(
 *   "GET /?name=you HTTP/1.1\r\nHost: x\r\n\r\n",
 * ));
 * match(t.valueText(), /^HTTP\/1.1 200 OK\r\n[^]*\r\n\r\nhello you$/);
 * channel.connectionLost(new Failure(new ConnectionDone()));
 * ```
 */
export class Resource {
  /** Whether this resource renders the rest of the path itself. */
  isLeaf = false;
  /** The children added with {@linkcode Resource.putChild}. */
  readonly children: Map<string, Resource> = new Map();
  /**
   * The methods this resource answers, for the `Allow` header of a 405;
   * `null` to compute them from the `renderXXX` methods it has.
   */
  allowedMethods: string[] | null = null;

  /**
   * Adds a static child: `path` is one segment (`""` is the child for a
   * trailing slash, as in Twisted).
   *
   * @param path The segment.
   * @param child The resource.
   */
  putChild(path: string, child: Resource): void {
    this.children.set(path, child);
  }

  /**
   * Returns the child for a segment that is not a static child; the default
   * is a {@linkcode NoResource} (404).
   *
   * @param _path The segment (percent-decoded).
   * @param _request The request.
   * @returns The child.
   */
  getChild(_path: string, _request: Request): Resource {
    return new NoResource();
  }

  /**
   * Returns the static child for `path`, else `getChild(path, request)`.
   *
   * @param path The segment.
   * @param request The request.
   * @returns The child.
   */
  getChildWithDefault(path: string, request: Request): Resource {
    return this.children.get(path) ?? this.getChild(path, request);
  }

  /**
   * Answers the request with the `renderXXX` method for its method.
   *
   * @param request The request.
   * @returns The body, or {@linkcode NOT_DONE_YET}.
   * @throws {UnsupportedMethod} Without a handler for the method.
   */
  render(request: Request): RenderResult {
    const handler = (this as unknown as Record<string, unknown>)[
      "render" + request.method
    ];
    if (typeof handler !== "function" || !/^[A-Z]+$/.test(request.method)) {
      throw new UnsupportedMethod(
        this.allowedMethods ?? computeAllowedMethods(this),
      );
    }
    return (handler as (r: Request) => RenderResult).call(this, request);
  }

  /**
   * HEAD: the GET handler's answer (the server drops the body).
   *
   * @param request The request.
   * @returns What `renderGET` returns.
   * @throws {UnsupportedMethod} Without a `renderGET`.
   */
  renderHEAD(request: Request): RenderResult {
    const get = (this as unknown as Record<string, unknown>).renderGET;
    if (typeof get !== "function") {
      throw new UnsupportedMethod(
        this.allowedMethods ?? computeAllowedMethods(this),
      );
    }
    return (get as (r: Request) => RenderResult).call(this, request);
  }
}

/** The methods `resource` has a `renderXXX` for (HEAD only with GET). */
function computeAllowedMethods(resource: Resource): string[] {
  const found = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(resource);
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const m = /^render([A-Z]+)$/.exec(name);
      if (m !== null) found.add(m[1]);
    }
  }
  for (const name of Object.keys(resource)) {
    const m = /^render([A-Z]+)$/.exec(name);
    if (m !== null) found.add(m[1]);
  }
  if (!found.has("GET")) found.delete("HEAD");
  return [...found].sort();
}

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

/**
 * Escapes text for HTML (`& < > " '`).
 *
 * @example Usage
 * ```ts
 * import { escapeHtml } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(escapeHtml("<a href='x'>"), "&lt;a href=&#x27;x&#x27;&gt;");
 * ```
 *
 * @param text The text.
 * @returns The escaped text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]);
}

/**
 * A resource that answers every request with an HTML error page (Twisted's
 * `ErrorPage`): the status code, a brief title, and a detail.
 *
 * @example Usage
 * ```ts
 * import { ErrorPage } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const page = new ErrorPage(503, "Busy", "Come back later.");
 * equal(page.code, 503);
 * ```
 */
export class ErrorPage extends Resource {
  /** The status code. */
  code: number;
  /** The title. */
  brief: string;
  /** The explanation. */
  detail: string;

  /**
   * Creates the page.
   *
   * @param status The status code.
   * @param brief The title.
   * @param detail The explanation (HTML-escaped when rendered).
   */
  constructor(status: number, brief: string, detail: string) {
    super();
    this.code = status;
    this.brief = brief;
    this.detail = detail;
  }

  /**
   * Sets the status and answers with the page, whatever the method.
   *
   * @param request The request.
   * @returns The page.
   */
  override render(request: Request): string {
    request.setResponseCode(this.code);
    request.setHeader("content-type", "text/html; charset=utf-8");
    const brief = escapeHtml(this.brief);
    return `<html>
  <head><title>${this.code} - ${brief}</title></head>
  <body>
    <h1>${brief}</h1>
    <p>${escapeHtml(this.detail)}</p>
  </body>
</html>
`;
  }

  /**
   * Itself, for every path: an error page answers the whole subtree.
   *
   * @param _path The segment.
   * @param _request The request.
   * @returns This page.
   */
  override getChild(_path: string, _request: Request): Resource {
    return this;
  }
}

/**
 * A 404 page (Twisted's `NoResource`).
 *
 * @example Usage
 * ```ts
 * import { NoResource } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(new NoResource().code, 404);
 * ```
 */
export class NoResource extends ErrorPage {
  /**
   * Creates the page.
   *
   * @param message The detail.
   */
  constructor(message = "Sorry. No luck finding that resource.") {
    super(404, "No Such Resource", message);
  }
}

/**
 * A 403 page (Twisted's `ForbiddenResource`).
 *
 * @example Usage
 * ```ts
 * import { ForbiddenResource } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ForbiddenResource().code, 403);
 * ```
 */
export class ForbiddenResource extends ErrorPage {
  /**
   * Creates the page.
   *
   * @param message The detail.
   */
  constructor(message = "Sorry, resource is forbidden.") {
    super(403, "Forbidden Resource", message);
  }
}

/**
 * Walks `request.postpath` from `resource` to the resource that renders it
 * (Twisted's `getChildForRequest`), moving each segment to
 * `request.prepath`.
 *
 * @example Usage
 * ```ts
 * import { getChildForRequest, Request, Resource } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const root = new Resource();
 * const leaf = new Resource();
 * root.putChild("a", leaf);
 * const request = new Request();
 * request.postpath = ["a"];
 * equal(getChildForRequest(root, request), leaf);
 * ```
 *
 * @param resource Where to start.
 * @param request The request.
 * @returns The resource found.
 */
export function getChildForRequest(
  resource: Resource,
  request: Request,
): Resource {
  while (request.postpath.length > 0 && !resource.isLeaf) {
    const segment = request.postpath.shift()!;
    request.prepath.push(segment);
    resource = resource.getChildWithDefault(segment, request);
  }
  return resource;
}
