// Copyright 2026 the Torsion authors. MIT license.
/**
 * The echo server of [echo_server.ts](echo_server.ts), as an
 * **application**: the tutorial's second way of writing a Twisted program.
 *
 * `echo_server.ts` is a script in the *reactor* style: it parses its
 * arguments, starts logging, calls `listenTCP` and `reactor.run()`, and so
 * owns the whole process. This module only says *what* runs: an
 * `Application` holding a `TCPServer` service, exported as `application`
 * (a Twisted `.tac` file). The **runner** owns the process: it loads the
 * module, logs (to stdout, or to a rotating file with `--logfile`), writes
 * a pid file, starts the services, and on Ctrl-C or SIGTERM stops them and
 * exits with status 0. The same module runs under any of the runner's
 * options, unchanged:
 *
 * ```sh
 * deno task run examples/echo_app.ts            # twistd -ny echo.tac
 * deno task run --pidfile echo.pid --logfile echo.log examples/echo_app.ts
 * nc 127.0.0.1 8000                              # then type lines
 * ECHO_PORT=0 deno task run examples/echo_app.ts # any free port (see the log)
 * ```
 *
 * Python original (`echo.tac`, run with `twistd -ny echo.tac`):
 *
 * ```py
 * from twisted.application import internet, service
 * from twisted.internet.protocol import Factory
 * from echo import Echo
 *
 * factory = Factory()
 * factory.protocol = Echo
 * application = service.Application("echo")
 * echoService = internet.TCPServer(8000, factory)
 * echoService.setServiceParent(application)
 * ```
 *
 * @module
 */

import { Factory } from "../mod.ts";
import { Application, TCPServer } from "../reactor/application/mod.ts";
import { Echo } from "./echo_server.ts";

/** The port: 8000, or `ECHO_PORT` (0: any free port). */
const port = Number(Deno.env.get("ECHO_PORT") ?? "8000");

const factory = new Factory();
factory.protocol = Echo;

/** What the runner runs: the echo service on 127.0.0.1. */
export const application: Application = new Application("echo");
const echoService = new TCPServer(port, factory, { interface: "127.0.0.1" });
echoService.setServiceParent(application);
