import fc from "fast-check";
import { HAIKU, NOVA, REGION } from "../../fixtures";

// fast-check generators for routing documents, shared by the parser's and the toggle's property tests.

/** Names that are members of every plain object, mixed with ordinary IDs and arbitrary (hostile) text. */
export const BUILT_IN_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "propertyIsEnumerable", "toLocaleString"];
export const nameArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BUILT_IN_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(HAIKU.modelId, NOVA.modelId, "summarization", "chat", "a") },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "\u001b[31mred", "line\nbreak", "\u202eevil", "x".repeat(300)) },
);

/** A JSON object text with the given own keys, in order (JSON.parse makes `__proto__` an own key, as AppConfig would). */
export function objectText(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${typeof v === "string" && v.startsWith("{") ? v : JSON.stringify(v)}`).join(",")}}`;
}

export const entryValue = fc.oneof(
  fc.record({ invokeId: fc.oneof(nameArb, fc.constant("us.x")), enabled: fc.boolean() }),
  fc.jsonValue({ maxDepth: 2 }),
);
export const routeValue = (refs: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ primary: refs, fallbacks: fc.array(refs, { maxLength: 3 }), maxTokens: fc.oneof(fc.integer({ min: -1, max: 5000 }), fc.constant(1.5)) }, { requiredKeys: ["primary", "fallbacks", "maxTokens"] }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );

/** Well-formed documents over generated names: routes reference the document's own models (or, sometimes, any name). */
export const wellFormed = fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5 }).chain((modelNames) =>
  fc
    .tuple(
      fc.tuple(...modelNames.map(() => fc.record({ invokeId: fc.oneof(nameArb, fc.constant("us.x")).filter((s) => s.length > 0), enabled: fc.boolean() }))),
      fc.uniqueArray(
        fc.tuple(
          nameArb,
          fc.record(
            {
              primary: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...modelNames) }, { weight: 1, arbitrary: nameArb }),
              fallbacks: fc.uniqueArray(fc.constantFrom(...modelNames), { maxLength: 2 }),
              maxTokens: fc.integer({ min: 1, max: 4096 }),
              // A canary on some routes; one equal to the primary makes the document invalid.
              canary: fc.record({ model: fc.constantFrom(...modelNames), percent: fc.integer({ min: 1, max: 99 }) }),
            },
            { requiredKeys: ["primary", "fallbacks", "maxTokens"] },
          ),
        ),
        { maxLength: 4, selector: ([k]) => k },
      ),
    )
    .map(([entries, routes]) => ({ models: modelNames.map((n, i) => [n, entries[i]] as const), routes })),
);

export const wellFormedText = wellFormed.map(({ models, routes }) =>
  objectText([
    ["schemaVersion", 1],
    ["environment", "dev"],
    ["region", REGION],
    ["models", objectText(models)],
    ["routes", objectText(routes)],
  ]),
);

