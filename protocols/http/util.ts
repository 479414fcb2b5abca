// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode redirectTo} and {@linkcode Redirect}, after `twisted.web.util`.
 *
 * @module
 */

import type { Request } from "./request.ts";
import { escapeHtml, Resource } from "./resource.ts";

/**
 * Makes `request` a redirect (302 with `Location`) and returns a small HTML
 * page linking to `url`, for a render method to return (Twisted's
 * `util.redirectTo`).
 *
 * @example Usage
 * ```ts
 * import { redirectTo, Request } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const request = new Request();
 * redirectTo("/elsewhere", request);
 * equal(request.code, 302);
 * equal(request.responseHeaders.getFirst("location"), "/elsewhere");
 * ```
 *
 * @param url Where to.
 * @param request The request.
 * @returns The page.
 * @throws {TypeError} If `url` has a CR or LF.
 */
export function redirectTo(url: string, request: Request): string {
  request.setHeader("content-type", "text/html; charset=utf-8");
  request.redirect(url);
  const u = escapeHtml(url);
  return `
<html>
    <head>
        <meta http-equiv="refresh" content="0;URL=${u}">
    </head>
    <body bgcolor="#FFFFFF" text="#000000">
    <a href="${u}">click here</a>
    </body>
</html>
`;
}

/**
 * A resource that redirects every request to a URL (Twisted's
 * `util.Redirect`).
 *
 * @example Usage
 * ```ts
 * import { Redirect, Resource } from "@torsion/torsion/http";
 *
 * const root = new Resource();
 * root.putChild("old", new Redirect("/new"));
 * ```
 */
export class Redirect extends Resource {
  /** Renders the whole path itself. */
  override isLeaf = true;
  /** Where to. */
  url: string;

  /**
   * Creates the resource.
   *
   * @param url Where to.
   */
  constructor(url: string) {
    super();
    this.url = url;
  }

  /**
   * Redirects, whatever the method.
   *
   * @param request The request.
   * @returns The page.
   */
  override render(request: Request): string {
    return redirectTo(this.url, request);
  }
}
