import { z } from "zod";
import { jsonPath, type Problem, quote } from "../problems";
import { isObject, own, README, schemaProblems, unknownKeys } from "./schema-problems";

/*
 * Reads a value against a zod schema part by part, as far as it parses, so one malformed part never hides the problems
 * of another: an object field by field, a list element by element, a record entry by entry (its name, then its value).
 * Which of these applies is read from the schema itself, so a new section of the environment file needs no reading code.
 */

/** An element of a list, as far as it parsed. */
export interface ReadElement {
  readonly index: number;
  /** The parsed element; undefined where it is malformed (its problems are recorded). */
  readonly value?: unknown;
  readonly raw: unknown;
}

/** An entry of a record, as far as it parsed. */
export interface ReadEntry {
  readonly name: string;
  /** The name is valid for the record's keys. */
  readonly validName: boolean;
  /** Object values: each field that parsed. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The whole value, when it parsed. */
  readonly value?: unknown;
  readonly raw: unknown;
}

/** What parsed of one value. */
export interface Reading {
  /** The whole value, defaults applied, when every part of it parsed (undefined also when an optional one is absent). */
  readonly value?: unknown;
  /** Objects: the fields that parsed (empty otherwise). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Lists: every element, when the value is a list. */
  readonly elements?: readonly ReadElement[];
  /** Records: every entry, when the value is an object. */
  readonly entries?: readonly ReadEntry[];
}

const NOTHING: Reading = { fields: {} };

/** Examples a schema carries in its metadata (`.meta({ examples })`), for the fix of a missing or malformed list. */
function exampleFix(schema: z.ZodType, key: PropertyKey | undefined): string | undefined {
  const examples = z.globalRegistry.get(schema)?.examples;
  return Array.isArray(examples) && examples.length && key !== undefined ? `e.g. ${JSON.stringify(String(key))}: ${JSON.stringify(examples[0])}` : undefined;
}

/** Reads values against schemas, recording every problem found on the way. */
export class SectionReader {
  readonly problems: Problem[] = [];

  private fail(p: Problem): void {
    this.problems.push(p);
  }

  /** Parses `value` whole; records its issues under `at`. */
  parse<T>(schema: z.ZodType<T>, value: unknown, at: readonly PropertyKey[]): T | undefined {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const i of r.error.issues) schemaProblems(i, at, value, schema).forEach((p) => this.fail(p));
    return undefined;
  }

  /** Reads `value` as the schema's kind says: object, list, record, or a whole value (defaults and optionals unwrapped). */
  read(schema: z.ZodType, value: unknown, at: readonly PropertyKey[]): Reading {
    if (schema instanceof z.ZodDefault) {
      const inner = schema.unwrap() as z.ZodType;
      // An absent section with a default is read as empty, so each field gets its own default.
      if (value === undefined && (inner instanceof z.ZodObject || inner instanceof z.ZodRecord)) return this.read(inner, {}, at);
      return value === undefined ? { fields: {}, value: this.parse(schema, value, at) } : this.read(inner, value, at);
    }
    if (schema instanceof z.ZodOptional) return value === undefined ? NOTHING : this.read(schema.unwrap() as z.ZodType, value, at);
    if (schema instanceof z.ZodObject) return this.object(schema, value, at);
    if (schema instanceof z.ZodArray) return this.list(schema, value, at);
    if (schema instanceof z.ZodRecord) return this.record(schema, value, at);
    return { fields: {}, value: this.parse(schema, value, at) };
  }

  /** A strict object field by field, then whole for its own cross-field checks once every field parsed. */
  private object(schema: z.ZodObject, value: unknown, at: readonly PropertyKey[]): Reading {
    if (!isObject(value)) {
      this.fail({ path: jsonPath(at), message: value === undefined ? "is required" : `must be an object, not ${quote(value)}`, fix: `write it as {...} (see ${README})` });
      return NOTHING;
    }
    const keys = Object.keys(schema.shape);
    unknownKeys(value, keys, at).forEach((p) => this.fail(p));
    const fields: Record<string, unknown> = {};
    let ok = true;
    for (const key of keys) {
      const before = this.problems.length;
      const parsed = this.read(schema.shape[key] as z.ZodType, own(value, key), [...at, key]);
      if (this.problems.length > before) ok = false;
      else if (parsed.value !== undefined) fields[key] = parsed.value;
    }
    if (!ok) return { fields };
    // Unknown keys are reported above; the object's own refinements are judged on the known fields.
    const known = Object.fromEntries(keys.filter((k) => Object.hasOwn(value, k)).map((k) => [k, value[k]]));
    const whole = this.parse(schema, known, at);
    return whole === undefined ? { fields } : { fields, value: whole };
  }

  /** A list: its own constraints (type, length), then element by element. */
  private list(schema: z.ZodArray, value: unknown, at: readonly PropertyKey[]): Reading {
    const shell = schema.safeParse(value);
    const shellIssues = shell.success ? [] : shell.error.issues.filter((i) => i.path.length === 0);
    const fix = exampleFix(schema, at[at.length - 1]);
    for (const i of shellIssues) for (const p of schemaProblems(i, at, value, schema)) this.fail(fix ? { ...p, fix } : p);
    if (!Array.isArray(value)) return NOTHING;
    const elements = value.map((raw, index) => ({ index, raw, value: this.read(schema.element as z.ZodType, raw, [...at, index]).value }));
    const whole = shellIssues.length === 0 && elements.every((e) => e.value !== undefined);
    return { fields: {}, elements, ...(whole ? { value: elements.map((e) => e.value) } : {}) };
  }

  /** A record entry by entry: each name against the key schema, each value against the value schema. */
  private record(schema: z.ZodRecord, value: unknown, at: readonly PropertyKey[]): Reading {
    if (!isObject(value)) {
      this.fail({ path: jsonPath(at), message: value === undefined ? "is required" : `must be an object, not ${quote(value)}`, fix: `write it as {"<name>": {...}} (see ${README})` });
      return NOTHING;
    }
    const entries = Object.keys(value).map((name): ReadEntry => {
      const validName = this.parse(schema.keyType as z.ZodType, name, [...at, name]) !== undefined;
      const read = this.read(schema.valueType as z.ZodType, value[name], [...at, name]);
      return { name, validName, fields: read.fields, value: read.value, raw: value[name] };
    });
    const whole = entries.every((e) => e.validName && e.value !== undefined);
    // Null prototype: any name (`constructor`, `__proto__`) is an ordinary key.
    const record = Object.assign(Object.create(null), Object.fromEntries(entries.map((e) => [e.name, e.value])));
    return { fields: {}, entries, ...(whole ? { value: record } : {}) };
  }
}
