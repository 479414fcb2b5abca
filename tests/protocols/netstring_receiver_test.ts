// Copyright 2026 the Torsion authors. MIT license.
// Ported from twisted/protocols/test/test_basic.py (NetstringReceiverTests).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { NetstringParseError, NetstringReceiver } from "../../protocols/mod.ts";
import { StringTransport } from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Twisted's TestNetstring: records strings and echoes them. */
class TestNetstring extends NetstringReceiver {
  override MAX_LENGTH = 50;
  received: string[] = [];
  override stringReceived(data: Uint8Array): void {
    this.received.push(decoder.decode(data));
    this.transport.write(data);
  }
}

function setUp(max = 50): { p: TestNetstring; t: StringTransport } {
  const t = new StringTransport();
  const p = new TestNetstring();
  p.MAX_LENGTH = max;
  p.makeConnection(t);
  return { p, t };
}

const STRINGS = [
  "hello",
  "world",
  "how",
  "are",
  "you123",
  ":today",
  "a".repeat(515),
];

Deno.test("NetstringReceiver receives strings in chunks of every size", () => {
  const sender = setUp(699);
  for (const s of STRINGS) sender.p.sendString(s);
  const out = sender.t.value();
  for (let size = 1; size <= 64; size++) {
    const { p } = setUp(699);
    for (let i = 0; i < out.length; i += size) {
      p.dataReceived(out.slice(i, i + size));
    }
    deepEqual(p.received, STRINGS, `size ${size}`);
  }
});

/** How much the ArrayBuffers outside the JS heap grew while `fn` ran. */
function externalGrowth(fn: () => void): number {
  const before = Deno.memoryUsage().external;
  fn();
  return Deno.memoryUsage().external - before;
}

Deno.test("NetstringReceiver receives payloads spanning many chunks at every chunk size", () => {
  // Short, medium and long payloads: a split payload's room starts small and
  // grows (several times for the longest) while it arrives.
  const lengths = [3000, 20000, 70000];
  const payloads = lengths.map((n) =>
    Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 251)
  );
  const sender = setUp(70000);
  sender.p.sendString("a");
  for (const s of payloads) sender.p.sendString(s);
  sender.p.sendString("bc");
  const out = sender.t.value();
  const sizes = [];
  for (let size = 1; size <= 16; size++) sizes.push(size);
  sizes.push(63, 64, 100, 257, 1000, 2999, 3000, 3001, 4095, 4096, 4097);
  sizes.push(8191, 8192, 8193, 16384, 65536, 69999, 70000, 70001, out.length);
  for (const size of sizes) {
    const got: Uint8Array[] = [];
    class P extends NetstringReceiver {
      override MAX_LENGTH = 70000;
      override stringReceived(data: Uint8Array): void {
        got.push(data);
      }
    }
    const p = new P();
    const t = new StringTransport();
    p.makeConnection(t);
    for (let i = 0; i < out.length; i += size) {
      p.dataReceived(out.slice(i, i + size));
    }
    deepEqual(got, [enc("a"), ...payloads, enc("bc")], `size ${size}`);
    equal(t.disconnecting, false);
    for (let k = 0; k < lengths.length; k++) {
      if (size < lengths[k]) {
        // Assembled from pieces: an array of exactly its length.
        equal(got[k + 1].buffer.byteLength, lengths[k], `size ${size}`);
      }
    }
  }
});

Deno.test("NetstringReceiver does not allocate the length a peer announces", () => {
  // 6 bytes announce the default MAX_LENGTH, then 3 bytes of it come: a
  // hundred such connections must not hold 10 MB (each holds 4 KiB).
  const held: NetstringReceiver[] = [];
  const growth = externalGrowth(() => {
    for (let i = 0; i < 100; i++) {
      const { p } = setUp(99999);
      p.dataReceived(enc("99999:"));
      p.dataReceived(enc("abc"));
      held.push(p);
    }
  });
  ok(growth < 1_000_000, `held ${growth} bytes`);
  equal(held.length, 100);
});

Deno.test("NetstringReceiver holds only the bytes received of a 2 GB announcement", () => {
  const { p, t } = setUp(2 ** 31);
  const growth = externalGrowth(() => {
    p.dataReceived(enc("2000000000:abc"));
    p.dataReceived(enc("defg"));
  });
  ok(growth < 1_000_000, `held ${growth} bytes`);
  equal(t.disconnecting, false);
  equal(p.brokenPeer, false);
});

Deno.test("NetstringReceiver accepts an announced length too large to allocate", () => {
  const { p, t } = setUp(Number.MAX_SAFE_INTEGER);
  p.dataReceived(enc("9000000000000000:abc"));
  p.dataReceived(enc("def"));
  equal(t.disconnecting, false);
  equal(p.brokenPeer, false);
  deepEqual(p.received, []);
});

