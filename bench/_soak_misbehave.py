#!/usr/bin/env python3
# Copyright 2026 the Torsion authors. MIT license.
"""Misbehaving clients for bench/soak.ts, injected continuously.

Deno has no SO_LINGER control (its close() ends a connection with a FIN), so
the clients that reset run here, and the others with them. Every connection
is made from the source address --source (127.0.0.2 by default), so that the
server's log, which names each connection's peer, tells them from the
well-behaved load (127.0.0.1).

Kinds:

* stall: --stalls connections held open at all times, each for --stall-hold
  seconds (0.5x to 1.5x, at random), then closed cleanly (FIN). A third send
  nothing (echo service), a third half a line without its end ("#half a li",
  line-modes), a third a "DATA 1000" header and 100 of the 1000 bytes of its
  body (line-modes, raw mode). The server must keep them and send nothing.
* reset: --resets per second, each an RST (SO_LINGER 0) while data is in
  flight both ways. Half on the echo service: 64 bytes echoed first (the
  connection is accepted), then up to 4 MiB pushed without reading for at
  most 100 ms, then the reset (with part of it usually still unsent: "mid
  write"). Half on line-modes: one line answered first, then 100 lines and
  half a line sent without reading the answers, then the reset.
* non-reader: --non-readers connections at all times on the echo service,
  each held --non-reader-hold seconds: 64 KiB echoed and read back, then it
  sends without ever reading again, until --non-reader-cap bytes are sent
  after the last read (the server went on reading: its buffer toward this
  client grew that much, less what the kernels hold) or no send goes through
  for 2 s (the server stopped reading it: bounded). Then it holds the
  connection until its time is up and closes it (the unread echo makes the
  kernel send an RST).

Errors, as opposed to what is injected: a connect that fails, a stalled or
non-reading connection the server closes or answers unexpectedly, a wrong
echo before a reset or in a non-reader's first 64 KiB.

Every --report seconds, and once more at the end, one JSON line of totals
goes to stdout. The clients stop when stdin ends or on SIGTERM: held
connections are closed, then the final line is printed and the exit status
is 0.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import time

PATTERN = bytes(33 + (i * 7 + i // 64) % 90 for i in range(65536))
BLOCKED_S = 2.0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--source", default="127.0.0.2")
    p.add_argument("--echo-port", type=int, required=True)
    p.add_argument("--lines-port", type=int, required=True)
    p.add_argument("--stalls", type=int, default=20)
    p.add_argument("--stall-hold", type=float, default=20.0)
    p.add_argument("--resets", type=float, default=2.0)
    p.add_argument("--non-readers", type=int, default=2)
    p.add_argument("--non-reader-hold", type=float, default=20.0)
    p.add_argument("--non-reader-cap", type=int, default=64 << 20)
    p.add_argument("--report", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


class Totals:
    def __init__(self):
        self.stalls_opened = 0
        self.stalls_closed = 0
        self.stalls_open = 0
        self.resets = 0
        self.resets_mid_write = 0
        self.non_readers_opened = 0
        self.non_readers_closed = 0
        self.non_readers_open = 0
        # Non-readers whose sends stopped going through (the server stopped
        # reading) and those that reached the cap (it did not).
        self.non_readers_bounded = 0
        self.non_readers_capped = 0
        self.non_reader_max_accepted = 0
        self.errors = 0
        self.first_errors = []

    def fail(self, message):
        self.errors += 1
        if len(self.first_errors) < 5:
            self.first_errors.append(message)

    def line(self, final=False):
        """The totals as one JSON line, keys in camelCase (stallsOpened)."""
        d = {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): v
             for k, v in self.__dict__.items()}
        d["final"] = final
        d["time"] = time.time()
        return json.dumps(d)


class Clients:
    def __init__(self, args):
        self.a = args
        self.t = Totals()
        self.stopping = asyncio.Event()
        self.rand = random.Random(args.seed)
        self.loop = asyncio.get_running_loop()

    # -- helpers ---------------------------------------------------------

    async def connect(self, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((self.a.source, 0))
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await asyncio.wait_for(
                self.loop.sock_connect(s, (self.a.host, port)), 10)
        except BaseException:
            s.close()
            raise
        return s

    async def read_exactly(self, s, n, timeout=10.0):
        data = b""
        while len(data) < n:
            chunk = await asyncio.wait_for(
                self.loop.sock_recv(s, n - len(data)), timeout)
            if not chunk:
                raise ConnectionError(
                    f"closed by the server after {len(data)} of {n} bytes")
            data += chunk
        return data

    async def sleep_or_stop(self, seconds):
        """Sleeps; returns True early if the clients are stopping."""
        try:
            await asyncio.wait_for(self.stopping.wait(), max(0.0, seconds))
            return True
        except asyncio.TimeoutError:
            return False

    @staticmethod
    def hard_close(s):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()

    # -- stall -------------------------------------------------------------

    async def stall_slot(self, i):
        while not self.stopping.is_set():
            variant = i % 3
            try:
                port = self.a.echo_port if variant == 0 else self.a.lines_port
                s = await self.connect(port)
            except Exception as e:
                self.t.fail(f"stall: cannot connect: {e!r}")
                await self.sleep_or_stop(1)
                continue
            self.t.stalls_opened += 1
            self.t.stalls_open += 1
            try:
                if variant == 1:
                    await self.loop.sock_sendall(s, b"#half a li")
                elif variant == 2:
                    await self.loop.sock_sendall(
                        s, b"DATA 1000\r\n" + PATTERN[:100])
                hold = self.a.stall_hold * self.rand.uniform(0.5, 1.5)
                recv = asyncio.ensure_future(self.loop.sock_recv(s, 4096))
                stop = asyncio.ensure_future(self.stopping.wait())
                done, _ = await asyncio.wait(
                    {recv, stop}, timeout=hold,
                    return_when=asyncio.FIRST_COMPLETED)
                if recv in done:
                    try:
                        data = recv.result()
                        self.t.fail(
                            "stall: the server closed a stalled connection"
                            if not data else
                            f"stall: the server sent {data[:40]!r}")
                    except Exception as e:
                        self.t.fail(f"stall: {e!r}")
                else:
                    recv.cancel()
                stop.cancel()
            except Exception as e:
                self.t.fail(f"stall: {e!r}")
            finally:
                s.close()
                self.t.stalls_open -= 1
                self.t.stalls_closed += 1

    # -- reset -------------------------------------------------------------

    async def resets(self):
        if self.a.resets <= 0:
            return
        interval = 1.0 / self.a.resets
        tasks = set()
        n = 0
        next_at = time.monotonic()
        while not self.stopping.is_set():
            if len(tasks) < 64:
                task = asyncio.ensure_future(self.reset_one(n))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                n += 1
            next_at += interval
            if await self.sleep_or_stop(next_at - time.monotonic()):
                break
        if tasks:
            await asyncio.wait(tasks, timeout=15)

    async def reset_one(self, n):
        echo = n % 2 == 0
        try:
            s = await self.connect(
                self.a.echo_port if echo else self.a.lines_port)
        except Exception as e:
            self.t.fail(f"reset: cannot connect: {e!r}")
            return
        try:
            if echo:
                probe = PATTERN[:64]
                await self.loop.sock_sendall(s, probe)
                if await self.read_exactly(s, 64) != probe:
                    self.t.fail("reset: wrong echo before the reset")
                data = PATTERN * 64  # 4 MiB
                sent = 0
                deadline = time.monotonic() + 0.1
                while sent < len(data) and time.monotonic() < deadline:
                    try:
                        sent += s.send(data[sent:sent + 65536])
                    except BlockingIOError:
                        await asyncio.sleep(0.002)
                mid = sent < len(data)
            else:
                await self.loop.sock_sendall(s, b"#hello\r\n")
                answer = await self.read_exactly(s, len(b"line: #hello\r\n"))
                if answer != b"line: #hello\r\n":
                    self.t.fail(f"reset: wrong answer {answer!r}")
                s.send(b"#more\r\n" * 100 + b"#partial li")
                mid = True
            self.hard_close(s)
            s = None
            self.t.resets += 1
            if mid:
                self.t.resets_mid_write += 1
        except Exception as e:
            self.t.fail(f"reset: {e!r}")
        finally:
            if s is not None:
                s.close()

    # -- non-reader --------------------------------------------------------

    async def non_reader_slot(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                s = await self.connect(self.a.echo_port)
            except Exception as e:
                self.t.fail(f"non-reader: cannot connect: {e!r}")
                await self.sleep_or_stop(1)
                continue
            self.t.non_readers_opened += 1
            self.t.non_readers_open += 1
            try:
                await self.loop.sock_sendall(s, PATTERN)
                if await self.read_exactly(s, len(PATTERN)) != PATTERN:
                    self.t.fail("non-reader: wrong echo of the first 64 KiB")
                accepted = 0
                blocked_since = None
                hold_until = started + self.a.non_reader_hold
                while (accepted < self.a.non_reader_cap
                       and not self.stopping.is_set()
                       and time.monotonic() < hold_until):
                    try:
                        accepted += s.send(PATTERN)
                        blocked_since = None
                        await asyncio.sleep(0)
                    except BlockingIOError:
                        now = time.monotonic()
                        if blocked_since is None:
                            blocked_since = now
                        elif now - blocked_since >= BLOCKED_S:
                            break
                        await asyncio.sleep(0.01)
                if accepted >= self.a.non_reader_cap:
                    self.t.non_readers_capped += 1
                elif blocked_since is not None:
                    self.t.non_readers_bounded += 1
                self.t.non_reader_max_accepted = max(
                    self.t.non_reader_max_accepted, accepted)
                await self.sleep_or_stop(hold_until - time.monotonic())
            except Exception as e:
                self.t.fail(f"non-reader: {e!r}")
            finally:
                s.close()
                self.t.non_readers_open -= 1
                self.t.non_readers_closed += 1

    # -- all ---------------------------------------------------------------

    async def report(self):
        while not await self.sleep_or_stop(self.a.report):
            print(self.t.line(), flush=True)

    async def run(self):
        tasks = [asyncio.ensure_future(self.stall_slot(i))
                 for i in range(self.a.stalls)]
        tasks += [asyncio.ensure_future(self.non_reader_slot())
                  for _ in range(self.a.non_readers)]
        tasks.append(asyncio.ensure_future(self.resets()))
        tasks.append(asyncio.ensure_future(self.report()))
        await asyncio.gather(*tasks)
        print(self.t.line(final=True), flush=True)


async def main():
    args = parse_args()
    clients = Clients(args)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, clients.stopping.set)
    loop.add_signal_handler(signal.SIGINT, clients.stopping.set)
    fd = sys.stdin.fileno()

    def on_stdin():
        # The end of stdin (the parent closing it) stops the clients.
        if not os.read(fd, 4096):
            loop.remove_reader(fd)
            clients.stopping.set()

    loop.add_reader(fd, on_stdin)
    await clients.run()


if __name__ == "__main__":
    asyncio.run(main())
