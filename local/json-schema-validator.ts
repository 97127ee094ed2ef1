import Ajv04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";

/** One failed constraint, shaped like AppConfig's InvalidConfigurationDetail. */
export interface InvalidConfigurationDetail {
  Constraint: string;
  Location: string;
  Reason: string;
  Type: string;
}

// AppConfig JSON_SCHEMA validators are draft-04; allErrors so a rejection lists every violation like AppConfig does.
const ajv = new Ajv04({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Throws if the validator content is not a usable draft-04 schema, so bad seeds fail where they are written. */
export function compileSchema(schemaText: string): ValidateFunction {
  const cached = compiled.get(schemaText);
  if (cached) return cached;
  const fn = ajv.compile(JSON.parse(schemaText) as object);
  compiled.set(schemaText, fn);
  return fn;
}

function typeName(value: unknown): string {
  if (value === null) return "Null";
  if (Array.isArray(value)) return "JSONArray";
  if (typeof value === "object") return "JSONObject";
  const t = typeof value;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = cur !== null && typeof cur === "object" && Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

/** Reason strings in the style AppConfig's (everit-based) validator prints them. */
function reason(err: ErrorObject, doc: unknown): string {
  const p = err.params as Record<string, unknown>;
  const value = valueAt(doc, err.instancePath);
  switch (err.keyword) {
    case "required":
      return `required key [${String(p.missingProperty)}] not found`;
    case "additionalProperties":
      return `extraneous key [${String(p.additionalProperty)}] is not permitted`;
    case "type":
      return `expected type: ${String(p.type).replace(/^./, (c) => c.toUpperCase())}, found: ${typeName(value)}`;
    case "enum":
      return `${JSON.stringify(value)} is not a valid enum value`;
    case "minimum":
      return `${String(value)} is not greater or equal to ${String(p.limit)}`;
    case "maximum":
      return `${String(value)} is not less or equal to ${String(p.limit)}`;
    default:
      return err.message ?? err.keyword;
  }
}

/** Validates configuration content against a JSON_SCHEMA validator; an empty list means valid. */
export function validateContent(schemaText: string, content: Buffer): InvalidConfigurationDetail[] {
  const validateFn = compileSchema(schemaText);
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString("utf8"));
  } catch (e) {
    return [{ Constraint: "json", Location: "#", Reason: `Configuration is not valid JSON: ${(e as Error).message}`, Type: "JSON_SCHEMA" }];
  }
  if (validateFn(doc)) return [];
  return (validateFn.errors ?? []).map((err) => ({
    Constraint: err.keyword,
    Location: `#${err.instancePath}`,
    Reason: reason(err, doc),
    Type: "JSON_SCHEMA",
  }));
}
