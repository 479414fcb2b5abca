// Copyright 2026 the Torsion authors. MIT license.
// The transport's write path on a scripted stream whose writes complete only
// when the test says so: small writes are staged in shared slabs that are
// used again, and a region must never be written over while it is queued or
// being sent, whichever connection writes next.
import { deepEqual, equal, ok } from "node:assert/strict";
import { Connection } from "../../../reactor/transports/connection.ts";
import { Protocol } from "../../../reactor/protocol.ts";
import type { Reactor } from "../../../reactor/reactor.ts";
import type { Failure } from "../../../defer/mod.ts";
import { signal, turn, withReactor } from "../../_reactor.ts";
import { HeldStream } from "./_held_stream.ts";

class Recorder extends Protocol {
  readonly lost: Promise<Failure>;
  readonly #lost: (reason: Failure) => void;
  constructor() {
    super();
    [this.lost, this.#lost] = signal<Failure>();
  }
  override connectionLost(reason: Failure): void {
    this.#lost(reason);
  }
}

function open(reactor: Reactor, n: number): [Connection, HeldStream] {
  const stream = new HeldStream();
  const conn = new Connection(reactor, stream, new Recorder(), n);
  conn._start();
  return [conn, stream];
}

/** Writes `count` small writes of `size` bytes of `byte`. */
function writeMany(c: Connection, byte: number, count: number, size = 1000) {
  for (let i = 0; i < count; i++) c.write(new Uint8Array(size).fill(byte));
}

/** Closes the connections and waits for their connectionLost. */
async function closeAll(...conns: Connection[]): Promise<void> {
  for (const c of conns) c.loseConnection();
  await Promise.all(conns.map((c) => (c.protocol as Recorder).lost));
}

function only(bytes: Uint8Array[], byte: number): boolean {
  return bytes.every((b) => b.every((x) => x === byte));
}

Deno.test("a staged region being sent is not written over by other connections", () =>
  withReactor(async (reactor) => {
    const [a, sa] = open(reactor, 1);
    const [b, sb] = open(reactor, 2);
    const [c, sc] = open(reactor, 3);
    // A fills most of a slab and its write stays pending.
    writeMany(a, 0x41, 250);
    await turn();
    equal(sa.writesPending, 1);
    // B's writes need a slab of their own; they complete, which frees it.
    writeMany(b, 0x42, 100);
    await turn();
    equal(sb.complete(), 100_000);
    await turn();
    // C writes into the freed slab, and more than A left free in its own.
    writeMany(c, 0x43, 200);
    await turn();
    equal(sc.complete(), 200_000);
    await turn();
    // A's bytes were not touched while its write was pending.
    equal(sa.complete(), 250_000);
    ok(only(sa.sent, 0x41), "A sent only A's bytes");
    ok(only(sb.sent, 0x42), "B sent only B's bytes");
    ok(only(sc.sent, 0x43), "C sent only C's bytes");
    await closeAll(a, b, c);
  }));

Deno.test("regions queued behind a pending write are kept until sent", () =>
  withReactor(async (reactor) => {
    const [a, sa] = open(reactor, 1);
    const [b, sb] = open(reactor, 2);
    a.write(new Uint8Array(100).fill(1));
    await turn();
    // Queued while the first write is pending: small, large, small.
    writeMany(a, 2, 50);
    a.write(new Uint8Array(5000).fill(3));
    writeMany(a, 4, 50);
    // Another connection cycles through the slabs meanwhile.
    for (let round = 0; round < 6; round++) {
      writeMany(b, 5 + round, 200);
      await turn();
      sb.complete();
    }
    await turn();
    sa.complete();
    await turn();
    sa.complete();
    equal(sa.sent.length, 2);
    deepEqual(
      [...new Set(sa.sent[1])],
      [2, 3, 4],
    );
    equal(sa.sent[1].length, 50_000 + 5000 + 50_000);
    equal(sa.sent[1].indexOf(3), 50_000);
    equal(sa.sent[1].lastIndexOf(3), 54_999);
    deepEqual(sb.sent.map((s) => s[0]), [5, 6, 7, 8, 9, 10]);
    for (let i = 0; i < 6; i++) ok(only([sb.sent[i]], 5 + i));
    await closeAll(a, b);
  }));

Deno.test("slabs of a connection lost with writes pending are used again safely", () =>
  withReactor(async (reactor) => {
    const [a, sa] = open(reactor, 1);
    const [b, sb] = open(reactor, 2);
    writeMany(a, 7, 100);
    await turn();
    writeMany(a, 8, 100); // queued behind the pending write
    equal(sa.writesPending, 1);
    a.abortConnection();
    // The aborted connection's queue is dropped; B reuses the space.
    for (let round = 0; round < 4; round++) {
      writeMany(b, 20 + round, 250);
      await turn();
      sb.complete();
    }
    ok(sb.sent.every((s, i) => only([s], 20 + i)));
    const reason = await (a.protocol as Recorder).lost;
    equal(reason.type?.name, "ConnectionAborted");
    await closeAll(b);
  }));
