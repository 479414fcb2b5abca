// Copyright 2026 the Torsion authors. MIT license.
/**
 * Loads a module named at run time (the runner's SOURCE, a plugin's
 * module, the module of a `deferToThread` task).
 *
 * An `import(specifier)` with a computed specifier makes `deno publish`
 * warn that it cannot analyze it (`unanalyzable-dynamic-import`): true, and
 * intended here, since what is loaded is named by the command line or the
 * caller. The
 * import is made through a `Function` so that the one place that does this
 * is explicit and the warning does not drown the others. Only absolute URLs
 * are passed: there is no module to resolve them against.
 *
 * @module
 */

const dynamicImport = new Function(
  "specifier",
  "return import(specifier);",
) as (specifier: string) => Promise<Record<string, unknown>>;

/**
 * Imports the module at `url`.
 *
 * @param url An absolute URL (`file:`, `https:`...).
 * @returns The module's namespace.
 */
export function importModule(url: string): Promise<Record<string, unknown>> {
  return dynamicImport(url);
}
