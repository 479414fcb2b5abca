// Copyright 2026 the Torsion authors. MIT license.
/**
 * {@linkcode EpollLoop}: one epoll instance and the loop that waits on it.
 *
 * The wait: while events come, `epoll_wait(0)` (a synchronous FFI call,
 * about 0.2 µs), and between batches the promise callbacks they queued
 * start (a microtask). A macrotask hop (a `MessageChannel` message, about
 * 3 µs), which runs timers and Deno's own I/O, comes when no event is
 * ready, when a reactor timer is due, and at least every
 * {@linkcode HOLD_MS}.
 *
 * When no event is ready and the hop has let the promise callbacks run,
 * the loop waits for the next event in the kernel on the JavaScript
 * thread (`epoll_pwait2`, which takes a timeout finer than a millisecond)
 * until {@linkcode HOLD_MS} after the last one, or until the next reactor
 * timer is due if that is sooner: a busy connection's next message is
 * handled at once, with no thread hand-off and no CPU burnt meanwhile.
 * Deno's own I/O (its sockets, which the TLS and UDP transports use,
 * files, Workers) and `setTimeout` callbacks run up to {@linkcode HOLD_MS}
 * late meanwhile; reactor timers do not. Still nothing: the loop parks in
 * a `nonblocking` FFI `epoll_wait` on another thread (a hand-off of about 30 µs each way),
 * which leaves the JavaScript event loop free until an event, or the
 * eventfd that {@linkcode EpollLoop.stop} writes to, wakes it. Where libc
 * (before glibc 2.35) or the kernel (before Linux 5.11) has no
 * `epoll_pwait2`, the loop spins on `epoll_wait(0)` and hops instead for
 * that time, which costs CPU, and on a machine with few cores slows the
 * peer it competes with.
 *
 * @module
 */

import * as log from "../../../defer/log.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EINTR,
  ENOSYS,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLLIN,
  errno,
  type Libc,
  osError,
} from "./_libc.ts";

/** What a registered descriptor is told. */
export interface EpollHandler {
  /** The descriptor is ready: `events` is the `EPOLL*` mask. */
  onEvents(events: number): void;
}

/** Events taken per `epoll_wait`. */
const MAX_EVENTS = 256;
/**
 * How long the loop waits on the JavaScript thread after the last event
 * before it parks, and the longest run of batches without a macrotask hop,
 * in milliseconds: Deno's own I/O and `setTimeout` callbacks wait that
 * long at most while the loop's connections are busy.
 * At a steady 25,000 round trips a second over 50 connections it keeps the
 * loop from parking between the load's bursts, a millisecond apart (server
 * CPU a round trip, `pingpong_50_r25k` in `bench/README.md`).
 */
export const HOLD_MS = 1;

/**
 * Microtask turns after a hop before the thread may wait: a promise
 * settled in the same turn as the hop's (Deno resolves the operations that
 * finished together) may have its callbacks queued behind the loop's, and
 * each callback may queue more; this many levels of them run first.
 */
const SETTLE_TURNS = 8;

/** Lets {@linkcode SETTLE_TURNS} levels of queued promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await undefined;
}

/** An epoll instance, its registered descriptors and its wait loop. */
export class EpollLoop {
  readonly #libc: Libc;
  readonly #ep: number;
  readonly #wake: number;
  readonly #events = new Uint8Array(12 * MAX_EVENTS);
  readonly #view = new DataView(this.#events.buffer);
  readonly #ctl = new Uint8Array(12);
  readonly #ctlView = new DataView(this.#ctl.buffer);
  readonly #handlers = new Map<number, EpollHandler>();
  #nextToken = 1;
  /** When the next reactor timer is due, on `performance.now()`'s clock. */
  #nextDue: () => number = () => Infinity;
  /**
   * The `struct timespec` of a short blocking wait (`epoll_pwait2`), or
   * `null` where libc or the kernel has none: the loop spins instead.
   */
  #shortWait: Uint8Array | null;
  readonly #timespec = new BigInt64Array(2);
  readonly #holdMs: number;
  #running: Promise<void> | null = null;
  #stopping = false;
  #channel: MessageChannel | null = null;
  #hop: (() => void) | null = null;