Deno.test("NetstringReceiver delivers a payload whose length came alone as a view", () => {
  const got: Uint8Array[] = [];
  class P extends NetstringReceiver {
    override stringReceived(data: Uint8Array): void {
      got.push(data);
    }
  }
  const p = new P();
  p.makeConnection(new StringTransport());
  p.dataReceived(enc("5:"));
  const chunk = enc("hello,");
  p.dataReceived(chunk);
  deepEqual(got, [enc("hello")]);
  equal(got[0].buffer, chunk.buffer);
});

Deno.test("NetstringReceiver receives an empty netstring", () => {
  const { p } = setUp();
  p.dataReceived(enc("0:,"));
  deepEqual(p.received, [""]);
});

Deno.test("NetstringReceiver receives a one-character netstring", () => {
  const { p } = setUp();
  p.dataReceived(enc("1:a,"));
  deepEqual(p.received, ["a"]);
});

Deno.test("NetstringReceiver receives a two-character netstring", () => {
  const { p } = setUp();
  p.dataReceived(enc("2:ab,"));
  deepEqual(p.received, ["ab"]);
});

Deno.test("NetstringReceiver receives a netstring nested in a payload", () => {
  const { p } = setUp();
  p.dataReceived(enc("4:1:a,,"));
  deepEqual(p.received, ["1:a,"]);
});

Deno.test("NetstringReceiver refuses more data than the length says", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("2:aaa,"));
  equal(t.disconnecting, true);
  equal(p.brokenPeer, true);
});

Deno.test("NetstringReceiver refuses data in a netstring of length 0", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("0:a,"));
  equal(t.disconnecting, true);
  deepEqual(p.received, []);
});

Deno.test("NetstringReceiver refuses a netstring without a number", () => {
  const { p, t } = setUp();
  p.dataReceived(enc(":aaa,"));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver refuses a netstring without a colon", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("3aaa,"));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver refuses a netstring without number and colon", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("aaa,"));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver refuses data only", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("aaa"));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver refuses a length with a leading zero", () => {
  for (const bad of ["007:abcdefg,", "00:,", "01:a,"]) {
    const { p, t } = setUp();
    p.dataReceived(enc(bad));
    equal(t.disconnecting, true, bad);
    deepEqual(p.received, []);
  }
});

Deno.test("NetstringReceiver refuses every illegal string fed byte by byte", () => {
  const illegal = [
    "9999999999999999999999",
    "abc",
    "4:abcde",
    "51:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab,",
  ];
  for (const s of illegal) {
    const { p, t } = setUp();
    for (const byte of enc(s)) p.dataReceived(new Uint8Array([byte]));
    equal(t.disconnecting, true, s);
    equal(p.brokenPeer, true);
  }
});

Deno.test("NetstringReceiver refuses an over-long length before its colon arrives", () => {
  const { p, t } = setUp(99999);
  p.dataReceived(enc("99999"));
  equal(t.disconnecting, false);
  p.dataReceived(enc("9"));
  equal(t.disconnecting, true);
  equal(
    p.parseError?.message,
    "The received netstring is longer than the maximum 99999 specified by MAX_LENGTH",
  );
});

Deno.test("NetstringReceiver refuses a partial length above MAX_LENGTH at once", () => {
  const { p, t } = setUp(50);
  p.dataReceived(enc("5"));
  equal(t.disconnecting, false);
  p.dataReceived(enc("1"));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver receives a netstring in two portions", () => {
  const { p } = setUp();
  p.dataReceived(enc("4:aa"));
  p.dataReceived(enc("aa,"));
  deepEqual(p.received, ["aaaa"]);
});

Deno.test("NetstringReceiver receives a length split across portions", () => {
  const { p } = setUp();
  for (const part of ["1", "0:01234", "56789", ","]) p.dataReceived(enc(part));
  deepEqual(p.received, ["0123456789"]);
});

Deno.test("NetstringReceiver receives a netstring one character at a time", () => {
  const { p } = setUp();
  for (const part of ["2", ":", "a", "b", ","]) p.dataReceived(enc(part));
  deepEqual(p.received, ["ab"]);
});

Deno.test("NetstringReceiver receives two netstrings split after the second length", () => {
  const { p } = setUp();
  p.dataReceived(enc("1:a,1"));
  deepEqual(p.received, ["a"]);
  p.dataReceived(enc(":b,"));
  deepEqual(p.received, ["a", "b"]);
});

Deno.test("NetstringReceiver refuses a length above MAX_LENGTH", () => {
  const { p, t } = setUp();
  const tooLong = p.MAX_LENGTH + 1;
  p.dataReceived(enc(`${tooLong}:${"a".repeat(tooLong)}`));
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver accepts a length equal to MAX_LENGTH", () => {
  // test_consumeLengthBorderCase1
  const { p, t } = setUp(12);
  p.dataReceived(enc(`12:${"x".repeat(12)},`));
  equal(t.disconnecting, false);
  deepEqual(p.received, ["x".repeat(12)]);
});

