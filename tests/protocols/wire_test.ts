// Copyright 2026 the Torsion authors. MIT license.
// Ported from twisted/test/test_protocols.py (WireTests), plus Chargen,
// Daytime and Time, which Twisted leaves untested.
import { deepEqual, equal } from "node:assert/strict";
import {
  Chargen,
  Daytime,
  Discard,
  Echo,
  QOTD,
  Time,
  Who,
} from "../../protocols/mod.ts";
import { reactor } from "../../reactor/default_reactor.ts";
import { Clock, StringTransport } from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

function connect<P extends { makeConnection(t: StringTransport): void }>(
  p: P,
): StringTransport {
  const t = new StringTransport();
  p.makeConnection(t);
  return t;
}

function clockAt(seconds: number): Clock {
  const clock = new Clock();
  clock.advance(seconds);
  return clock;
}

Deno.test("Echo writes back what it receives", () => {
  const p = new Echo();
  const t = connect(p);
  for (const s of ["hello", "world", "how", "are", "you"]) {
    p.dataReceived(enc(s));
  }
  equal(t.valueText(), "helloworldhowareyou");
});

Deno.test("Echo writes back binary data unchanged", () => {
  const p = new Echo();
  const t = connect(p);
  p.dataReceived(new Uint8Array([0, 255, 13, 10]));
  deepEqual([...t.value()], [0, 255, 13, 10]);
});

Deno.test("Who writes root and closes the connection", () => {
  const t = connect(new Who());
  equal(t.valueText(), "root\r\n");
  equal(t.disconnecting, true);
});

Deno.test("Who writes what getUsers() returns", () => {
  class Users extends Who {
    override getUsers(): string {
      return "alice\r\nbob\r\n";
    }
  }
  equal(connect(new Users()).valueText(), "alice\r\nbob\r\n");
});

Deno.test("QOTD writes Twisted's quote and closes the connection", () => {
  const t = connect(new QOTD());
  deepEqual(t.value(), enc("An apple a day keeps the doctor away.\r\n"));
  equal(t.disconnecting, true);
});

Deno.test("QOTD writes what getQuote() returns", () => {
  class Quote extends QOTD {
    override getQuote(): Uint8Array {
      return enc("Carpe diem.\r\n");
    }
  }
  equal(connect(new Quote()).valueText(), "Carpe diem.\r\n");
});

Deno.test("Discard writes nothing", () => {
  const p = new Discard();
  const t = connect(p);
  for (const s of ["hello", "world", "how", "are", "you"]) {
    p.dataReceived(enc(s));
  }
  equal(t.value().length, 0);
  equal(t.disconnecting, false);
});

Deno.test("Chargen registers itself as a pull producer", () => {
  const p = new Chargen();
  const t = connect(p);
  equal(t.producer, p);
  equal(t.streaming, false);
  equal(t.value().length, 0);
});

Deno.test("Chargen writes Twisted's 71-byte pattern per resumeProducing()", () => {
  const p = new Chargen();
  const t = connect(p);
  const noise =
    '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ !"#$%&?';
  equal(noise.length, 71);
  p.resumeProducing();
  equal(t.valueText(), noise);
  p.resumeProducing();
  p.pauseProducing();
  p.stopProducing();
  equal(t.valueText(), noise + noise);
});

Deno.test("Daytime writes the UTC date asctime-style and closes the connection", () => {
  const p = new Daytime();
  p.clock = clockAt(Date.UTC(2026, 10, 28, 14, 42, 56) / 1000);
  const t = connect(p);
  equal(t.valueText(), "Sat Nov 28 14:42:56 2026\r\n");
  equal(t.disconnecting, true);
});

Deno.test("Daytime pads a one-digit day with a space", () => {
  const p = new Daytime();
  p.clock = clockAt(Date.UTC(2027, 0, 3, 4, 5, 6) / 1000 + 0.75);
  equal(connect(p).valueText(), "Sun Jan  3 04:05:06 2027\r\n");
});

Deno.test("Daytime and Time read the reactor's clock by default", () => {
  equal(new Daytime().clock, reactor);
  equal(new Time().clock, reactor);
});

Deno.test("Time writes seconds since 1900 as 4 big-endian bytes and closes", () => {
  const p = new Time();
  // 2026-11-28 14:42:56 UTC = 4004865776 s after 1900-01-01 (Python).
  p.clock = clockAt(Date.UTC(2026, 10, 28, 14, 42, 56) / 1000 + 0.9);
  const t = connect(p);
  const expected = Date.UTC(2026, 10, 28, 14, 42, 56) / 1000 + 2208988800;
  equal(expected, 4004865776);
  deepEqual([...t.value()], [0xee, 0xb5, 0x66, 0xf0]);
  equal(new DataView(t.value().buffer).getUint32(0), expected);
  equal(t.disconnecting, true);
});

Deno.test("Time sends the unsigned 1900-based count, not signed Unix time", () => {
  const p = new Time();
  p.clock = clockAt(0);
  deepEqual([...connect(p).value()], [0x83, 0xaa, 0x7e, 0x80]);
});

Deno.test("Time wraps around after 2036 as the RFC's 32-bit counter does", () => {
  const p = new Time();
  // 2036-02-07 06:28:16 UTC is 2 ** 32 s after 1900.
  p.clock = clockAt(Date.UTC(2036, 1, 7, 6, 28, 17) / 1000);
  deepEqual([...connect(p).value()], [0, 0, 0, 1]);
});
