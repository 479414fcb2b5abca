// Copyright 2026 the Torsion authors. MIT license.
// Ported from twisted/protocols/test/test_basic.py (LineReceiverTests,
// LineReceiverLineLengthExceededTests, LineOnlyReceiverTests, ProducerTests).
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { LineOnlyReceiver, LineReceiver } from "../../protocols/mod.ts";
import { Clock, StringTransport } from "../../reactor/testing/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function enc(s: string): Uint8Array {
  return encoder.encode(s);
}

function dec(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Feeds `data` in chunks of `size` bytes, as Twisted's tests do. */
function feed(
  p: { dataReceived(d: Uint8Array): unknown },
  data: Uint8Array,
  size: number,
): void {
  for (let i = 0; i < data.length; i += size) {
    p.dataReceived(data.slice(i, i + size));
  }
}

/** A transport that counts `write` calls. */
/** Counts write calls: write() and writeSequence() each count once. */
class CountingTransport extends StringTransport {
  writes = 0;
  #inSequence = false;
  override write(data: Uint8Array | string): void {
    if (!this.#inSequence) this.writes++;
    super.write(data);
  }
  override writeSequence(data: Iterable<Uint8Array | string>): void {
    this.writes++;
    this.#inSequence = true;
    try {
      super.writeSequence(data);
    } finally {
      this.#inSequence = false;
    }
  }
}

/** Twisted's LineTester: acts on some tokens. */
class LineTester extends LineReceiver {
  override delimiter = "\n";
  override MAX_LENGTH = 64;
  received: string[] = [];
  length = 0;
  clock: Clock | null;

  constructor(clock: Clock | null = null) {
    super();
    this.clock = clock;
  }

  override lineReceived(line: string): void {
    this.received.push(line);
    if (line === "") {
      this.setRawMode();
    } else if (line === "pause") {
      this.pauseProducing();
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (line === "rawpause") {
      this.pauseProducing();
      this.setRawMode();
      this.received.push("");
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (line === "stop") {
      this.stopProducing();
    } else if (line.startsWith("len ")) {
      this.length = Number(line.slice(4));
    } else if (line.startsWith("produce")) {
      this.transport.registerProducer(this, false);
    } else if (line.startsWith("unproduce")) {
      this.transport.unregisterProducer();
    }
  }

  override rawDataReceived(data: Uint8Array): void {
    const mine = data.subarray(0, this.length);
    const rest = data.subarray(this.length);
    this.length -= mine.length;
    this.received[this.received.length - 1] += dec(mine);
    if (this.length === 0) this.setLineMode(rest);
  }

  override lineLengthExceeded(line: Uint8Array): void {
    if (line.length > this.MAX_LENGTH + 1) {
      this.setLineMode(line.subarray(this.MAX_LENGTH + 1));
    }
  }
}

function connect<P extends { makeConnection(t: StringTransport): void }>(
  p: P,
  t: StringTransport = new StringTransport(),
): P {
  p.makeConnection(t);
  return p;
}

const BUFFER = `len 10

0123456789len 5

1234
len 20
foo 123

0123456789
012345678len 0
foo 5

1234567890123456789012345678901234567890123456789012345678901234567890
len 1

a`;

const OUTPUT = [
  "len 10",
  "0123456789",
  "len 5",
  "1234\n",
  "len 20",
  "foo 123",
  "0123456789\n012345678",
  "len 0",
  "foo 5",
  "",
  "67890",
  "len 1",
  "a",
];

Deno.test("LineReceiver delivers lines and raw data alike at packet sizes 1 to 9", () => {
  for (let size = 1; size < 10; size++) {
    const p = connect(new LineTester());
    feed(p, enc(BUFFER), size);
    deepEqual(p.received, OUTPUT, `packet size ${size}`);
  }
});

Deno.test("LineReceiver delivers lines and raw data alike at every chunk size", () => {
  // The buffer without its long line (whose handling depends on packets).
  const input = enc(BUFFER.replace(/\n1234567890\d+\n/, "\n"));
  const expected = OUTPUT.filter((l) => l !== "67890");
  for (let size = 1; size <= input.length; size++) {
    const p = connect(new LineTester());
    feed(p, input, size);
    deepEqual(p.received, expected, `chunk size ${size}`);
  }
});

Deno.test("LineReceiver keeps data re-fed by lineLengthExceeded until more arrives", () => {
  // Twisted returns right after lineLengthExceeded: what it passes to
  // setLineMode() waits for the next dataReceived().
  const p = connect(new LineTester());
  p.dataReceived(enc(BUFFER));
  deepEqual(p.received, OUTPUT.slice(0, 10));
  p.dataReceived(new Uint8Array());
  deepEqual(p.received, OUTPUT);
});

Deno.test("LineReceiver.pauseProducing() in lineReceived holds lines until resumeProducing()", () => {
  const input = enc("twiddle1\ntwiddle2\npause\ntwiddle3\n");
  for (let size = 1; size <= input.length; size++) {
    const clock = new Clock();
    const p = connect(new LineTester(clock));
    feed(p, input, size);
    deepEqual(p.received, ["twiddle1", "twiddle2", "pause"], `size ${size}`);
    clock.advance(0);
    deepEqual(p.received, ["twiddle1", "twiddle2", "pause", "twiddle3"]);
  }
});

Deno.test("LineReceiver delivers raw data held back by a pause after resumeProducing()", () => {
  const input = enc("twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n");
  for (let size = 1; size <= input.length; size++) {
    const clock = new Clock();
    const p = connect(new LineTester(clock));
    feed(p, input, size);
    deepEqual(p.received, ["twiddle1", "twiddle2", "len 5", "rawpause", ""]);
    clock.advance(0);
    deepEqual(p.received, [
      "twiddle1",
      "twiddle2",
      "len 5",
      "rawpause",
      "12345",
      "twiddle3",
    ], `size ${size}`);
  }
});

Deno.test("LineReceiver.stopProducing() in lineReceived stops delivery", () => {
  const input = enc("twiddle1\ntwiddle2\nstop\nmore\nstuff\n");
  for (let size = 1; size <= input.length; size++) {
    const t = new StringTransport();
    const p = connect(new LineTester(), t);
    feed(p, input, size);
    deepEqual(p.received, ["twiddle1", "twiddle2", "stop"], `size ${size}`);
    equal(t.producerState, "stopped");
  }
});

Deno.test("LineReceiver can register and unregister itself as a producer from lineReceived", () => {
  const t = new StringTransport();
  const p = connect(new LineTester(), t);
  p.dataReceived(enc("produce\nhello world\nunproduce\ngoodbye\n"));
  deepEqual(p.received, ["produce", "hello world", "unproduce", "goodbye"]);
  equal(t.producer, null);
});

Deno.test("LineReceiver.clearLineBuffer() in lineReceived returns and drops the rest", () => {
  class ClearingReceiver extends LineReceiver {
    line = "";
    rest = "";
    override lineReceived(line: string): void {
      this.line = line;
      this.rest = dec(this.clearLineBuffer());
    }
  }
  const p = new ClearingReceiver();
  p.dataReceived(enc("foo\r\nbar\r\nbaz"));
  equal(p.line, "foo");
  equal(p.rest, "bar\r\nbaz");
  p.dataReceived(enc("quux\r\n"));
  equal(p.line, "quux");
  equal(p.rest, "");
});

Deno.test("LineReceiver.clearLineBuffer() returns an unfinished line", () => {
  const p = connect(new LineTester());
  p.dataReceived(enc("abc\nde"));
  p.dataReceived(enc("f"));
  equal(dec(p.clearLineBuffer()), "def");
  p.dataReceived(enc("g\n"));
  deepEqual(p.received, ["abc", "g"]);
});

Deno.test("LineReceiver switches modes once per byte without recursion", () => {
  class FlippingLineTester extends LineReceiver {
    override delimiter = "\n";
    lines: string[] = [];
    override lineReceived(line: string): void {
      this.lines.push(line);
      this.setRawMode();
    }
    override rawDataReceived(data: Uint8Array): void {
      this.setLineMode(data.subarray(1));
    }
  }
  const limit = 100_000;
  const p = connect(new FlippingLineTester());
  p.dataReceived(enc("x\nx".repeat(limit)));
  equal(p.lines.join(""), "x".repeat(limit));
});

Deno.test("LineReceiver disconnects on a line longer than MAX_LENGTH", () => {
  const t = new StringTransport();
  const p = connect(new LineReceiver(), t);
  p.dataReceived(enc("x".repeat(p.MAX_LENGTH + 1) + "\r\nr"));
  equal(t.disconnecting, true);
});

Deno.test("LineReceiver accepts a MAX_LENGTH line whose delimiter spans packets", () => {
  // test_maximumLineLengthPartialDelimiter
  const t = new StringTransport();
  const p = connect(new LineTester(), t);
  p.MAX_LENGTH = 4;
  const line = "x".repeat(p.MAX_LENGTH - 1);
  p.dataReceived(enc(line));
  p.dataReceived(enc("\n").subarray(0, 0));
  p.dataReceived(enc("\n" + line));
  equal(t.disconnecting, false);
  deepEqual(p.received, [line]);
});

Deno.test("LineReceiver accepts a MAX_LENGTH line whose two-byte delimiter spans packets", () => {
  const t = new StringTransport();
  const lines: string[] = [];
  class P extends LineReceiver {
    override MAX_LENGTH = 4;
    override lineReceived(line: string): void {
      lines.push(line);
    }
  }
  const p = connect(new P(), t);
  p.dataReceived(enc("xxxx\r"));
  p.dataReceived(enc("\nxxxx"));
  equal(t.disconnecting, false);
  deepEqual(lines, ["xxxx"]);
});

Deno.test("LineReceiver keeps an unfinished line of MAX_LENGTH + len(delimiter) - 1 bytes", () => {
  const t = new StringTransport();
  const p = connect(new LineReceiver(), t);
  p.dataReceived(enc("x".repeat(p.MAX_LENGTH) + "\r"));
  equal(t.disconnecting, false);
});

Deno.test("LineReceiver disconnects on an unfinished line of MAX_LENGTH + len(delimiter) bytes", () => {
  const t = new StringTransport();
  const p = connect(new LineReceiver(), t);
  p.dataReceived(enc("x".repeat(p.MAX_LENGTH + 2)));
  equal(t.disconnecting, true);
});

Deno.test("LineReceiver checks every MAX_LENGTH border at every chunk size", () => {
  class Catcher extends LineReceiver {
    override MAX_LENGTH = 6;
    lines: string[] = [];
    long: string[] = [];
    override lineReceived(line: string): void {
      this.lines.push(line);
    }
    override lineLengthExceeded(line: Uint8Array): void {
      this.long.push(dec(line));
    }
  }
  const cases: [string, string[], string[]][] = [
    ["xxxxxx\r\n", ["xxxxxx"], []],
    ["xxxxxxx\r\nab", [], ["xxxxxxx\r\nab"]],
    ["xxxxxx\r", [], []],
    ["xxxxxxx\r", [], ["xxxxxxx\r"]],
    ["xxxxxxxy", [], ["xxxxxxxy"]],
    ["a\r\nxxxxxxx", ["a"], []],
    ["a\r\nxxxxxxxx", ["a"], ["xxxxxxxx"]],
  ];
  for (const [input, lines, long] of cases) {
    for (let size = 1; size <= input.length; size++) {
      const p = connect(new Catcher());
      feed(p, enc(input), size);
      deepEqual([p.lines, p.long.length > 0], [lines, long.length > 0]);
      if (size === input.length) deepEqual(p.long, long, input);
    }
  }
});

Deno.test("LineReceiver returns what rawDataReceived returns", () => {
  class P extends LineReceiver {
    override rawDataReceived(_data: Uint8Array): unknown {
      return new RangeError("oops");
    }
  }
  const p = connect(new P());
  p.setRawMode();
  ok(p.dataReceived(enc("data")) instanceof RangeError);
});

Deno.test("LineReceiver stops at a truthy lineReceived return and keeps the rest", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override lineReceived(line: string): unknown {
      seen.push(line);
      return line === "stop" ? "why" : undefined;
    }
  }
  const p = connect(new P());
  equal(p.dataReceived(enc("a\r\nstop\r\nb\r\n")), "why");
  deepEqual(seen, ["a", "stop"]);
  equal(p.dataReceived(new Uint8Array()), undefined);
  deepEqual(seen, ["a", "stop", "b"]);
});

Deno.test("LineReceiver stops delivering lines once the transport is disconnecting", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override lineReceived(line: string): void {
      seen.push(line);
      if (line === "quit") this.transport.loseConnection();
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("a\r\nquit\r\nb\r\nc\r\n"));
  deepEqual(seen, ["a", "quit"]);
});

Deno.test("LineReceiver.rawDataReceived() throws unless overridden", () => {
  throws(
    () => new LineReceiver().rawDataReceived(enc("foo")),
    /rawDataReceived\(\): it must be overridden/,
  );
});

Deno.test("LineReceiver.lineReceived() throws unless overridden", () => {
  throws(
    () => new LineReceiver().lineReceived("foo"),
    /lineReceived\(\): it must be overridden/,
  );
});

Deno.test("LineReceiver.dataReceived() throws the default lineReceived error", () => {
  const p = connect(new LineReceiver());
  throws(() => p.dataReceived(enc("foo\r\n")), /must be overridden/);
});

Deno.test("LineReceiver.lineReceivedBytes() gets raw bytes and skips decoding", () => {
  const lines: number[][] = [];
  class P extends LineReceiver {
    override lineReceivedBytes(line: Uint8Array): void {
      lines.push([...line]);
    }
  }
  const p = connect(new P());
  p.dataReceived(new Uint8Array([0xff, 0xfe, 13, 10, 0, 13]));
  p.dataReceived(new Uint8Array([10]));
  deepEqual(lines, [[0xff, 0xfe], [0]]);
});

Deno.test("LineReceiver.lineReceived() gets UTF-8 text split across chunks", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override lineReceived(line: string): void {
      seen.push(line);
    }
  }
  const input = enc("\ufeffhé€😀\r\nabc\r\n\xff\r\n");
  for (let size = 1; size <= input.length; size++) {
    seen.length = 0;
    feed(connect(new P()), input, size);
    deepEqual(seen, ["\ufeffhé€😀", "abc", "\xff"], `size ${size}`);
  }
});

