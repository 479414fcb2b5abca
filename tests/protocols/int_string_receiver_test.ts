// Copyright 2026 the Torsion authors. MIT license.
// Ported from twisted/protocols/test/test_basic.py (IntNTestCaseMixin,
// RecvdAttributeMixin, Int8Tests, Int16Tests, Int32Tests) and
// twisted/test/test_stateful.py (test_bigReceive).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  Int16StringReceiver,
  Int32StringReceiver,
  Int8StringReceiver,
  IntNStringReceiver,
  StringTooLongError,
} from "../../protocols/mod.ts";
import { StringTransport } from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

function bytes(...parts: (Uint8Array | number[] | string)[]): Uint8Array {
  const arrays = parts.map((p) =>
    typeof p === "string" ? enc(p) : Uint8Array.from(p)
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

type Receiver = IntNStringReceiver & {
  received: Uint8Array[];
  transport: StringTransport;
};

interface Kind {
  name: string;
  make(): Receiver;
  /** Packs a length as the prefix (Twisted's struct.pack(structFormat, n)). */
  pack(n: number): number[];
  illegal: number[][];
  partial: Uint8Array[];
}

function recorder<T extends new () => IntNStringReceiver>(
  Base: T,
): () => Receiver {
  return () => {
    const p = new Base() as Receiver;
    p.received = [];
    p.stringReceived = (data: Uint8Array) => {
      p.received.push(data);
    };
    p.MAX_LENGTH = 50;
    p.makeConnection(new StringTransport());
    return p;
  };
}

const KINDS: Kind[] = [
  {
    name: "Int32StringReceiver",
    make: recorder(Int32StringReceiver),
    pack: (n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255],
    illegal: [[0x10, 0, 0, 0, 97, 97, 97, 97, 97, 97]],
    partial: [bytes([0, 0, 0]), enc("hello there"), bytes()],
  },
  {
    name: "Int16StringReceiver",
    make: recorder(Int16StringReceiver),
    pack: (n) => [n >>> 8, n & 255],
    illegal: [[0x10, 0, 97, 97, 97, 97, 97, 97]],
    partial: [bytes([0]), enc("hello there"), bytes()],
  },
  {
    name: "Int8StringReceiver",
    make: recorder(Int8StringReceiver),
    pack: (n) => [n],
    illegal: [[0, 0, 97, 97, 97, 97, 97, 97]],
    partial: [bytes([8]), enc("dzadz"), bytes()],
  },
];

const STRINGS = [enc("a"), enc("b".repeat(16))];

function message(kind: Kind, data: Uint8Array): Uint8Array {
  return bytes(kind.pack(data.length), data);
}

for (const kind of KINDS) {
  const { name } = kind;

  Deno.test(`${name} receives strings fed byte by byte`, () => {
    const r = kind.make();
    for (const s of STRINGS) {
      for (const b of message(kind, s)) r.dataReceived(new Uint8Array([b]));
    }
    deepEqual(r.received, STRINGS);
  });

  Deno.test(`${name} receives strings at every chunk size`, () => {
    const all = bytes(
      ...[...STRINGS, enc(""), enc("xyz")].map((s) => message(kind, s)),
    );
    for (let size = 1; size <= all.length; size++) {
      const r = kind.make();
      for (let i = 0; i < all.length; i += size) {
        r.dataReceived(all.slice(i, i + size));
      }
      deepEqual(r.received, [...STRINGS, enc(""), enc("xyz")], `size ${size}`);
    }
  });

  Deno.test(`${name} delivers nothing for partial data`, () => {
    for (const s of kind.partial) {
      const r = kind.make();
      for (const b of s) r.dataReceived(new Uint8Array([b]));
      deepEqual(r.received, []);
    }
  });

  Deno.test(`${name}.sendString() writes the prefix and the string`, () => {
    const r = kind.make();
    r.sendString(enc("b".repeat(16)));
    deepEqual(r.transport.value(), message(kind, enc("b".repeat(16))));
  });

  Deno.test(`${name}.sendString() encodes a string as UTF-8`, () => {
    const r = kind.make();
    r.sendString("é");
    deepEqual(r.transport.value(), bytes(kind.pack(2), [0xc3, 0xa9]));
  });

  Deno.test(`${name} calls lengthLimitExceeded with a prefix above MAX_LENGTH`, () => {
    const r = kind.make();
    const lengths: number[] = [];
    r.lengthLimitExceeded = (n) => {
      lengths.push(n);
    };
    r.MAX_LENGTH = 10;
    r.dataReceived(Uint8Array.from(kind.pack(11)));
    deepEqual(lengths, [11]);
  });

  Deno.test(`${name} never delivers a string longer than MAX_LENGTH`, () => {
    const r = kind.make();
    r.MAX_LENGTH = 10;
    r.dataReceived(bytes(kind.pack(11), "x".repeat(11)));
    deepEqual(r.received, []);
    equal(r.transport.disconnecting, true);
  });

  Deno.test(`${name} disconnects on illegal strings`, () => {
    for (const s of kind.illegal) {
      const r = kind.make();
      for (const b of s) r.dataReceived(new Uint8Array([b]));
      equal(r.transport.disconnecting, true);
    }
  });

  Deno.test(`${name}.recvd holds the data after the current string`, () => {
    const r = kind.make();
    const seen: Uint8Array[] = [];
    r.stringReceived = () => {
      seen.push(r.recvd.slice());
    };
    const complete = bytes(kind.pack(5), "aaaaa");
    const incomplete = bytes(kind.pack(5), "bbbb");
    r.dataReceived(bytes(complete, incomplete));
    deepEqual(seen, [incomplete]);
  });

  Deno.test(`${name}.recvd assigned in stringReceived replaces the rest`, () => {
    const r = kind.make();
    const seen: Uint8Array[] = [];
    const messageC = message(kind, enc("ccccc"));
    r.stringReceived = (data) => {
      if (seen.length === 0) r.recvd = messageC;
      seen.push(data);
    };
    r.dataReceived(
      bytes(message(kind, enc("aaaaa")), message(kind, enc("bbbbb"))),
    );
    deepEqual(seen, [enc("aaaaa"), enc("ccccc")]);
  });

  Deno.test(`${name} does not re-parse data consumed through recvd`, () => {
    // test_switching
    const r = kind.make();
    const SWITCH = [0, 0, 0, 0];
    const mix = bytes(...STRINGS.flatMap((s) => [message(kind, s), SWITCH]));
    const seen: Uint8Array[] = [];
    r.stringReceived = (data) => {
      seen.push(data);
      r.recvd = r.recvd.subarray(SWITCH.length);
    };
    r.dataReceived(mix);
    r.dataReceived(new Uint8Array([1]));
    deepEqual(seen, STRINGS);
    deepEqual(r.recvd, new Uint8Array([1]));
  });

  Deno.test(`${name}.recvd holds everything unprocessed in lengthLimitExceeded`, () => {
    const r = kind.make();
    const DATA = enc("too long");
    r.MAX_LENGTH = DATA.length - 1;
    const msg = message(kind, DATA);
    const result: unknown[] = [];
    r.lengthLimitExceeded = (n) => {
      result.push(n, r.recvd.slice());
    };
    r.dataReceived(msg);
    deepEqual(result, [DATA.length, msg]);
  });

  Deno.test(`${name}.recvd holds the offending prefix after earlier strings`, () => {
    const r = kind.make();
    r.MAX_LENGTH = 3;
    const bad = bytes(kind.pack(4), "abcd");
    const seen: Uint8Array[] = [];
    r.lengthLimitExceeded = () => {
      seen.push(r.recvd.slice());
    };
    r.dataReceived(bytes(message(kind, enc("ab")), bad));
    deepEqual(r.received, [enc("ab")]);
    deepEqual(seen, [bad]);
  });

  Deno.test(`${name} holds strings while paused and delivers them on resume`, () => {
    const r = kind.make();
    r.stringReceived = (data) => {
      r.received.push(data);
      r.pauseProducing();
    };
    r.dataReceived(bytes(message(kind, enc("a")), message(kind, enc("b"))));
    deepEqual(r.received, [enc("a")]);
    equal(r.transport.producerState, "paused");
    r.dataReceived(message(kind, enc("c")));
    deepEqual(r.received, [enc("a")]);
    r.resumeProducing();
    deepEqual(r.received, [enc("a"), enc("b")]);
    r.resumeProducing();
    r.resumeProducing();
    deepEqual(r.received, [enc("a"), enc("b"), enc("c")]);
    r.resumeProducing();
    equal(r.paused, false);
    equal(r.transport.producerState, "producing");
  });

  Deno.test(`${name}.stopProducing() stops delivery`, () => {
    const r = kind.make();
    r.stringReceived = (data) => {
      r.received.push(data);
      r.stopProducing();
    };
    r.dataReceived(bytes(message(kind, enc("a")), message(kind, enc("b"))));
    deepEqual(r.received, [enc("a")]);
    equal(r.transport.producerState, "stopped");
  });

  Deno.test(`${name} receives many strings in one chunk`, () => {
    // test_stateful.py test_bigReceive
    const r = kind.make();
    const many = [...STRINGS, ...STRINGS, ...STRINGS, ...STRINGS];
    r.dataReceived(bytes(...many.map((s) => message(kind, s))));
    deepEqual(r.received, many);
  });

  Deno.test(`${name} processes a re-entrant dataReceived in order`, () => {
    const r = kind.make();
    r.stringReceived = (data) => {
      r.received.push(data);
      if (data[0] === 97) r.dataReceived(message(kind, enc("c")));
    };
    r.dataReceived(bytes(message(kind, enc("a")), message(kind, enc("b"))));
    deepEqual(r.received, [enc("a"), enc("b"), enc("c")]);
  });

  Deno.test(`${name} delivers strings that stay unchanged`, () => {
    const r = kind.make();
    const sent = Array.from({ length: 40 }, (_, i) => enc("q".repeat(i)));
    const all = bytes(...sent.map((s) => message(kind, s)));
    for (let i = 0; i < all.length; i += 7) r.dataReceived(all.slice(i, i + 7));
    deepEqual(r.received, sent);
  });
}

Deno.test("Int32StringReceiver sends and receives its exact wire bytes", () => {
  const r = KINDS[0].make();
  r.sendString(enc("foo"));
  deepEqual([...r.transport.value()], [0, 0, 0, 3, 102, 111, 111]);
  r.dataReceived(bytes([0, 0, 0, 4], "ubar"));
  deepEqual(r.received, [enc("ubar")]);
});

Deno.test("Int16StringReceiver sends and receives its exact wire bytes", () => {
  const r = KINDS[1].make();
  r.sendString(enc("foo"));
  deepEqual([...r.transport.value()], [0, 3, 102, 111, 111]);
  r.dataReceived(bytes([0, 4], "ubar"));
  deepEqual(r.received, [enc("ubar")]);
});

Deno.test("Int8StringReceiver sends and receives its exact wire bytes", () => {
  const r = KINDS[2].make();
  r.sendString(enc("foo"));
  deepEqual([...r.transport.value()], [3, 102, 111, 111]);
  r.dataReceived(bytes([4], "ubar"));
  deepEqual(r.received, [enc("ubar")]);
});

Deno.test("Int16StringReceiver.sendString() throws StringTooLongError past 2 ** 16 bytes", () => {
  const r = KINDS[1].make();
  throws(
    () => r.sendString(new Uint8Array(2 ** 16 + 1)),
    StringTooLongError,
  );
  throws(() => r.sendString(new Uint8Array(2 ** 16)), StringTooLongError);
  r.sendString(new Uint8Array(2 ** 16 - 1));
  deepEqual([...r.transport.value().subarray(0, 2)], [255, 255]);
});

Deno.test("Int8StringReceiver.sendString() throws StringTooLongError past 255 bytes", () => {
  const r = KINDS[2].make();
  throws(() => r.sendString(new Uint8Array(257)), (err) => {
    ok(err instanceof StringTooLongError);
    ok(err instanceof RangeError);
    equal(err.name, "StringTooLongError");
    equal(err.message, "Try to send 257 bytes whereas maximum is 256");
    return true;
  });
  r.sendString(new Uint8Array(255));
  equal(r.transport.value()[0], 255);
});

Deno.test("IntNStringReceiver subclasses all default MAX_LENGTH to 99999", () => {
  for (
    const C of [Int8StringReceiver, Int16StringReceiver, Int32StringReceiver]
  ) {
    equal(new C().MAX_LENGTH, 99999);
  }
});

Deno.test("Int32StringReceiver reads the prefix as unsigned", () => {
  const r = KINDS[0].make();
  const lengths: number[] = [];
  r.lengthLimitExceeded = (n) => {
    lengths.push(n);
  };
  r.dataReceived(new Uint8Array([0xff, 0xff, 0xff, 0xfe]));
  deepEqual(lengths, [2 ** 32 - 2]);
});

Deno.test("Int32StringReceiver does not check MAX_LENGTH when sending", () => {
  const r = KINDS[0].make();
  r.MAX_LENGTH = 2;
  r.sendString("abcdef");
  equal(r.transport.value().length, 10);
});

Deno.test("IntNStringReceiver.stringReceived() throws unless overridden", () => {
  throws(
    () => new Int32StringReceiver().stringReceived(enc("foo")),
    /stringReceived\(\): it must be overridden/,
  );
});

Deno.test("IntNStringReceiver supports other prefix widths in subclasses", () => {
  const got: Uint8Array[] = [];
  class Int24StringReceiver extends IntNStringReceiver {
    readonly prefixLength: number = 3;
    override stringReceived(data: Uint8Array): void {
      got.push(data);
    }
  }
  const t = new StringTransport();
  const p = new Int24StringReceiver();
  p.makeConnection(t);
  p.sendString("hey");
  deepEqual([...t.value()], [0, 0, 3, 104, 101, 121]);
  for (const b of t.value()) p.dataReceived(new Uint8Array([b]));
  deepEqual(got, [enc("hey")]);
});

Deno.test("Int32StringReceiver copies a short unfinished string out of a large chunk", () => {
  const r = KINDS[0].make();
  const chunk = new Uint8Array(65536);
  // A string of 65527 bytes, then the start of another.
  chunk.set([0, 0, 255, 0xf7], 0);
  chunk.set([0, 0, 0, 9, 1], 65531);
  r.MAX_LENGTH = 99999;
  r.dataReceived(chunk);
  equal(r.received.length, 1);
  deepEqual([...r.recvd], [0, 0, 0, 9, 1]);
  ok(r.recvd.buffer.byteLength < 1024);
});

Deno.test("Int32StringReceiver does not allocate an announced length before it arrives", () => {
  const r = KINDS[0].make();
  r.MAX_LENGTH = 99999;
  r.dataReceived(new Uint8Array([0, 1, 134, 159, 1]));
  r.dataReceived(new Uint8Array([2]));
  deepEqual([...r.recvd], [0, 1, 134, 159, 1, 2]);
  ok(r.recvd.buffer.byteLength < 1024);
});
