// Copyright 2026 the Torsion authors. MIT license.
/**
 * The libc calls the epoll backend makes through `Deno.dlopen` (Linux,
 * x86_64 and aarch64 layouts), the socket address encoding, and
 * {@linkcode OsError} for a failed call.
 *
 * @module
 */

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  getsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  accept4: {
    parameters: ["i32", "buffer", "buffer", "i32"],
    result: "i32",
  },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  writev: { parameters: ["i32", "buffer", "i32"], result: "isize" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  /** Absent before glibc 2.35: the loop then spins instead. */
  epoll_pwait2: {
    parameters: ["i32", "buffer", "i32", "buffer", "pointer"],
    result: "i32",
    optional: true,
  },
  epoll_wait_parked: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/**
 * The libc functions, once opened. Sizes are passed as numbers (FFI takes a
 * number for a `usize` as well as a bigint; a bigint per call would cost an
 * allocation).
 */
export type Libc = Omit<Symbols, "read" | "write" | "writev"> & {
  read(fd: number, buf: Uint8Array, n: number): number | bigint;
  write(fd: number, buf: Uint8Array, n: number): number | bigint;
  writev(fd: number, iov: Uint8Array, count: number): number | bigint;
};

/** An opened libc and a way to close it. */
export interface OpenLibc {
  /** The functions. */
  readonly libc: Libc;
  /** Closes the library. */
  close(): void;
}

/**
 * Opens libc, or throws an `Error` that says why the epoll backend cannot
 * run here (not Linux, no `--allow-ffi`, no libc).
 */
export function openLibc(): OpenLibc {
  if (Deno.build.os !== "linux") {
    throw new Error(
      `Cannot use the epoll reactor: it needs Linux, this is ${Deno.build.os}`,
    );
  }
  let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    lib = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch (e) {
    const why = e instanceof Deno.errors.NotCapable
      ? "run Deno with --allow-ffi"
      : (e as Error).message;
    throw new Error(`Cannot use the epoll reactor: ${why}`, { cause: e });
  }
  return { libc: lib.symbols as unknown as Libc, close: () => lib.close() };
}

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_KEEPALIVE = 9;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const SHUT_WR = 1;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;
export const EPOLLRDHUP = 0x2000;
export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;

export const EINTR = 4;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOBUFS = 105;
export const ENOSYS = 38;
export const EINPROGRESS = 115;

/** Codes of the errno values the backend names (as Deno's errors have). */
const CODES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  4: "EINTR",
  9: "EBADF",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  32: "EPIPE",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  101: "ENETUNREACH",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  107: "ENOTCONN",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
  113: "EHOSTUNREACH",
};

/**
 * A failed libc call, with its `errno`; the message reads like Deno's
 * ("Connection refused (os error 111)").
 */
export class OsError extends Error {
  /** The errno value. */
  readonly errno: number;
  /** Its symbolic name, e.g. `ECONNREFUSED`, or `""`. */
  readonly code: string;

  /**
   * Creates the error.
   *
   * @param errno The errno value.
   * @param text Its description (`strerror`).
   */
  constructor(errno: number, text: string) {
    super(`${text} (os error ${errno})`);
    this.name = "OsError";
    this.errno = errno;
    this.code = CODES[errno] ?? "";
  }
}

/** The errno of the last failed call on this thread. */
export function errno(libc: Libc): number {
  return new Deno.UnsafePointerView(libc.__errno_location()!).getInt32();
}

/** An {@linkcode OsError} for `code` (the current errno by default). */
export function osError(libc: Libc, code: number = errno(libc)): OsError {
  const p = libc.strerror(code);
  const text = p === null
    ? `Unknown error ${code}`
    : Deno.UnsafePointerView.getCString(p);
  return new OsError(code, text);
}

/** A socket address, encoded for `bind`/`connect`, and its family. */
export interface SockAddr {
  /** The bytes of the `struct sockaddr_*`. */
  readonly bytes: Uint8Array;
  /** `AF_INET`, `AF_INET6` or `AF_UNIX`. */
  readonly family: number;
}

