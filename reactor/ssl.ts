// Copyright 2026 the Torsion authors. MIT license.
/**
 * TLS contexts, after Twisted's `twisted.internet.ssl`:
 * {@linkcode CertificateOptions} (server and client), Twisted's
 * {@linkcode DefaultOpenSSLContextFactory} (a server's key and certificate
 * files) and {@linkcode optionsForClientTLS} (a client that verifies a
 * named server). They describe a TLS endpoint; the reactor's backend makes
 * the TLS sockets (`reactor.listenSSL`, `connectSSL`, `transport.startTLS`).
 *
 * Keys and certificates are PEM text, or `{ path }` for a PEM file, read
 * when the port listens or the connection starts.
 *
 * **Clients verify the server**: its certificate must chain to a trusted
 * root (the `trustRoot`/`caCerts` given, else the platform's roots: Deno's
 * Mozilla store, or `DENO_TLS_CA_STORE`), and it must be valid for the host
 * name. Only the host name check can be turned off, by the loudly named
 * `unsafelyDisableHostnameVerification`; Deno has no per-connection switch
 * for the chain check (trust the peer's certificate or CA with `trustRoot`
 * instead). This differs from Twisted's `CertificateOptions`, whose
 * `verify` defaults to `False`.
 *
 * Differences from Twisted that come from Deno's TLS (rustls): no
 * `method`/protocol version choice (TLS 1.2 and 1.3 are offered), no
 * client certificates, no `dhParameters`, no access to the peer's
 * certificate (`getPeerCertificate()` returns `null`: Deno's `TlsConn`
 * exposes none, although Deno's `node:tls` sockets do), no server-side
 * `startTLS` (`Deno.startTls` is client-only), and no `TCP_NODELAY` on
 * accepted TLS connections.
 *
 * @module
 */

/**
 * A PEM key or certificate: the PEM text itself, or `{ path }` naming a PEM
 * file (read when it is used).
 *
 * @example Usage
 * ```ts
 * import type { PemSource } from "@torsion/torsion/reactor";
 *
 * const fromFile: PemSource = { path: "server.pem" };
 * const inline: PemSource = "-----BEGIN CERTIFICATE-----\n...";
 * ```
 */
export type PemSource = string | { readonly path: string };

/**
 * What a backend needs to make a TLS server socket.
 *
 * @example Usage
 * ```ts
 * import type { TLSServerConfig } from "@torsion/torsion/reactor";
 *
 * const c: TLSServerConfig = {
 *   certificate: { path: "server.pem" },
 *   privateKey: { path: "server.key" },
 *   alpnProtocols: ["h2", "http/1.1"],
 * };
 * ```
 */
export interface TLSServerConfig {
  /** The server's certificate chain, leaf first. */
  readonly certificate: PemSource;
  /** The server's private key. */
  readonly privateKey: PemSource;
  /** ALPN protocols offered, in order of preference. */
  readonly alpnProtocols?: readonly string[];
}

/**
 * What a backend needs to make a TLS client socket.
 *
 * @example Usage
 * ```ts
 * import type { TLSClientConfig } from "@torsion/torsion/reactor";
 *
 * const c: TLSClientConfig = { hostname: "example.com", caCerts: [] };
 * ```
 */
export interface TLSClientConfig {
  /** The name the server's certificate must be valid for (also sent as SNI). */
  readonly hostname: string;
  /** Trusted roots; empty: the platform's. */
  readonly caCerts: readonly PemSource[];
  /** ALPN protocols offered, in order of preference. */
  readonly alpnProtocols?: readonly string[];
  /** Accept a certificate valid for another name (still chained to a trusted root). */
  readonly unsafelyDisableHostnameVerification?: boolean;
}

