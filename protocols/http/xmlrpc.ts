// Copyright 2026 the Torsion authors. MIT license.
/**
 * XML-RPC over HTTP, after `twisted.web.xmlrpc`: the {@linkcode XMLRPC}
 * resource, the {@linkcode Proxy} client, and {@linkcode Fault}.
 *
 * @module
 */

import { Deferred } from "../../defer/deferred.ts";
import { Failure } from "../../defer/failure.ts";
import * as log from "../../defer/log.ts";
import { getReactor } from "../../reactor/default.ts";
import {
  Agent,
  type AgentReactor,
  BytesBodyProducer,
  readBody,
} from "./client.ts";
import { Headers } from "./headers.ts";
import type { Request } from "./request.ts";
import { escapeHtml, NOT_DONE_YET, Resource } from "./resource.ts";

/** A value XML-RPC carries. */
export type XMLRPCValue =
  | number
  | string
  | boolean
  | null
  | Date
  | Uint8Array
  | XMLRPCValue[]
  | { [key: string]: XMLRPCValue };

/**
 * An XML-RPC fault: a code and a message, sent to the caller by a procedure
 * that throws it, and the errback of {@linkcode Proxy.callRemote} when the
 * server answers with one (Twisted's `xmlrpc.Fault`).
 *
 * @example Usage
 * ```ts
 * import { Fault } from "@torsion/torsion/http";
 * import { equal } from "node:assert/strict";
 *
 * const f = new Fault(4, "Too many parameters.");
 * equal(f.faultCode, 4);
 * ```
 */
export class Fault extends Error {
  /** The fault code. */
  readonly faultCode: number;
  /** The fault string. */
  readonly faultString: string;

  /**
   * Creates a fault.
   *
   * @param faultCode The code.
   * @param faultString The message.
   */
  constructor(faultCode: number, faultString: string) {
    super(`<Fault ${faultCode}: ${faultString}>`);
    this.name = "Fault";
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/** The fault code for an unknown procedure (Twisted's `NOT_FOUND`). */
export const NOT_FOUND = 8001;
/** The fault code for a procedure that failed (Twisted's `FAILURE`). */
export const FAILURE = 8002;

// --- A small XML reader, enough for XML-RPC (no DTDs, no entities beyond
// the predefined and numeric ones, bounded depth).

interface XNode {
  name: string;
  children: XNode[];
  text: string;
}

const MAX_DEPTH = 64;

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (m, e) => {
    switch (e) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const code = e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function parseXml(xml: string): XNode {
  let i = 0;
  const root: XNode = { name: "#root", children: [], text: "" };
  const stack: XNode[] = [root];
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const top = stack[stack.length - 1];
    if (lt === -1) {
      if (xml.slice(i).trim() !== "") throw new Error("Text after the root");
      break;
    }
    if (lt > i) top.text += decodeEntities(xml.slice(i, lt));
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end === -1) throw new Error("Unterminated declaration");
      i = end + 2;
    } else if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end === -1) throw new Error("Unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt);
      if (end === -1) throw new Error("Unterminated CDATA");
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith("<!", lt)) {
      throw new Error("Document type declarations are not accepted");
    } else if (xml.startsWith("</", lt)) {
      const end = xml.indexOf(">", lt);
      const name = xml.slice(lt + 2, end).trim();
      if (end === -1 || stack.length < 2 || top.name !== name) {
        throw new Error(`Mismatched end tag </${name}>`);
      }
      stack.pop();
      i = end + 1;
    } else {
      const end = xml.indexOf(">", lt);
      if (end === -1) throw new Error("Unterminated tag");
      let tag = xml.slice(lt + 1, end);
      const empty = tag.endsWith("/");
      if (empty) tag = tag.slice(0, -1);
      const name = tag.trim().split(/\s/)[0];
      if (!/^[A-Za-z_][\w.:-]*$/.test(name)) {
        throw new Error(`Invalid tag <${name}>`);
      }
      const node: XNode = { name, children: [], text: "" };
      top.children.push(node);
      if (!empty) {
        if (stack.length > MAX_DEPTH) throw new Error("Nested too deeply");
        stack.push(node);
      }
      i = end + 1;
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) {
    throw new Error("Not one well-formed root element");
  }
  return root.children[0];
}

