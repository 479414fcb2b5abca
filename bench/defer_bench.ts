// Copyright 2026 the Torsion authors. MIT license.
// Deferred chains beside the same work done with native promises.
import { Deferred, DeferredList, succeed } from "../defer/mod.ts";
import { benchOptions } from "./_smoke.ts";

const inc = (n: number): number => n + 1;

Deno.bench({
  name: "Deferred: 10 callbacks on an already-fired Deferred",
  group: "chain-fired",
  baseline: true,
  ...benchOptions,
  fn() {
    let out = 0;
    const d = succeed(0);
    for (let i = 0; i < 10; i++) d.addCallback(inc);
    d.addCallback((n) => {
      out = n;
    });
    if (out !== 10) throw new Error("wrong result");
  },
});

Deno.bench({
  name: "Promise: 10 .then() on a resolved promise, awaited",
  group: "chain-fired",
  ...benchOptions,
  async fn() {
    let p: Promise<number> = Promise.resolve(0);
    for (let i = 0; i < 10; i++) p = p.then(inc);
    if (await p !== 10) throw new Error("wrong result");
  },
});

Deno.bench({
  name: "Deferred: 10 callbacks, then fired",
  group: "chain-unfired",
  baseline: true,
  ...benchOptions,
  fn() {
    let out = 0;
    const d = new Deferred<number>();
    for (let i = 0; i < 10; i++) d.addCallback(inc);
    d.addCallback((n) => {
      out = n;
    });
    d.callback(0);
    if (out !== 10) throw new Error("wrong result");
  },
});

Deno.bench({
  name: "Promise: 10 .then() on a pending promise, then resolved, awaited",
  group: "chain-unfired",
  ...benchOptions,
  async fn() {
    let resolve!: (n: number) => void;
    let p = new Promise<number>((r) => {
      resolve = r;
    });
    for (let i = 0; i < 10; i++) p = p.then(inc);
    resolve(0);
    if (await p !== 10) throw new Error("wrong result");
  },
});

Deno.bench({
  name: "DeferredList of 1,000 Deferreds fired after",
  group: "list",
  baseline: true,
  ...benchOptions,
  fn() {
    const ds: Deferred<number>[] = [];
    for (let i = 0; i < 1000; i++) ds.push(new Deferred<number>());
    let n = 0;
    new DeferredList(ds).addCallback((r) => {
      n = r.length;
    });
    for (let i = 0; i < 1000; i++) ds[i].callback(i);
    if (n !== 1000) throw new Error("wrong result");
  },
});

Deno.bench({
  name: "Promise.allSettled of 1,000 promises resolved after, awaited",
  group: "list",
  ...benchOptions,
  async fn() {
    const resolvers: ((n: number) => void)[] = [];
    const ps: Promise<number>[] = [];
    for (let i = 0; i < 1000; i++) {
      ps.push(new Promise<number>((r) => resolvers.push(r)));
    }
    const all = Promise.allSettled(ps);
    for (let i = 0; i < 1000; i++) resolvers[i](i);
    if ((await all).length !== 1000) throw new Error("wrong result");
  },
});