  /**
   * Creates the epoll instance and the eventfd that wakes it.
   *
   * @param libc The libc functions.
   * @param holdMs How long the loop holds the JavaScript thread (see
   *   {@linkcode HOLD_MS}).
   */
  constructor(libc: Libc, holdMs: number = HOLD_MS) {
    this.#holdMs = holdMs;
    this.#libc = libc;
    this.#shortWait = libc.epoll_pwait2 === null
      ? null
      : new Uint8Array(this.#timespec.buffer);
    this.#ep = libc.epoll_create1(0o2000000);
    if (this.#ep < 0) throw osError(libc);
    this.#wake = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (this.#wake < 0) {
      const e = osError(libc);
      libc.close(this.#ep);
      throw e;
    }
    const drain = new Uint8Array(8);
    this.add(this.#wake, EPOLLIN, {
      onEvents: () => {
        libc.read(this.#wake, drain, 8);
      },
    });
  }

  /**
   * Registers `fd` for `events`; returns the token that names it here.
   *
   * @throws {OsError} If epoll refuses it.
   */
  add(fd: number, events: number, handler: EpollHandler): number {
    const token = this.#nextToken++;
    this.#control(EPOLL_CTL_ADD, fd, events, token);
    this.#handlers.set(token, handler);
    return token;
  }

  /** Changes the events `fd` (registered as `token`) waits for. */
  modify(fd: number, token: number, events: number): void {
    this.#control(EPOLL_CTL_MOD, fd, events, token);
  }

  /** Unregisters `fd`; later events for `token` are dropped. */
  remove(fd: number, token: number): void {
    this.#handlers.delete(token);
    this.#libc.epoll_ctl(this.#ep, EPOLL_CTL_DEL, fd, this.#ctl);
  }

  #control(op: number, fd: number, events: number, token: number): void {
    const v = this.#ctlView;
    v.setUint32(0, events, true);
    v.setUint32(4, token, true);
    v.setUint32(8, 0, true);
    if (this.#libc.epoll_ctl(this.#ep, op, fd, this.#ctl) < 0) {
      throw osError(this.#libc);
    }
  }

  /** Whether only the loop's own eventfd is registered. */
  get idle(): boolean {
    return this.#handlers.size <= 1;
  }

  /**
   * Starts the wait loop (once); the promise settles when it has stopped.
   *
   * @param nextDue When the reactor's next timer is due, on
   *   `performance.now()`'s clock (`-Infinity`: a call is due now): the
   *   loop does not hold the JavaScript thread past it.
   */
  start(nextDue?: () => number): Promise<void> {
    if (nextDue !== undefined) this.#nextDue = nextDue;
    return this.#running ??= this.#run().finally(() => {
      this.#running = null;
      this.#stopping = false;
    });
  }

  /** Asks the loop to stop, waking a parked wait. */
  stop(): void {
    if (this.#stopping || this.#running === null) return;
    this.#stopping = true;
    const one = new Uint8Array(8);
    one[0] = 1;
    this.#libc.write(this.#wake, one, 8);
  }

  /** Closes the epoll instance and the eventfd, once the loop has stopped. */
  close(): void {
    this.#handlers.clear();
    this.#libc.close(this.#wake);
    this.#libc.close(this.#ep);
  }

  /** A macrotask hop: lets timers, promises and other I/O run. */
  #yield(): Promise<void> {
    if (this.#channel === null) {
      const channel = this.#channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const hop = this.#hop;
        this.#hop = null;
        hop?.();
      };
    }
    const channel = this.#channel;
    return new Promise((resolve) => {
      this.#hop = resolve;
      channel.port2.postMessage(null);
    });
  }

  async #run(): Promise<void> {
    const libc = this.#libc;
    const hold = this.#holdMs;
    // No event yet: nothing to hold the thread for, park at once.
    let lastEvent = -Infinity;
    let lastHop = performance.now();
    // Whether the promise callbacks have run since the last batch: only
    // then may the thread wait.
    let drained = true;
    try {
      while (!this.#stopping) {
        let n = libc.epoll_wait(this.#ep, this.#events, MAX_EVENTS, 0);
        let now = performance.now();
        if (n === 0 && drained) {
          if (now - lastEvent < hold) {
            // Traffic just paused: wait for more here, without the CPU a
            // spin costs, until the hold ends or a timer is due.
            const ms = Math.min(lastEvent + hold, this.#nextDue()) - now;
            if (ms > 0 && this.#shortWait !== null) {
              const ns = Math.ceil(ms * 1e6);
              this.#timespec[0] = BigInt(Math.floor(ns / 1e9));
              this.#timespec[1] = BigInt(ns % 1e9);
              n = libc.epoll_pwait2!(
                this.#ep,
                this.#events,
                MAX_EVENTS,
                this.#shortWait,
                null,
              );
              if (n < 0 && errno(libc) === ENOSYS) {
                this.#shortWait = null;
                n = 0;
              }
              now = performance.now();
            }
          } else {
            this.#closeChannel();
            n = await libc.epoll_wait_parked(
              this.#ep,
              this.#events,
              MAX_EVENTS,
              -1,
            );
          }
        }
        if (n < 0) {
          if (errno(libc) !== EINTR) throw osError(libc);
        } else if (n > 0) {
          now = performance.now();
          this.#dispatch(n);
          lastEvent = now;
        }
        if (
          n <= 0 || now - lastHop >= hold || this.#nextDue() <= now
        ) {
          await this.#yield();
          await settle();
          lastHop = performance.now();
          drained = true;
        } else {
          // The promise callbacks the batch queued start now.
          await undefined;
          drained = false;
        }
      }
    } finally {
      this.#closeChannel();
    }
  }

  #closeChannel(): void {
    const channel = this.#channel;
    if (channel === null) return;
    this.#channel = null;
    channel.port1.close();
    channel.port2.close();
  }

  #dispatch(n: number): void {
    const v = this.#view;
    for (let i = 0; i < n; i++) {
      const at = i * 12;
      const handler = this.#handlers.get(v.getUint32(at + 4, true));
      if (handler === undefined) continue;
      try {
        handler.onEvents(v.getUint32(at, true));
      } catch (e) {
        log.err(e, "Unexpected error in an epoll handler");
      }
    }
  }
}