function child(node: XNode, name: string): XNode {
  const c = node.children.find((n) => n.name === name);
  if (c === undefined) throw new Error(`Missing <${name}> in <${node.name}>`);
  return c;
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ""));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function toBase64(b: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    bin += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function decodeValue(value: XNode): XMLRPCValue {
  const typed = value.children[0];
  if (typed === undefined) return value.text;
  const text = typed.text.trim();
  switch (typed.name) {
    case "string":
      return typed.text;
    case "int":
    case "i4":
    case "i8": {
      if (!/^[+-]?\d+$/.test(text)) throw new Error(`Bad integer ${text}`);
      return Number(text);
    }
    case "boolean":
      if (text !== "0" && text !== "1") throw new Error(`Bad boolean ${text}`);
      return text === "1";
    case "double": {
      const n = Number(text);
      if (text === "" || Number.isNaN(n)) throw new Error(`Bad double ${text}`);
      return n;
    }
    case "dateTime.iso8601": {
      const m = /^(\d{4})-?(\d\d)-?(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(text);
      if (m === null) throw new Error(`Bad date ${text}`);
      return new Date(
        Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]),
      );
    }
    case "base64":
      return fromBase64(text);
    case "nil":
      return null;
    case "array":
      return child(typed, "data").children.filter((n) => n.name === "value")
        .map(decodeValue);
    case "struct": {
      const out: { [key: string]: XMLRPCValue } = {};
      for (const member of typed.children) {
        if (member.name !== "member") continue;
        Object.defineProperty(out, child(member, "name").text, {
          value: decodeValue(child(member, "value")),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
  throw new Error(`Unknown type <${typed.name}>`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function encodeValue(v: XMLRPCValue, allowNone: boolean, depth = 0): string {
  if (depth > MAX_DEPTH) {
    throw new TypeError("Cannot marshal: nested too deeply");
  }
  if (v === null || v === undefined) {
    if (!allowNone) throw new TypeError("Cannot marshal null unless allowNone");
    return "<value><nil/></value>";
  }
  if (typeof v === "boolean") {
    return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  }
  if (typeof v === "number") {
    return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647
      ? `<value><int>${v}</int></value>`
      : `<value><double>${v}</double></value>`;
  }
  if (typeof v === "string") {
    return `<value><string>${escapeHtml(v)}</string></value>`;
  }
  if (v instanceof Date) {
    return `<value><dateTime.iso8601>${v.getUTCFullYear()}${
      pad(v.getUTCMonth() + 1)
    }${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${
      pad(v.getUTCSeconds())
    }</dateTime.iso8601></value>`;
  }
  if (v instanceof Uint8Array) {
    return `<value><base64>${toBase64(v)}</base64></value>`;
  }
  if (Array.isArray(v)) {
    return `<value><array><data>${
      v.map((x) => encodeValue(x, allowNone, depth + 1)).join("")
    }</data></array></value>`;
  }
  if (typeof v === "object") {
    return `<value><struct>${
      Object.entries(v).map(([k, x]) =>
        `<member><name>${escapeHtml(k)}</name>${
          encodeValue(x, allowNone, depth + 1)
        }</member>`
      ).join("")
    }</struct></value>`;
  }
  throw new TypeError(`Cannot marshal a ${typeof v}`);
}

/**
 * Encodes an XML-RPC method call.
 *
 * @example Usage
 * ```ts
 * import { dumpsCall, loadsCall } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(loadsCall(dumpsCall("add", [1, 2])), ["add", [1, 2]]);
 * ```
 *
 * @param method The method name.
 * @param params The parameters.
 * @param allowNone Whether `null` may be sent (as `<nil/>`).
 * @returns The XML.
 */
export function dumpsCall(
  method: string,
  params: XMLRPCValue[],
  allowNone = false,
): string {
  return `<?xml version="1.0"?>\n<methodCall><methodName>${
    escapeHtml(method)
  }</methodName><params>${
    params.map((p) => `<param>${encodeValue(p, allowNone)}</param>`).join("")
  }</params></methodCall>\n`;
}

/**
 * Decodes an XML-RPC method call.
 *
 * @example Usage
 * ```ts
 * import { loadsCall } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(
 *   loadsCall("<methodCall><methodName>f</methodName><params><param><value>x</value></param></params></methodCall>"),
 *   ["f", ["x"]],
 * );
 * ```
 *
 * @param xml The XML.
 * @returns The method name and parameters.
 * @throws {Error} If the XML is not a method call.
 */
export function loadsCall(xml: string): [string, XMLRPCValue[]] {
  const call = parseXml(xml);
  if (call.name !== "methodCall") throw new Error("Not a methodCall");
  const name = child(call, "methodName").text.trim();
  const params = call.children.find((n) => n.name === "params");
  return [
    name,
    (params?.children ?? []).filter((n) => n.name === "param").map((p) =>
      decodeValue(child(p, "value"))
    ),
  ];
}

/**
 * Encodes an XML-RPC response: a value or a {@linkcode Fault}.
 *
 * @example Usage
 * ```ts
 * import { dumpsResponse, Fault, loadsResponse } from "@torsion/torsion/http";
 * import { equal, throws } from "node:assert/strict";
 *
 * equal(loadsResponse(dumpsResponse("ok")), "ok");
 * throws(() => loadsResponse(dumpsResponse(new Fault(1, "no"))), Fault);
 * ```
 *
 * @param result The value or fault.
 * @param allowNone Whether `null` may be sent.
 * @returns The XML.
 */
export function dumpsResponse(
  result: XMLRPCValue | Fault,
  allowNone = false,
): string {
  if (result instanceof Fault) {
    return `<?xml version="1.0"?>\n<methodResponse><fault>${
      encodeValue(
        { faultCode: result.faultCode, faultString: result.faultString },
        false,
      )
    }</fault></methodResponse>\n`;
  }
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${
    encodeValue(result, allowNone)
  }</param></params></methodResponse>\n`;
}

/**
 * Decodes an XML-RPC response.
 *
 * @example Usage
 * ```ts
 * import { dumpsResponse, loadsResponse } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(loadsResponse(dumpsResponse({ a: [1, true] })), { a: [1, true] });
 * ```
 *
 * @param xml The XML.
 * @returns The value.
 * @throws {Fault} If the response is a fault.
 * @throws {Error} If the XML is not a response.
 */
export function loadsResponse(xml: string): XMLRPCValue {
  const response = parseXml(xml);
  if (response.name !== "methodResponse") {
    throw new Error("Not a methodResponse");
  }
  const fault = response.children.find((n) => n.name === "fault");
  if (fault !== undefined) {
    const v = decodeValue(child(fault, "value")) as {
      faultCode?: number;
      faultString?: string;
    };
    throw new Fault(Number(v.faultCode), String(v.faultString));
  }
  return decodeValue(child(child(child(response, "params"), "param"), "value"));
}

/** An XML-RPC procedure, bound to its handler. */
export type Procedure = (...args: XMLRPCValue[]) => unknown;

/**
 * A resource that answers XML-RPC calls (Twisted's `xmlrpc.XMLRPC`): the
 * procedure `getUser` is the method `xmlrpcGetUser` (Twisted's
 * `xmlrpc_getUser`); `a.b` goes to the sub-handler put at `a` with
 * {@linkcode XMLRPC.putSubHandler}. A procedure returns a value, a promise
 * or a `Deferred`; throwing (or failing with) a {@linkcode Fault} sends that
 * fault, anything else a fault {@linkcode FAILURE} (the error is logged).
 * An unknown procedure gets the fault {@linkcode NOT_FOUND}.
 *
 * @example Usage
 * ```ts
 * import { Fault, type Request, Resource, XMLRPC } from "@torsion/torsion/http";
 *
 * class Users extends XMLRPC {
 *   xmlrpcGetUser(name: string): string {
 *     if (name !== "moshez") throw new Fault(1, "No such user");
 *     return "Happy and well";
 *   }
 * }
 * const root = new Resource();
 * root.putChild("RPC2", new Users());
 * ```
 */
export class XMLRPC extends Resource {
  /** Renders the whole path itself. */
  override isLeaf = true;
  /** Whether `null` may be sent (as `<nil/>`). */
  allowNone: boolean;
  /** The separator of sub-handler prefixes. */
  separator = ".";
  #subHandlers = new Map<string, XMLRPC>();

  /**
   * Creates the resource.
   *
   * @param options Whether `null` may be sent.
   */
  constructor(options: { allowNone?: boolean } = {}) {
    super();
    this.allowNone = options.allowNone ?? false;
  }

  /**
   * Serves the procedures of `handler` under `prefix` + separator.
   *
   * @param prefix The prefix.
   * @param handler The handler.
   */
  putSubHandler(prefix: string, handler: XMLRPC): void {
    this.#subHandlers.set(prefix, handler);
  }

  /**
   * The sub-handler for a prefix.
   *
   * @param prefix The prefix.
   * @returns The handler, or `undefined`.
   */
  getSubHandler(prefix: string): XMLRPC | undefined {
    return this.#subHandlers.get(prefix);
  }

  /**
   * The prefixes of the sub-handlers.
   *
   * @returns The prefixes.
   */
  getSubHandlerPrefixes(): string[] {
    return [...this.#subHandlers.keys()];
  }

  /**
   * The function for a procedure name (Twisted's `lookupProcedure`).
   *
   * @param path The procedure name.
   * @returns The function, bound to its handler.
   * @throws {Fault} {@linkcode NOT_FOUND} if there is none.
   */
  lookupProcedure(path: string): Procedure {
    const sep = path.indexOf(this.separator);
    if (sep !== -1) {
      const handler = this.getSubHandler(path.slice(0, sep));
      if (handler === undefined) {
        throw new Fault(NOT_FOUND, `no such subHandler ${path.slice(0, sep)}`);
      }
      return handler.lookupProcedure(path.slice(sep + this.separator.length));
    }
    const name = "xmlrpc" + path.charAt(0).toUpperCase() + path.slice(1);
    const f = /^[A-Za-z_]\w*$/.test(path)
      ? (this as unknown as Record<string, unknown>)[name]
      : undefined;
    if (typeof f !== "function") {
      throw new Fault(NOT_FOUND, `procedure ${path} not found`);
    }
    return (f as Procedure).bind(this);
  }

  /**
   * The procedure names (without sub-handlers), for introspection.
   *
   * @returns The names.
   */
  listProcedures(): string[] {
    const names = new Set<string>();
    for (
      let p = Object.getPrototypeOf(this);
      p !== null && p !== XMLRPC.prototype;
      p = Object.getPrototypeOf(p)
    ) {
      for (const n of Object.getOwnPropertyNames(p)) {
        const m = /^xmlrpc([A-Z]\w*)$/.exec(n);
        if (m !== null) names.add(m[1].charAt(0).toLowerCase() + m[1].slice(1));
      }
    }
    return [...names].sort();
  }

  /**
   * Answers a call.
   *
   * @param request The request, its body an XML-RPC call.
   * @returns {@linkcode NOT_DONE_YET}: the answer is written when the
   *   procedure's result is known.
   */
  renderPOST(request: Request): typeof NOT_DONE_YET {
    request.setHeader("content-type", "text/xml; charset=utf-8");
    let finished = false;
    request.notifyFinish().addErrback(() => {
      finished = true;
    });
    const send = (result: XMLRPCValue | Fault) => {
      if (finished) return;
      let body: string;
      try {
        body = dumpsResponse(result, this.allowNone);
      } catch (e) {
        log.err(e, "Cannot marshal an XML-RPC result");
        body = dumpsResponse(new Fault(FAILURE, "can't serialize output"));
      }
      const bytes = new TextEncoder().encode(body);
      request.setHeader("content-length", String(bytes.length));
      request.write(bytes);
      request.finish();
    };
    const fail = (reason: unknown) => {
      const e = reason instanceof Failure ? reason.value : reason;
      if (e instanceof Fault) {
        send(e);
      } else {
        log.err(reason, "XML-RPC procedure failed");
        send(new Fault(FAILURE, "error"));
      }
    };
    let method: string;
    let params: XMLRPCValue[];
    try {
      [method, params] = loadsCall(
        new TextDecoder().decode(request.content.read()),
      );
    } catch (e) {
      send(new Fault(FAILURE, `Bad XML-RPC call: ${(e as Error).message}`));
      return NOT_DONE_YET;
    }
    try {
      const result = this.lookupProcedure(method)(...params);
      if (result instanceof Deferred) {
        result.addCallbacks((v) => send(v as XMLRPCValue), fail);
      } else if (
        typeof result === "object" && result !== null && "then" in result
      ) {
        (result as PromiseLike<XMLRPCValue>).then(send, fail);
      } else {
        send(result as XMLRPCValue);
      }
    } catch (e) {
      fail(e);
    }
    return NOT_DONE_YET;
  }
}

/** Options of a {@linkcode Proxy}. */
export interface ProxyOptions {
  /** Whether `null` may be sent (as `<nil/>`). @default {false} */
  allowNone?: boolean;
  /** The reactor. @default {getReactor()} */
  reactor?: AgentReactor;
  /** Seconds to connect. @default {30} */
  connectTimeout?: number;
}

/**
 * Calls XML-RPC procedures on a server (Twisted's `xmlrpc.Proxy`).
 *
 * @example Usage
 * ```ts
 * import { Proxy, Resource, Site, XMLRPC } from "@torsion/torsion/http";
 * import { type IPv4Address, reactor } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * class Math extends XMLRPC {
 *   xmlrpcAdd(a: number, b: number): number {
 *     return a + b;
 *   }
 * }
 * const port = reactor.listenTCP(0, new Site(new Math()), { interface: "127.0.0.1" });
 * const url = `http://127.0.0.1:${(port.getHost() as IPv4Address).port}/`;
 * const running = reactor.run({ installSignalHandlers: false });
 * equal(await new Proxy(url, { reactor }).callRemote("add", 2, 3), 5);
 * await port.stopListening();
 * reactor.stop();
 * await running;
 * ```
 */
export class Proxy {
  /** The server's URL. */
  readonly url: string;
  /** Whether `null` may be sent. */
  allowNone: boolean;
  #agent: Agent;

  /**
   * Creates a proxy.
   *
   * @param url The server's URL (`http:`).
   * @param options `allowNone`, the reactor, the connect timeout.
   */
  constructor(url: string, options: ProxyOptions = {}) {
    this.url = url;
    this.allowNone = options.allowNone ?? false;
    this.#agent = new Agent(options.reactor ?? getReactor(), {
      connectTimeout: options.connectTimeout,
    });
  }

  /**
   * Calls a procedure.
   *
   * @param method The procedure name.
   * @param args Its parameters.
   * @returns A Deferred of the result; it errbacks with a
   *   {@linkcode Fault} when the server answers with one.
   */
  callRemote(method: string, ...args: XMLRPCValue[]): Deferred<XMLRPCValue> {
    let body: string;
    try {
      body = dumpsCall(method, args, this.allowNone);
    } catch (e) {
      const d = new Deferred<XMLRPCValue>();
      d.errback(e);
      return d;
    }
    const headers = new Headers({
      "Content-Type": ["text/xml"],
      "User-Agent": ["Torsion/XMLRPClib"],
    });
    return this.#agent.request(
      "POST",
      this.url,
      headers,
      new BytesBodyProducer(body),
    ).addCallback((response) =>
      readBody(response).addCallback((bytes) => {
        if (response.code !== 200) {
          throw new Error(`${response.code} ${response.phrase}`);
        }
        return loadsResponse(new TextDecoder().decode(bytes));
      })
    );
  }
}

/**
 * XML-RPC introspection (Twisted's `XMLRPCIntrospection`): the procedure
 * `system.listMethods`, listing every procedure of the handler it is added
 * to, sub-handlers included. Add it with {@linkcode addIntrospection}.
 *
 * @example Usage
 * ```ts
 * import { addIntrospection, XMLRPC } from "@torsion/torsion/http";
 * import { deepEqual } from "node:assert/strict";
 *
 * class Api extends XMLRPC {
 *   xmlrpcPing(): string {
 *     return "pong";
 *   }
 * }
 * const api = new Api();
 * addIntrospection(api);
 * deepEqual(api.lookupProcedure("system.listMethods")(), [
 *   "ping",
 *   "system.listMethods",
 * ]);
 * ```
 */
export class XMLRPCIntrospection extends XMLRPC {
  readonly #parent: XMLRPC;

  /**
   * Creates the handler.
   *
   * @param parent The handler whose procedures it lists.
   */
  constructor(parent: XMLRPC) {
    super();
    this.#parent = parent;
  }

  /**
   * Every procedure name.
   *
   * @returns The names, sorted.
   */
  xmlrpcListMethods(): string[] {
    const names: string[] = [];
    const walk = (handler: XMLRPC, prefix: string) => {
      for (const n of handler.listProcedures()) names.push(prefix + n);
      for (const p of handler.getSubHandlerPrefixes()) {
        walk(handler.getSubHandler(p)!, prefix + p + handler.separator);
      }
    };
    walk(this.#parent, "");
    return names.sort();
  }
}

/**
 * Adds {@linkcode XMLRPCIntrospection} to `xmlrpc` as its `system`
 * sub-handler (Twisted's `addIntrospection`).
 *
 * @example Usage
 * ```ts
 * import { addIntrospection, XMLRPC } from "@torsion/torsion/http";
 * import { ok } from "node:assert/strict";
 *
 * const api = new XMLRPC();
 * addIntrospection(api);
 * ok(api.getSubHandler("system") !== undefined);
 * ```
 *
 * @param xmlrpc The handler.
 */
export function addIntrospection(xmlrpc: XMLRPC): void {
  xmlrpc.putSubHandler("system", new XMLRPCIntrospection(xmlrpc));
}
