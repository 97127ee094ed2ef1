import { z } from "zod";
import { environmentSchema } from "./environment-config";

/**
 * The JSON Schema editors validate and complete environment files with (VS Code and JetBrains read `$schema`), generated
 * from the environment's own zod schema in draft-07, the newest draft both fully support
 * (https://code.visualstudio.com/docs/languages/json#_json-schemas-and-settings). It describes the file as written:
 * keys with defaults are optional. Checks only code can make (a region's catalog, a route's models) stay with
 * validation; the rules a pattern or list can state come from the schemas' metadata (`.meta`).
 */
export function environmentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(environmentSchema, { target: "draft-07", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: "Bedrock access baseline: an environment file (config/<env>.json)", ...rest };
}