/**
 * A server's TLS context (Twisted's `IOpenSSLServerConnectionCreator`,
 * or a server context factory): what `listenSSL` and `startTLS` take on the
 * server side.
 *
 * @example Usage
 * ```ts
 * import type { IOpenSSLServerConnectionCreator } from "@torsion/torsion/reactor";
 *
 * const ctx: IOpenSSLServerConnectionCreator = {
 *   serverTLSConfig: () => ({ certificate: { path: "c.pem" }, privateKey: { path: "k.pem" } }),
 * };
 * ```
 */
export interface IOpenSSLServerConnectionCreator {
  /** The server's certificate, key and ALPN protocols. */
  serverTLSConfig(): TLSServerConfig;
}

/**
 * A client's TLS context (Twisted's `IOpenSSLClientConnectionCreator`, or
 * a client context factory): what `connectSSL` and `startTLS` take on the
 * client side.
 *
 * @example Usage
 * ```ts
 * import { optionsForClientTLS, type IOpenSSLClientConnectionCreator } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const ctx: IOpenSSLClientConnectionCreator = optionsForClientTLS("example.com");
 * equal(ctx.clientTLSConfig("93.184.215.14").hostname, "example.com");
 * ```
 */
export interface IOpenSSLClientConnectionCreator {
  /**
   * The settings of one connection.
   *
   * @param host The host being connected to (verified when the context
   *   names no host itself).
   */
  clientTLSConfig(host: string): TLSClientConfig;
}

/** Options of {@linkcode CertificateOptions}. */
export interface CertificateOptionsInit {
  /** The private key (PEM text or `{ path }`); needed to serve. */
  privateKey?: PemSource;
  /** The certificate chain, leaf first (PEM text or `{ path }`); needed to serve. */
  certificate?: PemSource;
  /**
   * As a client, the roots the server's certificate must chain to (default:
   * the platform's).
   */
  caCerts?: readonly PemSource[];
  /** ALPN protocols, in order of preference (Twisted's `acceptableProtocols`). */
  alpnProtocols?: readonly string[];
  /**
   * As a client, accept a server certificate valid for another host name
   * (it must still chain to a trusted root). Unsafe: anyone holding a
   * certificate from that root can impersonate the server.
   *
   * @default {false}
   */
  unsafelyDisableHostnameVerification?: boolean;
}

function checkProtocols(protocols: readonly string[] | undefined): void {
  if (protocols === undefined) return;
  for (const p of protocols) {
    if (typeof p !== "string" || p.length === 0 || p.length > 255) {
      throw new TypeError(
        `ALPN protocol names must be 1 to 255 characters: ${JSON.stringify(p)}`,
      );
    }
  }
}

/**
 * A TLS context from a key, a certificate, trusted roots and ALPN protocols
 * (Twisted's `CertificateOptions`), usable on both sides: a server needs
 * `privateKey` and `certificate`; a client verifies the server against
 * `caCerts` (or the platform's roots) and the host it connects to.
 *
 * @example A server and a client on the same CA
 * ```ts
 * import { CertificateOptions } from "@torsion/torsion/reactor";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const server = new CertificateOptions({
 *   privateKey: { path: "server.key" },
 *   certificate: { path: "server.pem" },
 *   alpnProtocols: ["h2"],
 * });
 * deepEqual(server.serverTLSConfig().alpnProtocols, ["h2"]);
 * const client = new CertificateOptions({ caCerts: [{ path: "ca.pem" }] });
 * equal(client.clientTLSConfig("localhost").hostname, "localhost");
 * ```
 */
