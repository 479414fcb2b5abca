// Copyright 2026 the Torsion authors. MIT license.
/**
 * The settings of the finger application modules (finger11.ts and after),
 * read from the environment: an application module is loaded by the
 * runner, which keeps the command line for itself (a `.tac` file has no
 * options either). Each has the tutorial's value by default.
 *
 * | Variable             | Default                        | What                                |
 * | -------------------- | ------------------------------ | ----------------------------------- |
 * | `FINGER_PORT`        | `79` (needs root)              | the finger port (0: any free port)  |
 * | `FINGER_SETTER_PORT` | `1079`                         | the setter's port                   |
 * | `FINGER_WEB_PORT`    | `8000`                         | the web site's port (15 and after)  |
 * | `FINGER_SSL_PORT`    | `443` (needs root)             | HTTPS (step 22)                     |
 * | `FINGER_SSL_KEY`     | `server.pem`                   | its private key (step 22)           |
 * | `FINGER_SSL_CERT`    | `cert.pem`                     | its certificate (step 22)           |
 * | `FINGER_INTERFACE`   | `127.0.0.1`                    | the address every port listens on   |
 * | `FINGER_USERS`       | `examples/finger/etc.users`    | the users file                      |
 * | `FINGER_RELOAD`      | `30`                           | seconds between reads of the file   |
 * | `FINGER_IRC_SERVER`  | `tcp:127.0.0.1:6667`           | the IRC server (an endpoint string; |
 * |                      |                                | simple_finger.ts: a host, no bot    |
 * |                      |                                | unless set)                         |
 * | `FINGER_IRC_NICK`    | `fingerbot`                    | the IRC bot's nickname              |
 * | `FINGER_IRC_PORT`    | `6667`                         | simple_finger.ts: the IRC port      |
 * | `FINGER_REMOTE_PORT` | `79`                           | the proxy's remote servers' port    |
 * | `FINGER_PASSWD`      | `/etc/passwd`                  | the passwd file (step 19c)          |
 * | `FINGER_UID`/`_GID`  | unset                          | the user/group the runner must be   |
 *
 * @module
 */

/**
 * A port number from the environment.
 *
 * @param name The variable.
 * @param fallback Its default.
 * @returns The port.
 * @throws {RangeError} If the value is not a port number.
 */
export function envPort(name: string, fallback: number): number {
  const value = Deno.env.get(name);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new RangeError(
      `Cannot use ${name}: "${value}" is not a port number (0-65535)`,
    );
  }
  return port;
}

/**
 * A number of seconds from the environment.
 *
 * @param name The variable.
 * @param fallback Its default.
 * @returns The number.
 * @throws {RangeError} If the value is not a number > 0.
 */
export function envSeconds(name: string, fallback: number): number {
  const value = Deno.env.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !(n > 0)) {
    throw new RangeError(
      `Cannot use ${name}: "${value}" is not a number of seconds > 0`,
    );
  }
  return n;
}

/**
 * A user or group id from the environment, or `null` if it is not set.
 *
 * @param name The variable.
 * @returns The id.
 */
export function envId(name: string): number | null {
  const value = Deno.env.get(name);
  return value === undefined || value === "" ? null : Number(value);
}

/**
 * A string from the environment.
 *
 * @param name The variable.
 * @param fallback Its default.
 * @returns The value.
 */
export function envString(name: string, fallback: string): string {
  return Deno.env.get(name) ?? fallback;
}

/** The address the application modules listen on. */
export function fingerInterface(): string {
  return envString("FINGER_INTERFACE", "127.0.0.1");
}

/** The users file: `FINGER_USERS`, or the sample beside this module. */
export function usersFile(): string {
  return envString(
    "FINGER_USERS",
    new URL("etc.users", import.meta.url).pathname,
  );
}

/**
 * A strports description of a TCP port on {@linkcode fingerInterface}.
 *
 * @param port The port.
 * @returns `tcp:PORT:interface=ADDRESS`.
 */
export function tcp(port: number): string {
  return `tcp:${port}:interface=${fingerInterface()}`;
}
