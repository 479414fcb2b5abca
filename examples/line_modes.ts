// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode LineReceiver}'s two modes. Many protocols mix lines and raw
 * data (HTTP/1.1: header lines, then a body of `Content-Length` bytes). In
 * line mode, the default, each line goes to `lineReceived`; after
 * `setRawMode()` the bytes go to `rawDataReceived`, in whatever chunks they
 * arrive, until `setLineMode()` switches back. Bytes of the next line that
 * came with the end of the body are handed back with `setLineMode(rest)`.
 *
 * The protocol here: `DATA n` announces a body of n bytes, which is read in
 * raw mode and answered with `received n bytes: "..."` (the body, quoted);
 * any other line is answered with `line: ...`; empty lines are ignored. A
 * body over 1 MiB is refused: the server answers `error: ...`, logs it and
 * closes the connection. The body is collected in an array that grows with
 * the bytes that arrive, as every receiver of a peer-announced length should:
 * a 15-byte `DATA 1000000` line costs nothing until the bytes come.
 *
 * ```sh
 * deno run --allow-net examples/line_modes.ts       # port 8004
 * nc -C 127.0.0.1 8004
 * hello
 * line: hello
 * DATA 5
 * world                       # 5 bytes of body (the line end that nc adds
 * received 5 bytes: "world"   # makes an empty line, which is ignored)
 * ```
 *
 * Or in one go: `printf 'DATA 3\r\nabcbye\r\n' | nc -N 127.0.0.1 8004`
 * answers `received 3 bytes: "abc"` and `line: bye`.
 *
 * @module
 */

import { Factory, LineReceiver, log, reactor } from "../mod.ts";
import { announce, cli, portNumber } from "./_cli.ts";

/** Lines, and length-announced bodies read in raw mode. */
export class LineModes extends LineReceiver {
  /**
   * The largest body accepted, in bytes: a longer announcement is answered
   * with an error, logged, and the connection closed.
   */
  maxBody = 1 << 20;
  // The announced length, and the body so far. Its array grows with the
  // bytes that arrive (doubling, up to the announced length), never
  // allocated at the announced length up front: a peer could announce a
  // large body on many connections and send none of it.
  #length = 0;
  #body: Uint8Array = new Uint8Array(0);
  #filled = 0;

  /**
   * Handles a line: `DATA n` switches to raw mode for n bytes.
   *
   * @param line A line, without its delimiter.
   */
  override lineReceived(line: string): void {
    if (line === "") return;
    const m = /^DATA (\d+)$/.exec(line);
    if (m === null) {
      this.sendLine(`line: ${line}`);
      return;
    }
    const n = Number(m[1]);
    if (n > this.maxBody) {
      // The body would follow; refuse it and the rest of the connection.
      this.sendLine(`error: a body is at most ${this.maxBody} bytes`);
      log.msg(
        `DATA ${
          m[1]
        } from ${this.transport.getPeer()} is over the limit of ${this.maxBody} bytes: closing the connection`,
      );
      this.transport.loseConnection();
      return;
    }
    this.#length = n;
    this.#body = new Uint8Array(0);
    this.#filled = 0;
    if (n === 0) this.#done();
    else this.setRawMode();
  }

  /**
   * Collects the body; once complete, answers and goes back to line mode
   * with the bytes that followed it.
   *
   * @param data A chunk, possibly running past the end of the body.
   */
  override rawDataReceived(data: Uint8Array): void {
    const take = Math.min(data.length, this.#length - this.#filled);
    const size = this.#filled + take;
    if (size > this.#body.length) {
      const body = new Uint8Array(
        Math.min(this.#length, Math.max(size, 2 * this.#body.length)),
      );
      body.set(this.#body.subarray(0, this.#filled));
      this.#body = body;
    }
    this.#body.set(data.subarray(0, take), this.#filled);
    this.#filled = size;
    if (size === this.#length) {
      this.#done();
      this.setLineMode(data.subarray(take));
    }
  }

  #done(): void {
    const text = new TextDecoder().decode(this.#body.subarray(0, this.#filled));
    this.sendLine(`received ${this.#length} bytes: ${JSON.stringify(text)}`);
    this.#body = new Uint8Array(0);
  }
}

const USAGE = `
Usage: deno run --allow-net examples/line_modes.ts [--port N] [--host H]

  --port N   the port to listen on (0: any free port) [default: 8004]
  --host H   the address to listen on [default: 127.0.0.1]

Then: nc -C 127.0.0.1 8004, and type "DATA 5", then 5 characters.
`;

if (import.meta.main) {
  const { values } = cli(USAGE, {
    port: { type: "string", default: "8004" },
    host: { type: "string", default: "127.0.0.1" },
  });
  log.startLogging();
  const port = reactor.listenTCP(
    portNumber(USAGE, values.port),
    Factory.forProtocol(LineModes),
    { interface: values.host },
  );
  announce(port);
  await reactor.run();
}