export class CertificateOptions
  implements IOpenSSLServerConnectionCreator, IOpenSSLClientConnectionCreator {
  /** The private key. */
  readonly privateKey: PemSource | undefined;
  /** The certificate chain. */
  readonly certificate: PemSource | undefined;
  /** The trusted roots of a client (empty: the platform's). */
  readonly caCerts: readonly PemSource[];
  /** The ALPN protocols. */
  readonly alpnProtocols: readonly string[] | undefined;
  /** Whether a client accepts certificates valid for another name. */
  readonly unsafelyDisableHostnameVerification: boolean;

  /**
   * Makes the context.
   *
   * @param options The key, certificate, roots and ALPN protocols.
   * @throws {TypeError} If only one of `privateKey`/`certificate` is given,
   *   or an ALPN name is empty or too long.
   */
  constructor(options: CertificateOptionsInit = {}) {
    if (
      (options.privateKey === undefined) !== (options.certificate === undefined)
    ) {
      throw new TypeError(
        "Specify neither or both of privateKey and certificate",
      );
    }
    checkProtocols(options.alpnProtocols);
    this.privateKey = options.privateKey;
    this.certificate = options.certificate;
    this.caCerts = [...(options.caCerts ?? [])];
    this.alpnProtocols = options.alpnProtocols === undefined
      ? undefined
      : [...options.alpnProtocols];
    this.unsafelyDisableHostnameVerification =
      options.unsafelyDisableHostnameVerification ?? false;
  }

  /**
   * The server side's settings.
   *
   * @returns The key, certificate and ALPN protocols.
   * @throws {TypeError} If no key and certificate were given.
   */
  serverTLSConfig(): TLSServerConfig {
    if (this.privateKey === undefined || this.certificate === undefined) {
      throw new TypeError(
        "A TLS server needs a privateKey and a certificate",
      );
    }
    return {
      certificate: this.certificate,
      privateKey: this.privateKey,
      alpnProtocols: this.alpnProtocols,
    };
  }

  /**
   * The client side's settings for a connection to `host`.
   *
   * @param host The host connected to: the server's certificate must be
   *   valid for it.
   * @returns The settings.
   */
  clientTLSConfig(host: string): TLSClientConfig {
    return {
      hostname: host,
      caCerts: this.caCerts,
      alpnProtocols: this.alpnProtocols,
      unsafelyDisableHostnameVerification:
        this.unsafelyDisableHostnameVerification,
    };
  }
}

/**
 * A server context from a private key file and a certificate file
 * (Twisted's `DefaultOpenSSLContextFactory(privateKeyFileName,
 * certificateFileName)`), both PEM. The files are read when a port
 * listens with it.
 *
 * @example Usage
 * ```ts
 * import { DefaultOpenSSLContextFactory } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const ctx = new DefaultOpenSSLContextFactory("server.key", "server.pem");
 * deepEqual(ctx.serverTLSConfig().privateKey, { path: "server.key" });
 * ```
 */
export class DefaultOpenSSLContextFactory
  implements IOpenSSLServerConnectionCreator {
  /** The private key's file. */
  readonly privateKeyFileName: string;
  /** The certificate's file. */
  readonly certificateFileName: string;

  /**
   * Makes the context.
   *
   * @param privateKeyFileName The PEM file of the private key.
   * @param certificateFileName The PEM file of the certificate (chain).
   */
  constructor(privateKeyFileName: string, certificateFileName: string) {
    this.privateKeyFileName = privateKeyFileName;
    this.certificateFileName = certificateFileName;
  }

  /**
   * The server side's settings.
   *
   * @returns The key and certificate files.
   */
  serverTLSConfig(): TLSServerConfig {
    return {
      privateKey: { path: this.privateKeyFileName },
      certificate: { path: this.certificateFileName },
    };
  }
}

/** Options of {@linkcode optionsForClientTLS}. */
export interface ClientTLSOptionsInit {
  /**
   * The root (or roots) the server's certificate must chain to (default:
   * the platform's). A self-signed server certificate can be its own root.
   */
  trustRoot?: PemSource | readonly PemSource[];
  /** ALPN protocols, in order of preference (Twisted's `acceptableProtocols`). */
  alpnProtocols?: readonly string[];
  /**
   * Accept a certificate valid for another host name (it must still chain
   * to a trusted root). Unsafe.
   *
   * @default {false}
   */
  unsafelyDisableHostnameVerification?: boolean;
}

