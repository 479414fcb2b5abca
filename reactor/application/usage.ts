// Copyright 2026 the Torsion authors. MIT license.
/**
 * Command-line options described as data, after `twisted.python.usage`: an
 * {@linkcode OptionsDescription} lists the flags and parameters (Twisted's
 * `optFlags` and `optParameters`), {@linkcode parseOptions} reads arguments
 * against it, and {@linkcode formatOptions} writes its help text. The
 * runner reads its own options and every plugin's this way.
 *
 * @module
 */

/** A flag: an option without a value (a row of Twisted's `optFlags`). */
export interface FlagDescription {
  /** The long name (`--name`), and the key of its value (`true` if given). */
  readonly name: string;
  /** The one-letter name (`-x`), if any. */
  readonly short?: string;
  /** One line of help. */
  readonly description: string;
}

/** A parameter: an option with a value (a row of Twisted's `optParameters`). */
export interface ParameterDescription {
  /** The long name (`--name VALUE` or `--name=VALUE`), and the key of its value. */
  readonly name: string;
  /** The one-letter name (`-x VALUE` or `-xVALUE`), if any. */
  readonly short?: string;
  /** One line of help. */
  readonly description: string;
  /**
   * The value when the option is not given.
   *
   * @default {null}
   */
  readonly default?: string | null;
  /**
   * Whether the option may be given several times; its value is then the
   * array of the values given (or `[default]`, or `[]` without a default).
   *
   * @default {false}
   */
  readonly multiple?: boolean;
  /**
   * What the help text calls the value.
   *
   * @default {the name in capitals}
   */
  readonly metavar?: string;
}

/** The options of a command (Twisted's `usage.Options` subclass, as data). */
export interface OptionsDescription {
  /** The first line of the help text, after `Usage: `. */
  readonly synopsis?: string;
  /** A paragraph after the synopsis (Twisted's `longdesc`). */
  readonly description?: string;
  /** The flags. `-h`/`--help` is always added. */
  readonly flags?: readonly FlagDescription[];
  /** The parameters. */
  readonly parameters?: readonly ParameterDescription[];
}

/**
 * The value of an option: `true`/`false` for a flag, a string or `null` for
 * a parameter, an array for a parameter that may be repeated.
 */
export type OptionValue = string | boolean | readonly string[] | null;

/** Parsed options, by long name (`help` is always there). */
export type ParsedOptions = Readonly<Record<string, OptionValue>>;

/** Options of {@linkcode parseOptions}. */
export interface ParseOptionsOptions {
  /**
   * Stop at the first argument that is not an option, and return it and
   * everything after it (the runner does, to find its SOURCE). Otherwise
   * such an argument is a {@linkcode UsageError}.
   *
   * @default {false}
   */
  stopAtArgument?: boolean;
}

/** What {@linkcode parseOptions} returns. */
export interface ParseResult {
  /** The options, by long name. */
  readonly options: ParsedOptions;
  /** The arguments after the options (with `stopAtArgument`), else `[]`. */
  readonly rest: readonly string[];
}

/**
 * Reports a command line that cannot be used: an unknown option, a missing
 * value, a bad value (Twisted's `usage.UsageError`). The runner prints the
 * message with the command's help and exits with status 2.
 *
 * @example Usage
 * ```ts
 * import { parseOptions, UsageError } from "@torsion/torsion/application";
 * import { throws } from "node:assert/strict";
 *
 * throws(
 *   () => parseOptions({}, ["--frobnicate"]),
 *   new UsageError("option --frobnicate not recognized"),
 * );
 * ```
 */