Deno.test("LineReceiver hands out lines that stay unchanged", () => {
  const kept: Uint8Array[] = [];
  class P extends LineReceiver {
    override lineReceivedBytes(line: Uint8Array): void {
      kept.push(line);
    }
  }
  const words = Array.from(
    { length: 200 },
    (_, i) => `line ${i} ${"z".repeat(i % 7)}`,
  );
  const input = enc(words.join("\r\n") + "\r\n");
  for (const size of [1, 2, 3, 5, 64, 1000]) {
    kept.length = 0;
    const p = connect(new P());
    for (let i = 0; i < input.length; i += size) {
      const chunk = input.slice(i, i + size);
      p.dataReceived(chunk);
    }
    deepEqual(kept.map(dec), words, `size ${size}`);
  }
});

Deno.test("LineReceiver splits on a multi-byte delimiter across every chunk boundary", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override delimiter = "<>>";
    override lineReceived(line: string): void {
      seen.push(line);
    }
  }
  const input = "a<>b<<>>c<><>>d<>><>><>>e<>";
  // Python's bytes.split semantics: leftmost, non-overlapping.
  const expected = ["a<>b<", "c<>", "d", "", ""];
  for (let size = 1; size <= input.length; size++) {
    seen.length = 0;
    feed(connect(new P()), enc(input), size);
    deepEqual(seen, expected, `size ${size}`);
  }
});

