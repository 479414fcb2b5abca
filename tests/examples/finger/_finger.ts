// Copyright 2026 the Torsion authors. MIT license.
// Helpers for the finger tutorial's tests: a finger query over TCP that
// keeps the client's side open until the server closes (a finger server may
// answer after the line, once a backend has answered: closing our side
// first would end the connection before that), and the paths of the
// examples.
import { connect, readAll, runTool, send } from "../../_examples.ts";

const decoder = new TextDecoder();

/** The path of a file of examples/finger/. */
export function fingerPath(file: string): string {
  return new URL(`../../../examples/finger/${file}`, import.meta.url).pathname;
}

/**
 * Sends `query` (a line, `\r\n` added) to 127.0.0.1:`port` and reads until
 * the server closes.
 *
 * @param port The port.
 * @param query The line.
 * @returns The answer, as text.
 */
export async function finger(port: number, query: string): Promise<string> {
  const conn = await connect(port);
  try {
    await send(conn, query + "\r\n");
    return decoder.decode(await readAll(conn));
  } finally {
    try {
      conn.close();
    } catch {
      // Closed after a timeout.
    }
  }
}

/**
 * Sends `lines` (each with `\r\n`) to 127.0.0.1:`port`, then closes: what
 * the setter protocol expects.
 *
 * @param port The port.
 * @param lines The lines.
 */
export async function setUser(port: number, ...lines: string[]): Promise<void> {
  const conn = await connect(port);
  try {
    await send(conn, lines.map((l) => l + "\r\n").join(""));
    await conn.closeWrite();
    await readAll(conn);
  } finally {
    try {
      conn.close();
    } catch {
      // Closed after a timeout.
    }
  }
}

/**
 * Fetches `url` with `curl` (failing on an HTTP error status) and returns
 * the body.
 *
 * @param url The URL.
 * @param args More options for curl (`--cacert FILE`).
 * @returns The body, as text.
 */
export function curl(url: string, ...args: string[]): Promise<string> {
  return runTool("curl", ["-sS", "--fail-with-body", ...args, url]);
}
