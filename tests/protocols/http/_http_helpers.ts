// Copyright 2026 the Torsion authors. MIT license.
// Helpers of the HTTP server tests: a Site on a StringTransport and a Clock,
// and a small response splitter.
import { Failure } from "../../../defer/failure.ts";
import { ConnectionDone } from "../../../reactor/errors.ts";
import {
  type HTTPChannel,
  type Resource,
  Site,
  type SiteOptions,
  type TemporaryFile,
  type TemporaryFileSystem,
} from "../../../protocols/http/mod.ts";
import { Clock, StringTransport } from "../../../reactor/testing/mod.ts";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A site, a channel connected to a StringTransport, and the site's Clock. */
export class Served {
  readonly clock = new Clock();
  readonly site: Site;
  readonly transport = new StringTransport();
  readonly channel: HTTPChannel;

  constructor(resource: Resource, options: SiteOptions = {}) {
    this.site = new Site(resource, options);
    this.site.clock = this.clock;
    this.channel = this.site.buildProtocol(this.transport.getPeer());
    this.channel.makeConnection(this.transport);
  }

  /**
   * Sends bytes (a string as latin1-safe ASCII/UTF-8), in chunks of `size`,
   * as a transport lending its read buffer does (the channel keeps nothing
   * it is given): each chunk in one reused buffer, overwritten as soon as
   * `dataReceived` returns, so a kept view shows garbage.
   */
  send(data: string | Uint8Array, size = Infinity): void {
    const bytes = typeof data === "string" ? enc(data) : data;
    const lent = this.channel.keepsReceivedData === false;
    for (let i = 0; i < bytes.length; i += size) {
      const chunk = bytes.subarray(i, i + size);
      if (!lent) {
        this.channel.dataReceived(chunk.slice());
        continue;
      }
      if (this.#lent.length < chunk.length) {
        this.#lent = new Uint8Array(chunk.length);
      }
      const view = this.#lent.subarray(0, chunk.length);
      view.set(chunk);
      this.channel.dataReceived(view);
      view.fill(0x7e);
    }
  }

  #lent = new Uint8Array(0);

  /** What was written, as text; cleared. */
  take(): string {
    const text = new TextDecoder("latin1").decode(this.transport.value());
    this.transport.clear();
    return text;
  }

  /** Closes the connection from the peer's side. */
  lose(): void {
    this.channel.connectionLost(new Failure(new ConnectionDone()));
  }
}

/** Text read as latin1 (one char a byte), decoded as UTF-8. */
function utf8(latin1: string): string {
  return new TextDecoder().decode(
    Uint8Array.from(latin1, (c) => c.charCodeAt(0)),
  );
}

export interface Parsed {
  status: string;
  headers: Map<string, string>;
  body: string;
}

/** Splits responses written one after the other (Content-Length or chunked). */
export function responses(text: string, head = false): Parsed[] {
  const out: Parsed[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf("\r\n\r\n");
    if (end === -1) throw new Error(`Incomplete response: ${rest}`);
    const [status, ...lines] = rest.slice(0, end).split("\r\n");
    const headers = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf(":");
      headers.set(l.slice(0, i).toLowerCase(), l.slice(i + 1).trim());
    }
    rest = rest.slice(end + 4);
    let body = "";
    const code = Number(status.split(" ")[1]);
    if (code === 100) {
      out.push({ status, headers, body });
      continue;
    }
    if (head || code === 304 || code === 204) {
      // No body.
    } else if (headers.get("transfer-encoding") === "chunked") {
      for (;;) {
        const nl = rest.indexOf("\r\n");
        const n = parseInt(rest.slice(0, nl), 16);
        rest = rest.slice(nl + 2);
        if (n === 0) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, n);
        rest = rest.slice(n + 2);
      }
    } else if (headers.has("content-length")) {
      const n = Number(headers.get("content-length"));
      body = rest.slice(0, n);
      rest = rest.slice(n);
    } else {
      body = rest;
      rest = "";
    }
    out.push({ status, headers, body: utf8(body) });
  }
  return out;
}

export function get(path: string, extra = ""): string {
  return `GET ${path} HTTP/1.1\r\nHost: example.com\r\n${extra}\r\n`;
}

/** One file of a {@linkcode MemoryTemporaryFiles}. */
export class MemoryTemporaryFile implements TemporaryFile {
  data = new Uint8Array(0);
  position = 0;
  closed = false;
  writes = 0;
  /** The most bytes a read returns (a trickling file: 3). */
  maxRead = Infinity;
  /** Whether reads end a byte early (a file cut short under the reader). */
  truncate = false;

  constructor(readonly failWrites = false) {}

  write(data: Uint8Array): void {
    if (this.closed) throw new Error("write on a closed file");
    if (this.failWrites) throw new Error("No space left on device");
    const end = this.position + data.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(end);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(data, this.position);
    this.position = end;
    this.writes++;
  }

  read(buffer: Uint8Array): number | null {
    if (this.closed) throw new Error("read on a closed file");
    const end = this.truncate ? this.data.length - 1 : this.data.length;
    const n = Math.min(buffer.length, this.maxRead, end - this.position);
    if (n <= 0) return null;
    buffer.set(this.data.subarray(this.position, this.position + n));
    this.position += n;
    return n;
  }

  seek(offset: number): void {
    this.position = offset;
  }

  close(): void {
    this.closed = true;
  }
}

/** Temporary files in memory: what was made, written and closed. */
export class MemoryTemporaryFiles implements TemporaryFileSystem {
  readonly files: MemoryTemporaryFile[] = [];
  /** Whether `create` throws (as without `--allow-write`). */
  failCreate = false;
  /** Whether the files' writes throw (a full disk). */
  failWrites = false;

  create(): TemporaryFile {
    if (this.failCreate) {
      throw new Deno.errors.NotCapable("Requires write access to <TMP>");
    }
    const file = new MemoryTemporaryFile(this.failWrites);
    this.files.push(file);
    return file;
  }

  /** The files not closed yet. */
  get open(): MemoryTemporaryFile[] {
    return this.files.filter((f) => !f.closed);
  }
}
