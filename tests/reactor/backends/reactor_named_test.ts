// Copyright 2026 the Torsion authors. MIT license.
// Choosing a reactor by name, as the runner's --reactor and TORSION_REACTOR
// do (Twisted's reactors.installReactor(shortName)).
import { deepEqual, ok, throws } from "node:assert/strict";
import {
  EpollReactor,
  getReactorTypes,
  Reactor,
  reactorNamed,
} from "../../../reactor/mod.ts";

/** Runs and stops `reactor` (an EpollReactor holds libc until it has run). */
async function settle(reactor: Reactor): Promise<Reactor> {
  reactor.callWhenRunning(() => reactor.stop());
  await reactor.run({ installSignalHandlers: false });
  return reactor;
}

Deno.test("reactorNamed: default and epoll, and a list tried in order", async () => {
  const d = await settle(reactorNamed("default"));
  ok(d instanceof Reactor && !(d instanceof EpollReactor));
  // The tests run with --allow-ffi on Linux: epoll can run.
  ok(await settle(reactorNamed("epoll")) instanceof EpollReactor);
  ok(await settle(reactorNamed(" epoll , default ")) instanceof EpollReactor);
  ok(!(await settle(reactorNamed("default,epoll")) instanceof EpollReactor));
});

Deno.test("reactorNamed: an unknown name is an error that says where it came from", () => {
  throws(
    () => reactorNamed("kqueue", "--reactor kqueue"),
    new Error(
      'Cannot choose a reactor: --reactor kqueue names "kqueue"; known: epoll, default',
    ),
  );
  throws(() => reactorNamed(""), /names ""/);
});

Deno.test("getReactorTypes: the names, default first, each described", () => {
  const types = getReactorTypes();
  deepEqual(types.map((t) => t.shortName), ["default", "epoll"]);
  ok(types.every((t) => t.description.length > 0));
});