Deno.test("LineReceiver takes a Uint8Array delimiter", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override delimiter = new Uint8Array([0]);
    override lineReceived(line: string): void {
      seen.push(line);
    }
  }
  const t = new StringTransport();
  const p = connect(new P(), t);
  p.dataReceived(enc("ab\0cd\0e"));
  p.sendLine("x");
  deepEqual(seen, ["ab", "cd"]);
  deepEqual([...t.value()], [120, 0]);
});

Deno.test("LineReceiver applies a delimiter changed in lineReceived to the next line", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override lineReceived(line: string): void {
      seen.push(line);
      this.delimiter = "\n";
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("a\r\nb\nc"));
  p.dataReceived(enc("\n"));
  deepEqual(seen, ["a", "b", "c"]);
});

Deno.test("LineReceiver.dataReceived() throws RangeError on an empty delimiter", () => {
  const p = connect(new LineReceiver());
  p.delimiter = "";
  throws(() => p.dataReceived(enc("abc")), RangeError);
});

Deno.test("LineReceiver.sendLine() writes the line followed by the delimiter", () => {
  const t = new CountingTransport();
  const p = connect(new LineReceiver(), t);
  p.sendLine("héllo");
  equal(t.writes, 1); // text: one write of line + delimiter
  p.sendLine(enc("bytes"));
  equal(t.valueText(), "héllo\r\nbytes\r\n");
});

