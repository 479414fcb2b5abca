// Copyright 2026 the Torsion authors. MIT license.
/**
 * The writable `clock` property of everything that schedules (Twisted's
 * `clock = reactor` attributes): the clock set on the instance, else the
 * default reactor, looked up when read.
 *
 * @module
 */

import { defaultClock } from "./default.ts";
import type { IReactorTime } from "./interfaces.ts";

const CLOCK: unique symbol = Symbol("clock");

interface HasClock {
  [CLOCK]?: IReactorTime;
}

/**
 * Defines `clock` on a class's prototype; the class declares it with
 * `declare clock: IReactorTime`.
 */
export function defineClockProperty(proto: object): void {
  Object.defineProperty(proto, "clock", {
    get(this: HasClock): IReactorTime {
      return this[CLOCK] ?? defaultClock();
    },
    set(this: HasClock, clock: IReactorTime) {
      this[CLOCK] = clock;
    },
    configurable: true,
  });
}
