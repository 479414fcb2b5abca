// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 22 (the tutorial's `finger22.py`, part 8: "one factory for
 * several protocols"): **HTTPS.** One factory can listen on several ports:
 * step 20's {@linkcode Site} is served on `tcp:8000` and, with TLS, on
 * `ssl:port=443:privateKey=…:certKey=…`: the same resources, the same
 * backend, over HTTP and HTTPS.
 *
 * ```sh
 * openssl req -x509 -newkey rsa:2048 -nodes -keyout server.pem -out cert.pem \
 *   -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1
 * sudo deno task run examples/finger/finger22.ts          # 79 and 443 need root
 * FINGER_PORT=7979 FINGER_SSL_PORT=8443 deno task run examples/finger/finger22.ts
 * curl --cacert cert.pem https://localhost:8443/moshez
 * ```
 *
 * Ports: finger on `FINGER_PORT` (79), the site on `FINGER_WEB_PORT` (8000)
 * and, over TLS, on `FINGER_SSL_PORT` (**443: below 1024, it needs root**
 * or `CAP_NET_BIND_SERVICE`, as 79 does). The key and certificate are the
 * original's `server.pem` and `cert.pem` in the current directory, or
 * `FINGER_SSL_KEY` and `FINGER_SSL_CERT` (PEM files; the key file may hold
 * the certificate too). The IRC bot is step 19's. Settings:
 * [_env.ts](_env.ts); about uid/gid, see [finger11.ts](finger11.ts).
 *
 * Left out: the Perspective Broker port (8889) of the original, which
 * builds on step 21 (part 7, PB, is not ported). The original imports
 * `OpenSSL.SSL` only to fail early without pyOpenSSL; Deno's TLS is built
 * in. **Fixed quirk**: on Python 3, its `putChild("RPC2", ...)` with a
 * `str` key is never found (step 20's fix applies).
 *
 * Python original (the rest is step 21's):
 *
 * ```py
 * from OpenSSL import SSL
 * ...
 * application = service.Application("finger", uid=1, gid=1)
 * f = FingerService("/etc/users")
 * serviceCollection = service.IServiceCollection(application)
 * f.setServiceParent(serviceCollection)
 * strports.service("tcp:79", IFingerFactory(f)).setServiceParent(serviceCollection)
 * site = server.Site(resource.IResource(f))
 * strports.service(
 *     "tcp:8000",
 *     site,
 * ).setServiceParent(serviceCollection)
 * strports.service(
 *     "ssl:port=443:certKey=cert.pem:privateKey=server.pem", site
 * ).setServiceParent(serviceCollection)
 * i = IIRCClientFactory(f)
 * i.nickname = "fingerbot"
 * internet.ClientService(
 *     endpoints.clientFromString(reactor, "tcp:irc.freenode.org:6667"), i
 * ).setServiceParent(serviceCollection)
 * strports.service("tcp:8889", pb.PBServerFactory(IPerspectiveFinger(f))).setServiceParent(
 *     serviceCollection
 * )
 * ```
 *
 * @module
 */

import { clientFromString, getReactor } from "../../mod.ts";
import { Site } from "../../protocols/http/mod.ts";
import {
  Application,
  ClientService,
  IServiceCollection,
  strports,
} from "../../reactor/application/mod.ts";
import {
  FingerService,
  IFingerFactory,
  IIRCClientFactory,
} from "./finger19.ts";
import { IResource } from "./finger20.ts";
import {
  envId,
  envPort,
  envSeconds,
  envString,
  fingerInterface,
  tcp,
  usersFile,
} from "./_env.ts";

/**
 * Quotes a value for an endpoint string (`:` and `\` are special there).
 *
 * @param value A file name, say.
 * @returns The value, with `\` before each `:` and `\`.
 */
export function quoteStrport(value: string): string {
  return value.replace(/[\\:]/g, (c) => "\\" + c);
}

/**
 * The endpoint string of an HTTPS port.
 *
 * @param port The port (443 needs root).
 * @param privateKey The private key's PEM file.
 * @param certKey The certificate's PEM file.
 * @param iface The address to listen on.
 * @returns `ssl:port=…:privateKey=…:certKey=…:interface=…`.
 */
export function ssl(
  port: number,
  privateKey: string,
  certKey: string,
  iface: string,
): string {
  return `ssl:port=${port}:privateKey=${quoteStrport(privateKey)}` +
    `:certKey=${quoteStrport(certKey)}:interface=${quoteStrport(iface)}`;
}

/** What the runner runs: finger, the site over HTTP and HTTPS, the bot. */
export const application: Application = new Application("finger", {
  uid: envId("FINGER_UID"),
  gid: envId("FINGER_GID"),
});
const f = new FingerService(usersFile(), envSeconds("FINGER_RELOAD", 30));
const serviceCollection = IServiceCollection(application);
f.setServiceParent(serviceCollection);
strports.service(tcp(envPort("FINGER_PORT", 79)), IFingerFactory(f))
  .setServiceParent(serviceCollection);
const site = new Site(IResource(f));
strports.service(
  tcp(envPort("FINGER_WEB_PORT", 8000)),
  site,
).setServiceParent(serviceCollection);
strports.service(
  ssl(
    envPort("FINGER_SSL_PORT", 443),
    envString("FINGER_SSL_KEY", "server.pem"),
    envString("FINGER_SSL_CERT", "cert.pem"),
    fingerInterface(),
  ),
  site,
).setServiceParent(serviceCollection);
const i = IIRCClientFactory(f);
i.nickname = envString("FINGER_IRC_NICK", "fingerbot");
new ClientService(
  clientFromString(
    getReactor(),
    envString("FINGER_IRC_SERVER", "tcp:127.0.0.1:6667"),
  ),
  i,
).setServiceParent(serviceCollection);