Deno.test("LineReceiver.setLineMode() from rawDataReceived returns what dataReceived returns", () => {
  const results: unknown[] = [];
  class P extends LineReceiver {
    override rawDataReceived(data: Uint8Array): void {
      results.push(this.setLineMode(data.subarray(1)));
    }
    override lineReceived(line: string): unknown {
      return line;
    }
  }
  const p = connect(new P());
  p.setRawMode();
  equal(p.lineMode, false);
  equal(p.dataReceived(enc("xa\r\nb\r\n")), "a");
  deepEqual(results, [undefined]);
  equal(p.lineMode, true);
});

Deno.test("LineReceiver.setLineMode() outside dataReceived parses the extra bytes", () => {
  const seen: string[] = [];
  class P extends LineReceiver {
    override lineReceived(line: string): void {
      seen.push(line);
    }
  }
  const p = connect(new P());
  p.setRawMode();
  p.setLineMode("one\r\ntwo\r\nthr");
  deepEqual(seen, ["one", "two"]);
});

Deno.test("LineReceiver in raw mode passes the whole rest of a packet at once", () => {
  const raw: string[] = [];
  class P extends LineReceiver {
    override lineReceived(_line: string): void {
      this.setRawMode();
    }
    override rawDataReceived(data: Uint8Array): void {
      raw.push(dec(data));
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("go\r\nab\r\ncd"));
  p.dataReceived(enc("ef"));
  deepEqual(raw, ["ab\r\ncd", "ef"]);
});

class ExcessivelyLargeLineCatcher extends LineReceiver {
  override MAX_LENGTH = 6;
  longLines: string[] = [];
  override lineReceived(_line: string): void {}
  override lineLengthExceeded(data: Uint8Array): void {
    this.longLines.push(dec(data));
  }
}

Deno.test("LineReceiver.lineLengthExceeded() gets a whole long unended line", () => {
  const p = connect(new ExcessivelyLargeLineCatcher());
  const excessive = "x".repeat(p.MAX_LENGTH * 2 + 2);
  p.dataReceived(enc(excessive));
  deepEqual(p.longLines, [excessive]);
});

Deno.test("LineReceiver.lineLengthExceeded() gets all bytes after a short line", () => {
  const p = connect(new ExcessivelyLargeLineCatcher());
  const excessive = "x".repeat(p.MAX_LENGTH * 2 + 2);
  p.dataReceived(enc("x\r\n" + excessive));
  deepEqual(p.longLines, [excessive]);
});

Deno.test("LineReceiver.lineLengthExceeded() gets a long line with its delimiter and the rest", () => {
  const p = connect(new ExcessivelyLargeLineCatcher());
  const excessive = ["x".repeat(p.MAX_LENGTH * 2 + 2)].concat(
    "x".repeat(p.MAX_LENGTH * 2 + 2),
  ).join("\r\n");
  p.dataReceived(enc(excessive));
  deepEqual(p.longLines, [excessive]);
});

Deno.test("LineReceiver.lineLengthExceeded() gets multiple long lines at once", () => {
  const p = connect(new ExcessivelyLargeLineCatcher());
  const excessive = ("x".repeat(p.MAX_LENGTH * 2 + 2) + "\r\n").repeat(2);
  p.dataReceived(enc(excessive));
  deepEqual(p.longLines, [excessive]);
});

Deno.test("LineReceiver.lineLengthExceeded() gets a long line completed in a later chunk with the rest", () => {
  const p = connect(new ExcessivelyLargeLineCatcher());
  p.dataReceived(enc("xxxxx"));
  p.dataReceived(enc("xx\r\nab\r\n"));
  deepEqual(p.longLines, ["xxxxxxx\r\nab\r\n"]);
});

/** Twisted's OnlyProducerTransport, through StringTransport's flags. */
class ConsumingProtocol extends LineReceiver {
  override lineReceived(line: string): void {
    this.transport.write(line + "|");
    this.pauseProducing();
  }
}

Deno.test("LineReceiver delivers one held line per resumeProducing() while paused", () => {
  const t = new StringTransport();
  const p = connect(new ConsumingProtocol(), t);
  p.dataReceived(enc("hello, "));
  equal(t.valueText(), "");
  equal(p.paused, false);

  p.dataReceived(enc("world\r\n"));
  equal(t.valueText(), "hello, world|");
  equal(t.producerState, "paused");
  equal(p.paused, true);

  p.resumeProducing();
  equal(t.valueText(), "hello, world|");
  equal(t.producerState, "producing");
  equal(p.paused, false);

  p.dataReceived(enc("hello\r\nworld\r\n"));
  equal(t.valueText(), "hello, world|hello|");
  equal(p.paused, true);

  p.resumeProducing();
  equal(t.valueText(), "hello, world|hello|world|");
  equal(p.paused, true);

  p.dataReceived(enc("goodbye\r\n"));
  equal(t.valueText(), "hello, world|hello|world|");
  equal(p.paused, true);

  p.resumeProducing();
  equal(t.valueText(), "hello, world|hello|world|goodbye|");
  equal(t.producerState, "paused");

  p.resumeProducing();
  equal(t.valueText(), "hello, world|hello|world|goodbye|");
  equal(t.producerState, "producing");
  equal(p.paused, false);
});

Deno.test("LineReceiver keeps an unfinished line across a pause", () => {
  const p = connect(new ConsumingProtocol());
  p.pauseProducing();
  p.dataReceived(enc("ab"));
  p.dataReceived(enc("c\r\nd"));
  equal(p.transport.disconnecting, false);
  p.resumeProducing();
  p.resumeProducing();
  p.dataReceived(enc("e\r\n"));
  equal((p.transport as StringTransport).valueText(), "abc|de|");
});

// LineOnlyReceiver

class LineOnlyTester extends LineOnlyReceiver {
  override delimiter = "\n";
  override MAX_LENGTH = 64;
  received: string[] = [];
  override lineReceived(line: string): void {
    this.received.push(line);
  }
}

const LINE_ONLY_BUFFER = `foo
    bleakness
    desolation
    plastic forks
    `;

Deno.test("LineOnlyReceiver delivers lines fed byte by byte", () => {
  const p = connect(new LineOnlyTester());
  feed(p, enc(LINE_ONLY_BUFFER), 1);
  deepEqual(p.received, LINE_ONLY_BUFFER.split("\n").slice(0, -1));
});

Deno.test("LineOnlyReceiver delivers the same lines at every chunk size", () => {
  const expected = LINE_ONLY_BUFFER.split("\n").slice(0, -1);
  for (let size = 1; size <= LINE_ONLY_BUFFER.length; size++) {
    const p = connect(new LineOnlyTester());
    feed(p, enc(LINE_ONLY_BUFFER), size);
    deepEqual(p.received, expected, `size ${size}`);
  }
});

Deno.test("LineOnlyReceiver disconnects on a line longer than MAX_LENGTH + len(delimiter)", () => {
  const t = new StringTransport();
  const p = connect(new LineOnlyTester(), t);
  p.dataReceived(enc("x".repeat(p.MAX_LENGTH + 2) + "\r\nr"));
  equal(t.disconnecting, true);
});

Deno.test("LineOnlyReceiver accepts a MAX_LENGTH line and refuses one more byte", () => {
  const t = new StringTransport();
  const p = connect(new LineOnlyTester(), t);
  p.dataReceived(enc("x".repeat(64) + "\n"));
  equal(t.disconnecting, false);
  p.dataReceived(enc("x".repeat(65) + "\n"));
  equal(t.disconnecting, true);
  deepEqual(p.received, ["x".repeat(64)]);
});

Deno.test("LineOnlyReceiver accepts a MAX_LENGTH line whose delimiter spans packets", () => {
  // Twisted's LineOnlyReceiver refuses it (its buffer, with the "\r", is
  // over MAX_LENGTH); Torsion tolerates it, as LineReceiver does.
  const lines: string[] = [];
  class P extends LineOnlyReceiver {
    override MAX_LENGTH = 8;
    override lineReceived(line: string): void {
      lines.push(line);
    }
  }
  const input = enc("12345678\r\nabc\r\n");
  for (let size = 1; size <= input.length; size++) {
    lines.length = 0;
    const t = new StringTransport();
    feed(connect(new P(), t), input, size);
    equal(t.disconnecting, false, `size ${size}`);
    deepEqual(lines, ["12345678", "abc"]);
  }
});

Deno.test("LineOnlyReceiver disconnects on an unfinished line of MAX_LENGTH + len(delimiter) bytes", () => {
  class P extends LineOnlyReceiver {
    override MAX_LENGTH = 8;
    override lineReceived(_line: string): void {}
  }
  const t = new StringTransport();
  const p = connect(new P(), t);
  p.dataReceived(enc("123456789"));
  equal(t.disconnecting, false);
  p.dataReceived(enc("0"));
  equal(t.disconnecting, true);
});

Deno.test("LineOnlyReceiver disconnects on an unfinished line longer than MAX_LENGTH", () => {
  for (let size = 1; size <= 70; size++) {
    const t = new StringTransport();
    const p = connect(new LineOnlyTester(), t);
    feed(p, enc("x".repeat(64)), size);
    equal(t.disconnecting, false);
    p.dataReceived(enc("x"));
    equal(t.disconnecting, true, `size ${size}`);
  }
});

Deno.test("LineOnlyReceiver.lineLengthExceeded() gets only the long line", () => {
  const long: string[] = [];
  class P extends LineOnlyTester {
    override MAX_LENGTH = 3;
    override lineLengthExceeded(line: Uint8Array): void {
      long.push(dec(line));
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("ab\nabcd\nef\ngh"));
  deepEqual(long, ["abcd"]);
  deepEqual(p.received, ["ab"]);
  p.dataReceived(enc("\n"));
  deepEqual(p.received, ["ab", "gh"]);
});

Deno.test("LineOnlyReceiver drops the rest of a chunk once the transport is disconnecting", () => {
  class P extends LineOnlyTester {
    override lineReceived(line: string): void {
      super.lineReceived(line);
      if (line === "quit") this.transport.loseConnection();
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("a\nquit\nb\nc\n"));
  deepEqual(p.received, ["a", "quit"]);
});

Deno.test("LineOnlyReceiver.lineReceived() throws unless overridden", () => {
  throws(
    () => new LineOnlyReceiver().lineReceived("foo"),
    /lineReceived\(\): it must be overridden/,
  );
});

Deno.test("LineOnlyReceiver.sendLine() writes the line then the delimiter", () => {
  const t = new StringTransport();
  const p = connect(new LineOnlyReceiver(), t);
  p.sendLine("héllo");
  p.sendLine(enc("x"));
  equal(t.valueText(), "héllo\r\nx\r\n");
});

Deno.test("LineOnlyReceiver processes a re-entrant dataReceived after the current chunk", () => {
  class P extends LineOnlyTester {
    override lineReceived(line: string): void {
      super.lineReceived(line);
      if (line === "a") this.dataReceived(enc("x\ny"));
    }
  }
  const p = connect(new P());
  p.dataReceived(enc("a\nb\nc"));
  p.dataReceived(enc("\n"));
  deepEqual(p.received, ["a", "b", "cx", "y"]);
});

Deno.test("LineOnlyReceiver splits on a multi-byte delimiter across every chunk boundary", () => {
  class P extends LineOnlyTester {
    override delimiter = "<>>";
  }
  const input = "a<>b<<>>c<><>>d<>><>><>>e<>";
  for (let size = 1; size <= input.length; size++) {
    const p = connect(new P());
    feed(p, enc(input), size);
    deepEqual(p.received, ["a<>b<", "c<>", "d", "", ""], `size ${size}`);
  }
});

Deno.test("LineOnlyReceiver re-splits its kept tail when the delimiter changes", () => {
  const p = connect(new LineOnlyTester());
  p.dataReceived(enc("a;b"));
  p.delimiter = ";";
  p.dataReceived(enc(";c"));
  deepEqual(p.received, ["a", "b"]);
});

Deno.test("LineReceiver copies a short unfinished line out of a large chunk", () => {
  const p = connect(new LineTester());
  const chunk = new Uint8Array(65536).fill(120);
  for (let i = 60; i < 65530; i += 61) chunk[i] = 10;
  chunk.set(enc("\nabc"), 65532);
  p.dataReceived(chunk);
  const rest = p.clearLineBuffer();
  equal(dec(rest), "abc");
  ok(rest.buffer.byteLength < 1024);
});
