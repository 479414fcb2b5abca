// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode listenDenoDatagram}: UDP sockets for the Deno backend, built on
 * `node:dgram`, which Deno runs without any flag.
 *
 * Facts measured on Deno 2.9.6 (Linux, loopback) that chose this design:
 *
 * - `Deno.listenDatagram` needs `--unstable-net` (without it the function
 *   is `undefined`); `node:dgram` needs no flag, so users run UDP programs
 *   with only `--allow-net`.
 * - `node:dgram`'s `bind()` is asynchronous by default (`address()` right
 *   after it fails with `getsockname EBADF`) because it resolves the
 *   address first. Given a `lookup` that calls back synchronously, the bind
 *   happens inside `bind()`: `address()` works at once and a bind error
 *   (`EADDRINUSE`, `EADDRNOTAVAIL`) is emitted synchronously. Twisted's
 *   synchronous `listenUDP` (immediate `getHost`, immediate
 *   `CannotListenError`) is kept that way.
 * - Sends issued in one turn left the socket in reverse order; one send at
 *   a time (the next after the previous one's callback) keeps their order,
 *   so {@linkcode NetDatagramSocket.send} queues.
 * - A datagram of 20,000 bytes arrived whole; one of 70,000 bytes failed
 *   with `EMSGSIZE` (the IPv4 limit is 65,507 bytes of payload). Over IPv6
 *   (on `::1`) 65,527 bytes arrived whole and 65,528 failed with
 *   `EMSGSIZE`, as from Python. An empty datagram arrives as an empty one.
 * - IPv6 is a `udp6` socket: bound on `::1` or `::` synchronously, as IPv4.
 *   One bound on `::` also receives IPv4 datagrams, from IPv4-mapped
 *   addresses (`::ffff:127.0.0.1`), as Linux does by default
 *   (`IPV6_V6ONLY` off). A send from a `udp6` socket to an IPv4 address,
 *   or from a `udp4` one to an IPv6 address, fails with code `"UNKNOWN"`
 *   (the UDP port rejects both before sending, as Twisted does).
 * - `connect()` cannot report a refusal. Twisted calls a connected port's
 *   `connectionRefused()` when the system reports `ECONNREFUSED` (the ICMP
 *   "port unreachable" a previous datagram drew) on a later send or
 *   receive, and the system reports it only on a socket connected with
 *   `connect(2)`. Measured with `strace`: a `node:dgram` socket on which
 *   `connect(port, "127.0.0.1")` succeeded (its `"connect"` event fired,
 *   `remoteAddress()` names the peer) never calls `connect(2)`; each of
 *   four sends to the closed port, 50 ms apart, is a `sendto()` with the
 *   address, every send callback gets no error and no `"error"` event
 *   comes. The system therefore drops the ICMP errors (Linux reports them
 *   to an unconnected UDP socket only with `IP_RECVERR`, which
 *   `node:dgram` cannot set), and `Deno.listenDatagram` has no `connect`
 *   at all. So the UDP port emulates connected mode (it filters datagrams
 *   from other senders itself) and `connectionRefused` is never called on
 *   this backend.
 * - A send to an unroutable address or to a broadcast address without
 *   `SO_BROADCAST` fails with an error whose code is `"UNKNOWN"` (errno
 *   -4094): the system's reason is lost.
 * - Multicast on loopback works when the group is joined on `127.0.0.1`
 *   and sent from it (`IP_MULTICAST_IF`); two sockets with `reuseAddr` bind
 *   one port and both receive.
 * - `close()` releases the port on a later turn of the event loop: a bind
 *   of the same port fails with `EADDRINUSE` right after it and after a
 *   microtask, and succeeds after one `setTimeout(0)`. The `"close"` event
 *   (and `close(callback)`) never fired.
 * - A burst of sends from the same process to a socket that is not read
 *   meanwhile fills its receive buffer (212,992 bytes here) and the rest is
 *   dropped, as UDP may.
 *
 * @module
 */

import dgram from "node:dgram";
import type { DatagramBindOptions, NetDatagramSocket } from "../../backend.ts";

/** A `lookup` that calls back at once: the address is an IP literal already. */
function literalLookup(
  address: string,
  _options: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void {
  callback(null, address, address.includes(":") ? 6 : 4);
}

/** A send waiting for the previous one. */
interface QueuedSend {
  data: Uint8Array;
  host: string;
  port: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

class DenoDatagramSocket implements NetDatagramSocket {
  readonly #socket: dgram.Socket;
  readonly address: { readonly hostname: string; readonly port: number };
  #queue: QueuedSend[] = [];
  #sending = false;
  #closed = false;
  #bindError: unknown = null;
  #released: Promise<void> | null = null;

  constructor(options: DatagramBindOptions) {
    const socket = dgram.createSocket({
      type: options.hostname.includes(":") ? "udp6" : "udp4",
      reuseAddr: options.reuseAddress,
      lookup: literalLookup as dgram.SocketOptions["lookup"],
    });
    this.#socket = socket;
    const onBindError = (e: unknown) => {
      this.#bindError = e;
    };
    socket.once("error", onBindError);
    socket.bind(options.port, options.hostname);
    socket.off("error", onBindError);
    if (this.#bindError !== null) {
      try {
        socket.close();
      } catch {
        // Never bound.
      }
      throw this.#bindError;
    }
    const a = socket.address();
    this.address = { hostname: a.address, port: a.port };
  }

  start(
    onMessage: (data: Uint8Array, host: string, port: number) => void,
    onError: (e: unknown) => void,
  ): void {
    this.#socket.on("message", (msg, rinfo) => {
      if (this.#closed) return;
      onMessage(
        new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength),
        rinfo.address,
        rinfo.port,
      );
    });
    this.#socket.on("error", onError);
  }

  send(data: Uint8Array, host: string, port: number): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#queue.push({ data, host, port, resolve, reject });
    if (!this.#sending) this.#sendNext();
    return promise;
  }

  #sendNext(): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#sending = false;
      return;
    }
    this.#sending = true;
    if (this.#closed) {
      next.reject(new Error("Cannot send: the UDP socket is closed"));
      this.#sendNext();
      return;
    }
    try {
      this.#socket.send(next.data, next.port, next.host, (err) => {
        if (err) next.reject(err);
        else next.resolve();
        this.#sendNext();
      });
    } catch (e) {
      next.reject(e);
      this.#sendNext();
    }
  }

  setBroadcast(enabled: boolean): void {
    this.#socket.setBroadcast(enabled);
  }

  setMulticastTTL(ttl: number): void {
    this.#socket.setMulticastTTL(ttl);
  }

  setMulticastLoopback(enabled: boolean): void {
    this.#socket.setMulticastLoopback(enabled);
  }

  setMulticastInterface(address: string): void {
    this.#socket.setMulticastInterface(address);
  }

  addMembership(group: string, iface: string): void {
    if (iface === "") this.#socket.addMembership(group);
    else this.#socket.addMembership(group, iface);
  }

  dropMembership(group: string, iface: string): void {
    if (iface === "") this.#socket.dropMembership(group);
    else this.#socket.dropMembership(group, iface);
  }

  close(): Promise<void> {
    if (this.#closed) return this.#released!;
    this.#closed = true;
    this.#socket.close();
    // The socket is released on a later turn of the event loop, and the
    // "close" event never comes (see the module notes): one timer turn.
    this.#released = new Promise((resolve) => setTimeout(resolve, 0));
    return this.#released;
  }
}

/**
 * Binds a UDP socket with `node:dgram`, synchronously (see the module's
 * notes for why this works and what was measured): an IPv6 one when the
 * address to bind is IPv6 (it has a colon: `"::1"`, `"::"`), else an IPv4
 * one.
 *
 * @param options Where to bind, and whether to share the port.
 * @returns The bound socket.
 * @throws {Error} The system's bind error (`EADDRINUSE`,
 *   `EADDRNOTAVAIL`...).
 *
 * @example Usage
 * ```ts
 * import { listenDenoDatagram } from "@torsion/torsion/reactor";
 * import { ok } from "node:assert/strict";
 *
 * const s = listenDenoDatagram({ hostname: "127.0.0.1", port: 0, reuseAddress: false });
 * ok(s.address.port > 0);
 * await s.close();
 * ```
 */
export function listenDenoDatagram(
  options: DatagramBindOptions,
): NetDatagramSocket {
  return new DenoDatagramSocket(options);
}
