// Copyright 2026 the Torsion authors. MIT license.
/**
 * Finger, step 9 (the tutorial's `finger09.py`): **run `finger` locally.**
 * The factory's `getUser` runs the system's `finger` command with
 * {@linkcode getProcessOutput}, whose Deferred fires with everything the
 * command printed once it exits. The protocol is step 8's: it does not
 * care that the answer now comes from a process.
 *
 * ```sh
 * deno run --allow-net --allow-run examples/finger/finger09.ts   # port 1079
 * echo root | nc -C 127.0.0.1 1079       # Login: root   Name: root ...
 * echo nobody1 | nc -C 127.0.0.1 1079    # Internal error in server
 * ```
 *
 * It needs the `finger` program (Debian: `apt-get install finger`). For an
 * unknown user `finger` writes `finger: nobody1: no such user.` to stderr;
 * output on stderr fails `getProcessOutput`'s Deferred
 * ({@linkcode UnexpectedErrorOutput}), so the answer is the errback's
 * "Internal error in server", as in Twisted. (The errback also handles the
 * Deferred of the process's end that `UnexpectedErrorOutput` carries, which
 * Twisted leaves to be logged as "Unhandled error in Deferred".)
 *
 * The answer comes once `finger` has exited, so the client must keep its
 * side open until then: `nc -N` (which shuts down its side at the end of
 * its input) would make the server see the connection end first.
 *
 * **Fixed quirks**: the errback's `str` (see step 8); and the original
 * hands the client's line to `finger` as is, so `-l` became an option and
 * `user@host` made the server finger another host for whoever asked. Here
 * a name that starts with `-` or holds `@` (or whitespace) is answered
 * `No such user` without running anything. Python writes the command's
 * bytes as they are; so does this port (the answer is bytes).
 *
 * Python original:
 *
 * ```py
 * from twisted.internet import endpoints, protocol, reactor, utils
 * from twisted.protocols import basic
 *
 * class FingerProtocol(basic.LineReceiver):
 *     def lineReceived(self, user):
 *         d = self.factory.getUser(user)
 *
 *         def onError(err):
 *             return "Internal error in server"
 *
 *         d.addErrback(onError)
 *
 *         def writeResponse(message):
 *             self.transport.write(message + b"\r\n")
 *             self.transport.loseConnection()
 *
 *         d.addCallback(writeResponse)
 *
 * class FingerFactory(protocol.ServerFactory):
 *     protocol = FingerProtocol
 *
 *     def getUser(self, user):
 *         return utils.getProcessOutput(b"finger", [user])
 *
 * fingerEndpoint = endpoints.serverFromString(reactor, "tcp:1079")
 * fingerEndpoint.listen(FingerFactory())
 * reactor.run()
 * ```
 *
 * @module
 */

import {
  type Deferred,
  type Failure,
  getProcessOutput,
  LineReceiver,
  log,
  type ProtocolClass,
  reactor,
  ServerFactory,
  serverFromString,
  succeed,
  UnexpectedErrorOutput,
} from "../../mod.ts";
import { announce } from "../_cli.ts";
import { fingerCli } from "./_finger_cli.ts";

/** Answers with what its factory's Deferred gives (text or bytes). */
export class FingerProtocol extends LineReceiver {
  declare factory: FingerFactory;

  /**
   * Asks the factory about `user`; writes the answer (or "Internal error in
   * server") and drops the connection.
   *
   * @param user The username.
   */
  override lineReceived(user: string): void {
    const d: Deferred<Uint8Array | string> = this.factory.getUser(user);

    const onError = (err: Failure): string => {
      // The process ended after its stderr failed the Deferred: its end is
      // expected, not an error to report.
      if (err.value instanceof UnexpectedErrorOutput) {
        err.value.processEnded.addErrback(() => null);
      }
      return "Internal error in server";
    };
    d.addErrback(onError);

    const writeResponse = (message: Uint8Array | string): void => {
      this.transport.write(message);
      this.transport.write("\r\n");
      this.transport.loseConnection();
    };
    d.addCallback(writeResponse);
  }
}

/** Whether `user` may be handed to the `finger` command as a name. */
export function isPlainUsername(user: string): boolean {
  return user !== "" && !user.startsWith("-") && !/[@\s]/.test(user);
}

/** Answers with the output of the system's `finger` command. */
export class FingerFactory extends ServerFactory {
  override protocol: ProtocolClass = FingerProtocol;

  /**
   * Runs `finger user`.
   *
   * @param user The username.
   * @returns A Deferred of what `finger` printed (`No such user` for a
   *   name that is not a plain username).
   */
  getUser(user: string): Deferred<Uint8Array | string> {
    if (!isPlainUsername(user)) return succeed("No such user");
    return getProcessOutput("finger", [user]);
  }
}

if (import.meta.main) {
  const { port, host } = fingerCli("finger09.ts", "--allow-net --allow-run");
  log.startLogging();
  const fingerEndpoint = serverFromString(
    reactor,
    `tcp:${port}:interface=${host}`,
  );
  fingerEndpoint.listen(new FingerFactory()).addCallback(announce);
  await reactor.run();
}
