// Copyright 2026 the Torsion authors. MIT license.
/**
 * C's `asctime`, as Python's `time.asctime` gives it (private).
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
 * `seconds` since the epoch in C's `asctime` form, `Sun Jun  5 23:21:05
 * 1993` (the day padded with a space): local time, as Python's
 * `time.asctime(time.localtime(t))`, or UTC.
 */
export function asctime(seconds: number, utc = false): string {
  const d = new Date(Math.floor(seconds) * 1000);
  const [weekday, month, day, h, m, s, year] = utc
    ? [
      d.getUTCDay(),
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCFullYear(),
    ]
    : [
      d.getDay(),
      d.getMonth(),
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
      d.getFullYear(),
    ];
  return `${DAYS[weekday]} ${MONTHS[month]} ${String(day).padStart(2, " ")} ${
    two(h)
  }:${two(m)}:${two(s)} ${year}`;
}
