import { z } from "zod";

/*
 * Where a zod issue points inside a schema: a nested issue (an unknown key deep inside a value parsed whole, or inside
 * one branch of a union) says where it is, not which keys were allowed there, so the "did you mean" of an unknown key
 * reads them from the schema at that path.
 */

/** `schema` without the wrappers that do not change a value's shape (optional, nullable, default, readonly, pipes' input). */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 20; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault || s instanceof z.ZodReadonly || s instanceof z.ZodPrefault || s instanceof z.ZodCatch) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else if (s instanceof z.ZodLazy) s = s.unwrap() as z.ZodType;
    else return s;
  }
  return s;
}

/** The schema of the value at `path` below `schema`, or undefined where the path leaves what the schema describes. */
export function schemaAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s = schema;
  for (const key of path) {
    if (s === undefined) return undefined;
    const u = unwrapSchema(s);
    if (u instanceof z.ZodObject) s = Object.hasOwn(u.shape, key) ? (u.shape[key as string] as z.ZodType) : undefined;
    else if (u instanceof z.ZodArray) s = typeof key === "number" ? (u.element as z.ZodType) : undefined;
    else if (u instanceof z.ZodRecord) s = u.valueType as z.ZodType;
    else return undefined;
  }
  return s;
}

/** The keys an object schema at `path` allows; undefined when there is no object schema there. */
export function objectKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] | undefined {
  const s = schemaAt(schema, path);
  const u = s && unwrapSchema(s);
  return u instanceof z.ZodObject ? Object.keys(u.shape) : undefined;
}

/** Branch `k` of the union at `path` below `schema` (what the issue's `errors[k]` are about). */
export function unionOptionAt(schema: z.ZodType | undefined, path: readonly PropertyKey[], k: number): z.ZodType | undefined {
  const s = schemaAt(schema, path);
  const u = s && unwrapSchema(s);
  return u instanceof z.ZodUnion ? (u.options[k] as z.ZodType | undefined) : undefined;
}
