// Copyright 2026 the Torsion authors. MIT license.
/**
 * HTTP/1.1 with Twisted's resource model (`twisted.web`): a {@linkcode Site}
 * serving a tree of {@linkcode Resource}s, rendering synchronously or later
 * with {@linkcode NOT_DONE_YET}; static resources ({@linkcode Data},
 * {@linkcode File}); redirects and error pages; and the client:
 * {@linkcode Agent}, {@linkcode readBody} and the seeds' {@linkcode getPage};
 * XML-RPC ({@linkcode XMLRPC}, {@linkcode Proxy}).
 *
 * ```ts
 * import { type Request, Resource, Site } from "@torsion/torsion/http";
 * import { reactor } from "@torsion/torsion/reactor";
 *
 * class Hello extends Resource {
 *   override isLeaf = true;
 *   renderGET(_request: Request): string {
 *     return "<h1>hello</h1>";
 *   }
 * }
 * const port = reactor.listenTCP(0, new Site(new Hello()));
 * await port.stopListening();
 * ```
 *
 * @module
 */

export { Headers } from "./headers.ts";
export { RESPONSES } from "./status.ts";
export {
  ErrorPage,
  escapeHtml,
  ForbiddenResource,
  getChildForRequest,
  NoResource,
  NOT_DONE_YET,
  type RenderResult,
  Resource,
  UnsupportedMethod,
} from "./resource.ts";
export {
  CACHED,
  type FormFile,
  Request,
  type RequestChannel,
  type RequestSite,
  SERVER_VERSION,
} from "./request.ts";
export {
  RequestContent,
  type RequestContentOptions,
} from "./request_content.ts";
export {
  combinedLogFormatter,
  HTTPChannel,
  Site,
  type SiteOptions,
} from "./server.ts";
export {
  contentTypes,
  Data,
  File,
  type FileOptions,
  parseRange,
} from "./static.ts";
export { Redirect, redirectTo } from "./util.ts";
export {
  Agent,
  type AgentOptions,
  type AgentReactor,
  BrowserLikePolicyForHTTPS,
  BytesBodyProducer,
  ContentDecoderAgent,
  getPage,
  type GetPageOptions,
  HTTP11ClientProtocol,
  HTTPConnectionPool,
  type HTTPConnectionPoolOptions,
  type IAgent,
  type IBodyProducer,
  type IPolicyForHTTPS,
  readBody,
  RedirectAgent,
  Response,
  ResponseDone,
  ResponseFailed,
  WebError,
} from "./client.ts";
export {
  denoStaticFiles,
  type StaticFileReader,
  type StaticFileStat,
  type StaticFileSystem,
} from "../../reactor/backends/deno/deno_static_files.ts";
export {
  denoTemporaryFiles,
  type DenoTemporaryFilesOptions,
  type TemporaryFile,
  type TemporaryFileSystem,
} from "../../reactor/backends/deno/deno_temporary_files.ts";
export {
  addIntrospection,
  dumpsCall,
  dumpsResponse,
  FAILURE,
  Fault,
  loadsCall,
  loadsResponse,
  NOT_FOUND,
  type Procedure,
  Proxy,
  type ProxyOptions,
  XMLRPC,
  XMLRPCIntrospection,
  type XMLRPCValue,
} from "./xmlrpc.ts";
