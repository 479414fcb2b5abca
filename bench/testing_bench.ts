// Copyright 2026 the Torsion authors. MIT license.
// The test doubles beside minimal hand-written equivalents: an echo
// protocol on a StringTransport (feed, value(), clear()), and a client and
// an echo server talking through connectedServerAndClient's IOPump. Each
// iteration makes 10,000 round trips of 64 bytes.
import { Protocol } from "../reactor/mod.ts";
import {
  connectedServerAndClient,
  StringTransport,
} from "../reactor/testing/mod.ts";
import { benchOptions } from "./_smoke.ts";

const ROUNDS = 10_000;
const MESSAGE = new Uint8Array(64).fill(97);

class Echo extends Protocol {
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/** Counts what it receives. */
class Counter extends Protocol {
  received = 0;
  override dataReceived(data: Uint8Array): void {
    this.received += data.length;
  }
}

function check(got: number): void {
  if (got !== ROUNDS * MESSAGE.length) {
    throw new Error(`Expected ${ROUNDS * MESSAGE.length} bytes, got ${got}`);
  }
}

/**
 * The least a recording transport does: copy each write (as StringTransport
 * does, so the protocol may reuse its array), join on demand, forget.
 */
class MinimalTransport {
  #chunks: Uint8Array[] = [];
  write(data: Uint8Array): void {
    this.#chunks.push(data.slice());
  }
  value(): Uint8Array {
    return join(this.#chunks);
  }
  clear(): void {
    this.#chunks = [];
  }
}

function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

Deno.bench({
  name: "hand-written: echo handler on a minimal recording transport",
  group: "string-transport",
  baseline: true,
  ...benchOptions,
  fn() {
    const t = new MinimalTransport();
    const handler = (data: Uint8Array) => t.write(data);
    let got = 0;
    for (let i = 0; i < ROUNDS; i++) {
      handler(MESSAGE);
      got += t.value().length;
      t.clear();
    }
    check(got);
  },
});

Deno.bench({
  name: "StringTransport: Echo protocol, dataReceived → value() → clear()",
  group: "string-transport",
  ...benchOptions,
  fn() {
    const t = new StringTransport();
    const p = new Echo();
    p.makeConnection(t);
    let got = 0;
    for (let i = 0; i < ROUNDS; i++) {
      p.dataReceived(MESSAGE);
      got += t.value().length;
      t.clear();
    }
    check(got);
  },
});

/**
 * The least an in-memory pipe does: two queues, moved across until both are
 * empty (as `IOPump.flush()` does, without producers or closing).
 */
class MinimalPipe {
  toServer: Uint8Array[] = [];
  toClient: Uint8Array[] = [];
  constructor(
    readonly server: (data: Uint8Array, pipe: MinimalPipe) => void,
    readonly client: (data: Uint8Array) => void,
  ) {}
  flush(): void {
    while (this.toServer.length > 0 || this.toClient.length > 0) {
      const c = this.toServer;
      const s = this.toClient;
      this.toServer = [];
      this.toClient = [];
      if (c.length > 0) this.server(join(c), this);
      if (s.length > 0) this.client(join(s));
    }
  }
}

Deno.bench({
  name: "hand-written: two queues, an echo handler and a counter",
  group: "iosim",
  baseline: true,
  ...benchOptions,
  fn() {
    let got = 0;
    const pipe = new MinimalPipe(
      (data, p) => p.toClient.push(data.slice()),
      (data) => {
        got += data.length;
      },
    );
    for (let i = 0; i < ROUNDS; i++) {
      pipe.toServer.push(MESSAGE.slice());
      pipe.flush();
    }
    check(got);
  },
});

Deno.bench({
  name: "connectedServerAndClient: write, IOPump.flush() (Echo server)",
  group: "iosim",
  ...benchOptions,
  fn() {
    const [client, , pump] = connectedServerAndClient(Echo, Counter);
    for (let i = 0; i < ROUNDS; i++) {
      client.transport.write(MESSAGE);
      pump.flush();
    }
    check(client.received);
  },
});