/** Parses an IPv4 dotted quad; `null` if `host` is not one. */
function parseIPv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Parses an IPv6 address (no scope); `null` if `host` is not one. */
function parseIPv6(host: string): Uint8Array | null {
  if (!host.includes(":")) return null;
  let head = host;
  let v4: number[] | null = null;
  const lastColon = host.lastIndexOf(":");
  if (host.slice(lastColon + 1).includes(".")) {
    v4 = parseIPv4(host.slice(lastColon + 1));
    if (v4 === null) return null;
    head = host.slice(0, lastColon) + ":0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => s === "" ? [] : s.split(":");
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [
    ...left,
    ...Array(halves.length === 2 ? missing : 0).fill("0"),
    ...right,
  ];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return null;
    const v = parseInt(all[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  if (v4 !== null) out.set(v4, 12);
  return out;
}

/** Whether `host` is an IPv4 or IPv6 literal. */
export function isIPLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}

/** Encodes an IP literal and a port; `null` if `host` is not a literal. */
export function inetAddress(host: string, port: number): SockAddr | null {
  const v4 = parseIPv4(host);
  if (v4 !== null) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, AF_INET, true);
    dv.setUint16(2, port, false);
    b.set(v4, 4);
    return { bytes: b, family: AF_INET };
  }
  const v6 = parseIPv6(host);
  if (v6 !== null) {
    const b = new Uint8Array(28);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, AF_INET6, true);
    dv.setUint16(2, port, false);
    b.set(v6, 8);
    return { bytes: b, family: AF_INET6 };
  }
  return null;
}

/** Encodes a Unix socket path. */
export function unixAddress(path: string): SockAddr {
  const name = new TextEncoder().encode(path);
  if (name.length >= 108) {
    throw new RangeError(
      `Cannot use the Unix socket path: at most 107 bytes, received ${name.length}`,
    );
  }
  const b = new Uint8Array(110);
  new DataView(b.buffer).setUint16(0, AF_UNIX, true);
  b.set(name, 2);
  return { bytes: b, family: AF_UNIX };
}

/** A decoded socket address. */
export type Decoded =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "unix"; path: string };

/** Decodes the first `len` bytes of a `struct sockaddr_*`. */
export function decodeAddress(b: Uint8Array, len: number): Decoded {
  const family = b[0] | (b[1] << 8);
  if (family === AF_INET) {
    // Read byte by byte: no DataView for each accepted connection.
    return {
      transport: "tcp",
      hostname: ipv4Text(
        ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0,
      ),
      port: (b[2] << 8) | b[3],
    };
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (family === AF_INET6) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) {
      groups.push(dv.getUint16(8 + 2 * i, false).toString(16));
    }
    return {
      transport: "tcp",
      hostname: compressIPv6(groups),
      port: dv.getUint16(2, false),
    };
  }
  let end = 2;
  while (end < len && b[end] !== 0) end++;
  return {
    transport: "unix",
    path: new TextDecoder().decode(b.subarray(2, end)),
  };
}

/** IPv4 addresses as text, shared by the connections from the same host. */
const ipv4Texts = new Map<number, string>();
/** How many {@linkcode ipv4Texts} holds at most. */
const IPV4_TEXTS_MAX = 4096;

/** The dotted-quad text of an IPv4 address (one string per address). */
function ipv4Text(ip: number): string {
  let text = ipv4Texts.get(ip);
  if (text === undefined) {
    text = `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
    if (ipv4Texts.size >= IPV4_TEXTS_MAX) ipv4Texts.clear();
    ipv4Texts.set(ip, text);
  }
  return text;
}

/** The shortest text of an IPv6 address (RFC 5952). */
function compressIPv6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best === -1) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${
    groups.slice(best + bestLen).join(":")
  }`;
}