Deno.test("NetstringReceiver refuses a length one above MAX_LENGTH with NetstringParseError", () => {
  // test_consumeLengthBorderCase2
  const { p, t } = setUp(11);
  p.dataReceived(enc("12:"));
  equal(t.disconnecting, true);
  ok(p.parseError instanceof NetstringParseError);
});

Deno.test("NetstringReceiver refuses a length far above MAX_LENGTH with NetstringParseError", () => {
  // test_consumeLengthBorderCase3
  const { p } = setUp(11);
  p.dataReceived(enc("1000:"));
  ok(p.parseError instanceof NetstringParseError);
  equal(p.brokenPeer, true);
});

Deno.test("NetstringReceiver reports a missing comma with Twisted's message", () => {
  const { p } = setUp();
  p.dataReceived(enc("3:abcd"));
  equal(
    p.parseError?.message,
    "The received netstring is not terminated by a comma.",
  );
});

Deno.test("NetstringReceiver reports a missing length with Twisted's message", () => {
  const { p } = setUp();
  p.dataReceived(enc("x"));
  equal(
    p.parseError?.message,
    "The received netstring does not start with a length specification.",
  );
  equal(p.parseError?.name, "NetstringParseError");
});

Deno.test("NetstringReceiver keeps refusing data once the peer is broken", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("x"));
  t.disconnecting = false;
  p.brokenPeer = false;
  p.dataReceived(enc("1:a,"));
  deepEqual(p.received, []);
  equal(t.disconnecting, true);
  equal(p.brokenPeer, true);
});

Deno.test("NetstringReceiver delivers the strings before an error in the same chunk", () => {
  const { p, t } = setUp();
  p.dataReceived(enc("1:a,2:bc,x2:de,"));
  deepEqual(p.received, ["a", "bc"]);
  equal(t.disconnecting, true);
});

Deno.test("NetstringReceiver.makeConnection() resets the parser and brokenPeer", () => {
  const { p } = setUp();
  p.dataReceived(enc("x"));
  equal(p.brokenPeer, true);
  p.makeConnection(new StringTransport());
  equal(p.brokenPeer, false);
  equal(p.parseError, null);
  p.dataReceived(enc("1:a,"));
  deepEqual(p.received, ["a"]);
});

Deno.test("NetstringReceiver.stringReceived() throws unless overridden", () => {
  throws(
    () => new NetstringReceiver().stringReceived(enc("foo")),
    /stringReceived\(\): it must be overridden/,
  );
});

Deno.test("NetstringReceiver.sendString() frames bytes and strings", () => {
  const { p, t } = setUp();
  p.sendString(new Uint8Array([0, 255]));
  p.sendString("é");
  p.sendString("");
  deepEqual([...t.value()], [
    ...enc("2:"),
    0,
    255,
    ...enc(",2:é,0:,"),
  ]);
});

Deno.test("NetstringReceiver.sendString() does not check MAX_LENGTH", () => {
  const { p, t } = setUp(3);
  p.sendString("abcdefghijkl");
  equal(t.valueText(), "12:abcdefghijkl,");
});

Deno.test("NetstringReceiver delivers binary payloads unchanged", () => {
  const got: Uint8Array[] = [];
  class P extends NetstringReceiver {
    override stringReceived(data: Uint8Array): void {
      got.push(data);
    }
  }
  const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
  const p = new P();
  p.makeConnection(new StringTransport());
  p.dataReceived(enc("256:"));
  p.dataReceived(payload.slice(0, 100));
  p.dataReceived(payload.slice(100));
  p.dataReceived(enc(",3:"));
  p.dataReceived(new Uint8Array([0, 44, 58, 44]));
  deepEqual(got, [payload, new Uint8Array([0, 44, 58])]);
});

Deno.test("NetstringReceiver still delivers strings after a handler closes the connection", () => {
  // As in Twisted: NetstringReceiver does not check `disconnecting`.
  const got: string[] = [];
  class P extends NetstringReceiver {
    override stringReceived(data: Uint8Array): void {
      got.push(decoder.decode(data));
      this.transport.loseConnection();
    }
  }
  const p = new P();
  p.makeConnection(new StringTransport());
  p.dataReceived(enc("1:a,1:b,"));
  deepEqual(got, ["a", "b"]);
});

Deno.test("NetstringReceiver processes a re-entrant dataReceived in order", () => {
  const got: string[] = [];
  class P extends NetstringReceiver {
    override stringReceived(data: Uint8Array): void {
      const s = decoder.decode(data);
      got.push(s);
      if (s === "a") this.dataReceived(enc("1:c,"));
    }
  }
  const p = new P();
  p.makeConnection(new StringTransport());
  p.dataReceived(enc("1:a,1:b,"));
  deepEqual(got, ["a", "b", "c"]);
});

Deno.test("NetstringParseError is a SyntaxError named NetstringParseError", () => {
  const e = new NetstringParseError("bad");
  ok(e instanceof SyntaxError);
  equal(e.name, "NetstringParseError");
  equal(e.message, "bad");
});
