// Copyright 2026 the Torsion authors. MIT license.
import type { DelayedCall } from "./delayed_call.ts";

function before(a: DelayedCall, b: DelayedCall): boolean {
  return a.time < b.time || (a.time === b.time && a._seq < b._seq);
}

/**
 * A binary min-heap of delayed calls ordered by time, then by scheduling
 * order (FIFO ties). Each call knows its index, so cancelling and
 * rescheduling are O(log n).
 */
export class TimerHeap {
  readonly items: DelayedCall[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): DelayedCall | undefined {
    return this.items[0];
  }

  push(call: DelayedCall): void {
    call._heapIndex = this.items.length;
    this.items.push(call);
    this.#up(call._heapIndex);
  }

  pop(): DelayedCall | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      last._heapIndex = 0;
      this.#down(0);
    }
    top._heapIndex = -1;
    return top;
  }

  remove(call: DelayedCall): void {
    const i = call._heapIndex;
    if (i < 0) return;
    const items = this.items;
    const last = items.pop()!;
    call._heapIndex = -1;
    if (i === items.length) return;
    items[i] = last;
    last._heapIndex = i;
    this.update(last);
  }

  /** Restores the order after `call.time` changed. */
  update(call: DelayedCall): void {
    const i = call._heapIndex;
    if (i < 0) return;
    if (i > 0 && before(call, this.items[(i - 1) >> 1])) this.#up(i);
    else this.#down(i);
  }

  #up(i: number): void {
    const items = this.items;
    const item = items[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p];
      if (!before(item, parent)) break;
      items[i] = parent;
      parent._heapIndex = i;
      i = p;
    }
    items[i] = item;
    item._heapIndex = i;
  }

  #down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r], items[l]) ? r : l;
      const child = items[c];
      if (!before(child, item)) break;
      items[i] = child;
      child._heapIndex = i;
      i = c;
    }
    items[i] = item;
    item._heapIndex = i;
  }
}
