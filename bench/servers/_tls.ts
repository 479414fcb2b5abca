// Copyright 2026 the Torsion authors. MIT license.
// What the servers share for `bench:load --tls`: the test key and
// certificate (the TLS fixtures of the tests, for localhost and 127.0.0.1,
// signed by their test CA) and the `--tls` argument that asks for them.

/** The folder of the tests' TLS fixtures (`ca.pem`, `server.pem`, `server.key`). */
export const TLS_FIXTURES: string = decodeURIComponent(
  new URL("../../tests/reactor/transports/tls_fixtures/", import.meta.url)
    .pathname,
);

/** The server's certificate (leaf, signed by `ca.pem`). */
export const CERT_FILE: string = `${TLS_FIXTURES}server.pem`;
/** The server's private key. */
export const KEY_FILE: string = `${TLS_FIXTURES}server.key`;
/** The CA a client trusts. */
export const CA_FILE: string = `${TLS_FIXTURES}ca.pem`;

/**
 * Whether the server was asked for TLS: `--tls` after the port
 * (`deno run --allow-net=127.0.0.1 --allow-read=<fixtures> echo.ts 0 --tls`).
 */
export function wantsTLS(): boolean {
  return Deno.args.slice(1).includes("--tls");
}
