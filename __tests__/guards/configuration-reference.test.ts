import { z } from "zod";
import { environmentSchema } from "../../core/environment";
import { proseLines, read } from "./markdown";

// docs/configuration.md is the reference a platform engineer edits environment files by, so it must say exactly what
// the schema accepts: every key of the zod schema documented, no documented key that does not exist, required keys
// marked required, and the defaults the schema applies written as the schema has them. The key list comes from the
// schema itself, never from a list typed into this test.

/** One key of an object schema, as a JSON path: `<*>` for a record's keys, `[]` for a list's entries. */
interface SchemaKey {
  readonly path: string;
  readonly required: boolean;
  /** The default the schema applies, when it is a string, number or boolean. */
  readonly primitiveDefault?: string | number | boolean;
}

type AnySchema = z.core.$ZodType;
const defOf = (s: AnySchema) => s._zod.def as unknown as Record<string, unknown> & { type: string };

/** What a key's schema says about presence: optional, defaulted (with the value) or required. */
function presence(schema: AnySchema): { required: boolean; primitiveDefault?: string | number | boolean } {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if (d.type === "optional") return { required: false };
    if (d.type === "default" || d.type === "prefault") {
      const v = d.defaultValue;
      return ["string", "number", "boolean"].includes(typeof v) ? { required: false, primitiveDefault: v as string | number | boolean } : { required: false };
    }
    if (["nullable", "readonly", "catch", "nonoptional"].includes(d.type)) s = d.innerType as AnySchema;
    else if (d.type === "pipe") s = d.in as AnySchema;
    else return { required: true };
  }
}

/** Every key an object schema accepts, at every depth (through optionals, defaults, records, lists and unions). */
export function schemaKeys(schema: AnySchema, prefix = ""): SchemaKey[] {
  const d = defOf(schema);
  switch (d.type) {
    case "object":
      return Object.entries(d.shape as Record<string, AnySchema>).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [{ path, ...presence(value) }, ...schemaKeys(value, path)];
      });
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "readonly":
    case "catch":
    case "nonoptional":
      return schemaKeys(d.innerType as AnySchema, prefix);
    case "pipe":
      return schemaKeys(d.in as AnySchema, prefix);
    case "record":
      return schemaKeys(d.valueType as AnySchema, `${prefix}.<*>`);
    case "array":
      return schemaKeys(d.element as AnySchema, `${prefix}[]`);
    case "union": {
      const seen = new Map<string, SchemaKey>();
      for (const option of d.options as AnySchema[]) for (const k of schemaKeys(option, prefix)) if (!seen.has(k.path)) seen.set(k.path, k);
      return [...seen.values()];
    }
    default:
      return [];
  }
}

/** A row of a key table in docs/configuration.md. */
interface DocumentedKey {
  readonly path: string;
  readonly defaultCell: string;
  readonly stability: string;
}

/** The key tables under "## Configuration keys": `| \`key\` | meaning | default | stability |`, placeholders as `<*>`. */
function documentedKeys(markdown: string): DocumentedKey[] {
  const lines = proseLines(markdown);
  const start = lines.findIndex((l) => /^## Configuration keys\s*$/.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).flatMap((line) => {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? "");
    if (!key || cells.length < 6) return [];
    return [{ path: key[1].replace(/<[^>]+>/g, "<*>"), defaultCell: cells[3], stability: cells[4] }];
  });
}

describe("the schema walk", () => {
  it("sees keys through optionals, defaults, records, lists and union branches", () => {
    const schema = z.strictObject({
      a: z.string(),
      b: z.number().default(3),
      c: z.record(z.string(), z.strictObject({ d: z.boolean().optional(), e: z.array(z.strictObject({ f: z.string() })).default([]) })),
      g: z.union([z.literal("all"), z.strictObject({ h: z.string() })]).default("all"),
    });
    expect(schemaKeys(schema)).toEqual([
      { path: "a", required: true },
      { path: "b", required: false, primitiveDefault: 3 },
      { path: "c", required: true },
      { path: "c.<*>.d", required: false },
      { path: "c.<*>.e", required: false },
      { path: "c.<*>.e[].f", required: true },
      { path: "g", required: false, primitiveDefault: "all" },
      { path: "g.h", required: true },
    ]);
  });
});

describe("docs/configuration.md against the environment schema", () => {
  const schema = schemaKeys(environmentSchema);
  const documented = documentedKeys(read("docs/configuration.md"));
  const byPath = new Map(documented.map((k) => [k.path, k]));

  it("reads the key tables", () => {
    expect(documented.length).toBeGreaterThan(50);
    expect(schema.length).toBeGreaterThan(50);
  });

  it("documents every key of the schema, each once", () => {
    expect(schema.map((k) => k.path).filter((p) => !byPath.has(p))).toEqual([]);
    expect(documented.map((k) => k.path).filter((p, i, all) => all.indexOf(p) !== i)).toEqual([]);
  });

  it("documents no key the schema does not accept", () => {
    const accepted = new Set(schema.map((k) => k.path));
    expect(documented.map((k) => k.path).filter((p) => !accepted.has(p))).toEqual([]);
  });

  it("says which keys are stable", () => {
    expect(documented.filter((k) => !["stable", "evolving"].includes(k.stability)).map((k) => `${k.path}: ${k.stability}`)).toEqual([]);
  });

  it("marks exactly the required keys required", () => {
    const wrong = schema.filter((k) => byPath.has(k.path) && /^required\b/.test(byPath.get(k.path)!.defaultCell) !== k.required);
    expect(wrong.map((k) => `${k.path}: ${k.required ? "required" : "optional"}, documented "${byPath.get(k.path)!.defaultCell}"`)).toEqual([]);
  });

  it("writes the defaults the schema applies", () => {
    const wrong = schema.filter((k) => k.primitiveDefault !== undefined && byPath.has(k.path) && !byPath.get(k.path)!.defaultCell.includes(`\`${k.primitiveDefault}\``));
    expect(wrong.map((k) => `${k.path}: schema default ${JSON.stringify(k.primitiveDefault)}, documented "${byPath.get(k.path)!.defaultCell}"`)).toEqual([]);
  });
});
