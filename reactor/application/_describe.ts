// Copyright 2026 the Torsion authors. MIT license.
/**
 * How log lines and errors name a service.
 *
 * @module
 */

import type { IService } from "./interfaces.ts";

/**
 * Names a service for a log line: `"web" (TCPServer)`, or
 * `an unnamed TCPServer`. Never throws.
 */
export function describeService(service: IService): string {
  let kind = "service";
  let name: string | null = null;
  try {
    kind = (service as object).constructor?.name || "service";
    name = service.name;
  } catch {
    // A getter that throws: keep what we have.
  }
  return name === null || name === undefined
    ? `an unnamed ${kind}`
    : `${JSON.stringify(String(name))} (${kind})`;
}