export class UsageError extends Error {
  /**
   * Creates a `UsageError`.
   *
   * @param message What is wrong with the command line.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

const HELP: FlagDescription = {
  name: "help",
  short: "h",
  description: "Display this help and exit.",
};

type Option =
  | { kind: "flag"; spec: FlagDescription }
  | { kind: "parameter"; spec: ParameterDescription };

function table(description: OptionsDescription): {
  long: Map<string, Option>;
  short: Map<string, Option>;
  all: Option[];
} {
  const all: Option[] = [
    ...(description.flags ?? []).map((spec) => ({
      kind: "flag" as const,
      spec,
    })),
    { kind: "flag", spec: HELP },
    ...(description.parameters ?? []).map((spec) => ({
      kind: "parameter" as const,
      spec,
    })),
  ];
  const long = new Map<string, Option>();
  const short = new Map<string, Option>();
  for (const o of all) {
    long.set(o.spec.name, o);
    if (o.spec.short !== undefined) short.set(o.spec.short, o);
  }
  return { long, short, all };
}

/**
 * Reads `args` against `description`, as Twisted's `Options.parseOptions`
 * does: `--name VALUE`, `--name=VALUE`, `-x VALUE`, `-xVALUE`, flags
 * grouped as `-ab`, and `--` to end the options. `-h`/`--help` sets
 * `help` and ends the parsing (what follows is not looked at); the caller
 * prints {@linkcode formatOptions} and stops.
 *
 * @param description The options.
 * @param args The arguments.
 * @param options Whether to stop at the first argument that is not an
 *   option.
 * @returns The values by long name (every option, with its default when
 *   not given), and the arguments left.
 * @throws {UsageError} For an unknown option ("option --x not
 *   recognized"), a parameter without its value ("option --x requires
 *   argument"), a flag given a value ("option --x must not have an
 *   argument"), or an argument that is not an option (unless
 *   `stopAtArgument`).
 *
 * @example Usage
 * ```ts
 * import { parseOptions } from "@torsion/torsion/application";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const { options, rest } = parseOptions({
 *   flags: [{ name: "verbose", short: "v", description: "Say more." }],
 *   parameters: [
 *     { name: "port", short: "p", default: "8007", description: "The port." },
 *   ],
 * }, ["-v", "--port=8000", "extra"], { stopAtArgument: true });
 * equal(options.verbose, true);
 * equal(options.port, "8000");
 * equal(options.help, false);
 * deepEqual(rest, ["extra"]);
 * ```
 */
export function parseOptions(
  description: OptionsDescription,
  args: readonly string[],
  options: ParseOptionsOptions = {},
): ParseResult {
  const { long, short, all } = table(description);
  const values: Record<string, OptionValue> = {};
  const given = new Map<string, string[]>();
  for (const o of all) {
    values[o.spec.name] = o.kind === "flag" ? false : null;
  }
  const set = (o: Option, value: string | null, display: string): void => {
    if (o.kind === "flag") {
      if (value !== null) {
        throw new UsageError(`option ${display} must not have an argument`);
      }
      values[o.spec.name] = true;
      return;
    }
    if (value === null) {
      throw new UsageError(`option ${display} requires argument`);
    }
    const list = given.get(o.spec.name) ?? [];
    list.push(value);
    given.set(o.spec.name, list);
  };
  let i = 0;
  const rest: string[] = [];
  while (i < args.length) {
    const arg = args[i++];
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const o = long.get(name);
      if (o === undefined) {
        throw new UsageError(`option --${name} not recognized`);
      }
      let value: string | null = eq === -1 ? null : arg.slice(eq + 1);
      if (value === null && o.kind === "parameter" && i < args.length) {
        value = args[i++];
      }
      set(o, value, `--${name}`);
      if (values.help === true) break;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // Flags may be grouped (-nb); a parameter takes the rest of the
      // argument, or the next one.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const o = short.get(letter);
        if (o === undefined) {
          throw new UsageError(`option -${letter} not recognized`);
        }
        if (o.kind === "flag") {
          set(o, null, `-${letter}`);
          if (values.help === true) break;
          continue;
        }
        let value: string | null = arg.slice(j + 1);
        if (value === "") value = i < args.length ? args[i++] : null;
        set(o, value, `-${letter}`);
        break;
      }
      if (values.help === true) break;
      continue;
    }
    if (options.stopAtArgument) {
      rest.push(arg, ...args.slice(i));
      break;
    }
    throw new UsageError(`unexpected argument: ${arg}`);
  }
  for (const o of all) {
    if (o.kind !== "parameter") continue;
    const list = given.get(o.spec.name);
    const fallback = o.spec.default ?? null;
    if (o.spec.multiple) {
      values[o.spec.name] = list ?? (fallback === null ? [] : [fallback]);
    } else {
      values[o.spec.name] = list === undefined
        ? fallback
        : list[list.length - 1];
    }
  }
  return { options: values, rest };
}

/**
 * Writes the help text of a command: its synopsis, its description, and
 * one line per option with its default, as Twisted's `Options.__str__`.
 *
 * @param description The options.
 * @returns The text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { formatOptions } from "@torsion/torsion/application";
 * import { match } from "node:assert/strict";
 *
 * const help = formatOptions({
 *   synopsis: "qotd [options]",
 *   parameters: [
 *     { name: "port", short: "p", default: "8007", description: "The port." },
 *   ],
 * });
 * match(help, /^Usage: qotd \[options\]\n/);
 * match(help, /  -p, --port=PORT +The port\. \[default: 8007\]\n/);
 * ```
 */
export function formatOptions(description: OptionsDescription): string {
  const { all } = table(description);
  let text = "";
  if (description.synopsis !== undefined) {
    text += `Usage: ${description.synopsis}\n`;
  }
  if (description.description !== undefined) {
    text += `${text === "" ? "" : "\n"}${description.description}\n`;
  }
  const rows = all.map((o) => {
    const shortName = o.spec.short === undefined
      ? "    "
      : `-${o.spec.short}, `;
    let left = `${shortName}--${o.spec.name}`;
    let right = o.spec.description;
    if (o.kind === "parameter") {
      left += `=${o.spec.metavar ?? o.spec.name.toUpperCase()}`;
      const d = o.spec.default;
      if (d !== undefined && d !== null) right += ` [default: ${d}]`;
      if (o.spec.multiple) right += " (may be repeated)";
    }
    return [left, right] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  text += `${text === "" ? "" : "\n"}Options:\n`;
  for (const [left, right] of rows) {
    text += `  ${left.padEnd(width)}  ${right}\n`;
  }
  return text;
}