/**
 * The client context {@linkcode optionsForClientTLS} makes (Twisted's
 * `ClientTLSOptions`): it verifies its own host name, whatever address the
 * connection goes to.
 *
 * @example Usage
 * ```ts
 * import { ClientTLSOptions } from "@torsion/torsion/reactor";
 * import { equal } from "node:assert/strict";
 *
 * const ctx = new ClientTLSOptions("localhost", { trustRoot: { path: "ca.pem" } });
 * equal(ctx.clientTLSConfig("127.0.0.1").hostname, "localhost");
 * ```
 */
export class ClientTLSOptions implements IOpenSSLClientConnectionCreator {
  /** The host name the server's certificate must be valid for. */
  readonly hostname: string;
  readonly #config: TLSClientConfig;

  /**
   * Makes the context; see {@linkcode optionsForClientTLS}.
   *
   * @param hostname The server's name.
   * @param options Roots, ALPN protocols.
   * @throws {TypeError} If `hostname` is empty or an ALPN name is bad.
   */
  constructor(hostname: string, options: ClientTLSOptionsInit = {}) {
    if (typeof hostname !== "string" || hostname === "") {
      throw new TypeError("optionsForClientTLS needs a host name");
    }
    checkProtocols(options.alpnProtocols);
    this.hostname = hostname;
    const roots = options.trustRoot;
    this.#config = {
      hostname,
      caCerts: roots === undefined
        ? []
        : typeof roots === "string" || !Array.isArray(roots)
        ? [roots as PemSource]
        : [...roots],
      alpnProtocols: options.alpnProtocols === undefined
        ? undefined
        : [...options.alpnProtocols],
      unsafelyDisableHostnameVerification:
        options.unsafelyDisableHostnameVerification ?? false,
    };
  }

  /**
   * The settings of a connection (to any address: the name checked is this
   * context's).
   *
   * @param _host The host connected to (not used).
   * @returns The settings.
   */
  clientTLSConfig(_host: string): TLSClientConfig {
    return this.#config;
  }
}

/**
 * A client context that verifies `hostname` (Twisted's
 * `optionsForClientTLS(hostname, trustRoot, acceptableProtocols)`): the
 * server's certificate must be valid for that name and chain to
 * `trustRoot` (default: the platform's roots). The name is also sent as
 * SNI.
 *
 * @param hostname The server's name, checked against its certificate.
 * @param options `trustRoot`, `alpnProtocols`, and the unsafe
 *   `unsafelyDisableHostnameVerification`.
 * @returns The context, for `connectSSL`, `startTLS` or a TLS endpoint.
 *
 * @example Usage
 * ```ts
 * import { optionsForClientTLS } from "@torsion/torsion/reactor";
 * import { deepEqual } from "node:assert/strict";
 *
 * const ctx = optionsForClientTLS("localhost", { trustRoot: { path: "ca.pem" } });
 * deepEqual(ctx.clientTLSConfig("127.0.0.1").caCerts, [{ path: "ca.pem" }]);
 * ```
 */
export function optionsForClientTLS(
  hostname: string,
  options: ClientTLSOptionsInit = {},
): ClientTLSOptions {
  return new ClientTLSOptions(hostname, options);
}

/**
 * Whether `x` is a client TLS context.
 *
 * @param x Anything.
 * @returns Whether it has `clientTLSConfig`.
 *
 * @example Usage
 * ```ts
 * import { isClientTLSContext, optionsForClientTLS } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * ok(isClientTLSContext(optionsForClientTLS("example.com")));
 * ```
 */
export function isClientTLSContext(
  x: unknown,
): x is IOpenSSLClientConnectionCreator {
  return typeof x === "object" && x !== null &&
    typeof (x as { clientTLSConfig?: unknown }).clientTLSConfig === "function";
}
