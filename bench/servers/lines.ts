// Copyright 2026 the Torsion authors. MIT license.
// A Torsion LineReceiver line-echo server for the loopback load tests:
// delimiter "\n", each line echoed with sendLine. Binary-safe, so it
// overrides the bytes hook (no decoding, as the raw baseline does none).
// Prints the port it listens on.
// Run: deno run --allow-net=127.0.0.1 bench/servers/lines.ts PORT [--tls]
import { Factory } from "../../reactor/mod.ts";
import { LineReceiver } from "../../protocols/mod.ts";
import { serveTorsion } from "./_torsion.ts";

class LineEcho extends LineReceiver {
  override delimiter = "\n";
  override MAX_LENGTH = 1 << 20;
  override lineReceivedBytes(line: Uint8Array): void {
    this.sendLine(line);
  }
}

const factory = Factory.forProtocol(LineEcho);
factory.noisy = false;
serveTorsion(factory);
