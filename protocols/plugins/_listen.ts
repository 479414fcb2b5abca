// Copyright 2026 the Torsion authors. MIT license.
/**
 * The `--listen` option the built-in plugins share, and the service it
 * makes.
 *
 * @module
 */

import { MultiService } from "../../reactor/application/multi_service.ts";
import { service } from "../../reactor/application/strports.ts";
import {
  type OptionValue,
  type ParameterDescription,
  UsageError,
} from "../../reactor/application/usage.ts";
import type { IService } from "../../reactor/application/interfaces.ts";
import type { IProtocolFactory } from "../../reactor/interfaces.ts";

/** The `--listen` parameter, with the plugin's default endpoint. */
export function listenOption(defaultEndpoint: string): ParameterDescription {
  return {
    name: "listen",
    short: "l",
    metavar: "ENDPOINT",
    default: defaultEndpoint,
    multiple: true,
    description:
      "An endpoint to listen on (tcp:PORT[:interface=ADDRESS], unix:PATH, or a port number).",
  };
}

/**
 * One listening service per `--listen` value (a `MultiService` of them if
 * there are several).
 *
 * @throws {UsageError} For an endpoint that cannot be parsed.
 */
export function listenService(
  listen: OptionValue,
  factory: IProtocolFactory,
): IService {
  const endpoints = Array.isArray(listen) ? listen : [String(listen)];
  const services = endpoints.map((endpoint) => {
    const description = /^\d+$/.test(endpoint) ? `tcp:${endpoint}` : endpoint;
    try {
      return service(description, factory);
    } catch (e) {
      throw new UsageError(
        `Cannot listen on "${endpoint}": ${
          e instanceof Error ? e.message : String(e)
        }`,
        { cause: e },
      );
    }
  });
  if (services.length === 1) return services[0];
  const all = new MultiService();
  for (const s of services) s.setServiceParent(all);
  return all;
}
