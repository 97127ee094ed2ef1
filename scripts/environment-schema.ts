/**
 * Writes schemas/environment.schema.json, the JSON Schema editors check environment files against (each file names it
 * in `$schema`), from the environment's zod schema (core/environment/editor-schema.ts). `--check` writes nothing and
 * exits 1 when the file is not what the schema generates (a test runs the same comparison).
 *
 *   npm run schema:environment [-- --check]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentJsonSchema } from "../core/environment";

/** Where the schema is written, relative to the repository root; environment files in config/ name it as ../schemas/... */
export const ENVIRONMENT_SCHEMA_FILE = path.join("schemas", "environment.schema.json");

/** The file's content: the generated schema, two-space indented, with a trailing newline. */
export function environmentSchemaText(): string {
  return JSON.stringify(environmentJsonSchema(), null, 2) + "\n";
}

function main(args: readonly string[]): number {
  const file = path.resolve(__dirname, "..", ENVIRONMENT_SCHEMA_FILE);
  const text = environmentSchemaText();
  if (args.includes("--check")) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) return 0;
    process.stderr.write(`${ENVIRONMENT_SCHEMA_FILE} is not what the environment schema generates -> run npm run schema:environment and commit it\n`);
    return 1;
  }
  if (args.length) {
    process.stderr.write("usage: npm run schema:environment [-- --check]\n");
    return 2;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`Wrote ${ENVIRONMENT_SCHEMA_FILE}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
