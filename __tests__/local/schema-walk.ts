import { NormalizedSchema } from "@smithy/core/schema";

type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

/**
 * Leading-required count of a compact struct schema `[3, ns, name, traits, names, schemas, required?]`: the SDK
 * ships required-ness only as this trailing number, not as a member trait.
 */
function requiredCount(ns: NormalizedSchema): number {
  const raw = ns.getSchema() as unknown;
  return Array.isArray(raw) && raw.length >= 7 && typeof raw[6] === "number" ? raw[6] : 0;
}

function typeProblem(ns: NormalizedSchema, value: unknown): string | undefined {
  if (ns.isDocumentSchema()) return undefined;
  if (ns.isStringSchema()) return typeof value === "string" ? undefined : "expected string";
  if (ns.isBooleanSchema()) return typeof value === "boolean" ? undefined : "expected boolean";
  if (ns.isNumericSchema()) return typeof value === "number" ? undefined : "expected number";
  if (ns.isTimestampSchema()) return value instanceof Date ? undefined : "expected timestamp (Date)";
  if (ns.isBlobSchema()) return value instanceof Uint8Array ? undefined : "expected blob";
  if (ns.isListSchema()) return Array.isArray(value) ? undefined : "expected list";
  if (ns.isStructSchema() || ns.isMapSchema()) {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? undefined : "expected object";
  }
  return undefined;
}

/**
 * Walks a deserialized SDK output against the SDK-shipped schema and lists every missing required member and
 * wrongly-typed value (the SDK deserializer checks neither). Empty result = conforms.
 */
export function schemaProblems(schema: SchemaRef, value: unknown, path = "$"): string[] {
  const out: string[] = [];
  walk(NormalizedSchema.of(schema), value, path, out);
  return out;
}

function walk(ns: NormalizedSchema, value: unknown, path: string, out: string[]): void {
  const problem = typeProblem(ns, value);
  if (problem) {
    out.push(`${path}: ${problem}, got ${JSON.stringify(value)}`);
    return;
  }
  if (ns.isListSchema()) {
    (value as unknown[]).forEach((v, i) => walk(ns.getValueSchema(), v, `${path}[${i}]`, out));
    return;
  }
  if (ns.isMapSchema()) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(ns.getValueSchema(), v, `${path}.${k}`, out);
    return;
  }
  if (!ns.isStructSchema()) return;
  const obj = value as Record<string, unknown>;
  if (ns.isUnionSchema()) {
    const set = [...ns.structIterator()].filter(([name]) => obj[name] !== undefined);
    if (set.length !== 1) out.push(`${path}: union must have exactly one member, has ${set.length}`);
    for (const [name, member] of set) walk(member, obj[name], `${path}.${name}`, out);
    return;
  }
  const required = requiredCount(ns);
  let i = 0;
  for (const [name, member] of ns.structIterator()) {
    const v = obj[name];
    if (v === undefined || v === null) {
      if (i < required) out.push(`${path}.${name}: required member missing`);
    } else {
      walk(member, v, `${path}.${name}`, out);
    }
    i++;
  }
}
