// Copyright 2026 the Torsion authors. MIT license.
/**
 * Python's `time.asctime(time.localtime(t))` (private).
 *
 * @module
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `seconds` since the epoch as local time in C's `asctime` form:
 * `Sun Jun  5 23:21:05 1993` (the day padded with a space).
 */
export function asctime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const day = String(d.getDate()).padStart(2, " ");
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day} ${
    two(d.getHours())
  }:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}
