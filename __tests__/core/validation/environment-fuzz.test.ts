import fc from "fast-check";
import { readJsonBytes, readJsonText, formatProblem, isError, jsonPath, UserInputError } from "../../../core/problems";
import { validateEnvironment } from "../../../core/validation";
import { Testing } from "../../../modules/terraform-cdk";
import { AccountStack } from "../../../modules/account-stack";
import { RegionStack } from "../../../modules/region-stack";
import { CATALOG, rawConfig, TODAY } from "../../fixtures";
import { propertyRuns } from "../../property-runs";

// Property tests over what users edit: thousands of mutations of the shipped environments. The invariant is the
// project's promise for bad input: either a valid plan whose stacks synthesize, or a UserInputError with one bounded,
// single-line `file: path: message -> fix` per problem; never any other exception. The seed is fixed so a failure
// reproduces. 300 mutated documents in a plain `npm test`, 1,000 in CI's exhaustive mode (BEDROCK_TEST_EXHAUSTIVE=1);
// BEDROCK_FUZZ_RUNS sets the count (e.g. BEDROCK_FUZZ_RUNS=20000), BEDROCK_FUZZ_SEED changes the seed.

const RUNS = Number(process.env.BEDROCK_FUZZ_RUNS ?? propertyRuns(300, 1000));
const SEED = Number(process.env.BEDROCK_FUZZ_SEED ?? 20261122);
/** Generous: synchronous property runs on a busy 2-core machine (the larger runs scale it). */
const TIMEOUT = Math.max(120_000, RUNS * 60);
/** A problem line longer than this would flood a terminal (the 20 MB values below must not echo). */
const MAX_LINE = 1200;

type Json = unknown;
type Path = ReadonlyArray<string | number>;

/** Names that are members of Object.prototype (or special to it): ordinary keys for the config. */
const BUILTIN_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__", "__lookupSetter__"];
const CONTROL = ["\n", "\r\n", "\u001b[31m", "\u0000", "\u0007", "\u2028", "\u202e", "\t", "\ufeff"];
// Long enough to show any unshortened echo (MAX_LINE); the 20 MB case is a unit test of its own.
const HUGE = "x".repeat(100_000);
const hostileKey = fc.oneof(
  fc.constantFrom(...BUILTIN_KEYS),
  fc.constantFrom("", " ", "a.b", "A", "UPPER", "x".repeat(100), "aws:owner", "environment", "managed-by", "Environment", "team_x", "ci/x", "smoke", "appconfig-rollback"),
  fc.constantFrom(...CONTROL).map((c) => `k${c}k`),
  fc.string({ maxLength: 12 }),
);
const boundaryNumber = fc.constantFrom(0, -1, 1, 1.5, 0.001, 1.005, 14, 15, 31, 32, 59, 60, 90, 100, 101, 288, 289, 1000, 1001, 1440, 1441, 6143, 86400, 86401, 1e9, 1e9 + 1, 2 ** 53, 1e21, 1e308, -0);
const hostileString = fc.oneof(
  fc.constantFrom(...BUILTIN_KEYS),
  // Boundaries, and strings apply would reject or a newcomer writes: regexes that do not compile, profile IDs and ARNs
  // where a model ID belongs, one-letter model typos.
  fc.constantFrom("", "us-east-9", "mars-1", "us-gov-west-1", "eu-west-1", "Dev", "a".repeat(31), "a".repeat(32), "a".repeat(129), "a".repeat(257),
    "(", "[z-a]", "(?<=id=)[0-9]+", "us.amazon.nova-pro-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", "amazon.nova-pr-v1:0"),
  fc.constantFrom(...CONTROL).map((c) => `v${c}v`),
  fc.constantFrom("arn:aws:iam::111111111111:role/team/x", "arn:aws:iam::111111111111:role/team_x", "arn:aws:iam::222222222222:role/x", "arn:aws-us-gov:iam::111111111111:user/y", "a/b@example.com", "a_b@example.com", "A@example.com"),
  fc.constant(HUGE),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
);
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  hostileString,
  boundaryNumber,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }),
);

/** Every path in a JSON document (containers included), root excluded. */
function pathsOf(doc: Json, at: Path = []): Path[] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => [[...at, i], ...pathsOf(v, [...at, i])]);
  if (doc !== null && typeof doc === "object") return Object.keys(doc).flatMap((k) => [[...at, k], ...pathsOf((doc as Record<string, Json>)[k], [...at, k])]);
  return [];
}
function parentOf(doc: Json, path: Path): any {
  let v: any = doc;
  for (const k of path.slice(0, -1)) v = v?.[k];
  return v;
}
const valueAt = (doc: Json, path: Path): unknown => parentOf(doc, path)?.[path[path.length - 1]];
/** Sets an own property (a key like __proto__ becomes an ordinary key, as JSON.parse would make it). */
function define(obj: any, key: string | number, value: Json): void {
  if (Array.isArray(obj) && typeof key === "number") obj[key] = value;
  else if (obj !== null && typeof obj === "object") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One edit: what a careless or hostile user does to a file. */
type Mutation =
  | { kind: "set"; pick: number; value: Json }
  | { kind: "delete"; pick: number }
  | { kind: "duplicate"; pick: number }
  | { kind: "rename"; pick: number; key: string }
  | { kind: "copy-entry"; section: "routes" | "workloads" | "tags"; pick: number; key: string; reference: boolean }
  | { kind: "boundary"; pick: number; value: number }
  | { kind: "decorate"; pick: number; how: "prefix" | "suffix" | "upper" | "replace"; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat(), key: hostileKey }),
  fc.record({ kind: fc.constant("copy-entry" as const), section: fc.constantFrom("routes" as const, "workloads" as const, "tags" as const), pick: fc.nat(), key: hostileKey, reference: fc.boolean() }),
  fc.record({ kind: fc.constant("boundary" as const), pick: fc.nat(), value: boundaryNumber }),
  fc.record({ kind: fc.constant("decorate" as const), pick: fc.nat(), how: fc.constantFrom("prefix" as const, "suffix" as const, "upper" as const, "replace" as const), text: hostileString }),
);

function apply(doc: any, m: Mutation): void {
  const all = pathsOf(doc);
  const from = <T>(list: readonly T[]): T | undefined => (list.length ? list[m.pick % list.length] : undefined);
  switch (m.kind) {
    case "set": {
      const p = from(all);
      if (p) define(parentOf(doc, p), p[p.length - 1], m.value);
      return;
    }
    case "delete": {
      const p = from(all);
      if (!p) return;
      const parent = parentOf(doc, p);
      if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
      else delete parent[p[p.length - 1]];
      return;
    }
    case "duplicate": {
      const p = from(all.filter((q) => Array.isArray(valueAt(doc, q)) && (valueAt(doc, q) as unknown[]).length > 0));
      if (p) {
        const list = valueAt(doc, p) as unknown[];
        list.push(JSON.parse(JSON.stringify(list[m.pick % list.length])));
      }
      return;
    }
    case "rename": {
      const keys = all.filter((p) => typeof p[p.length - 1] === "string");
      const p = from(keys);
      if (!p) return;
      const parent = parentOf(doc, p);
      const value = parent[p[p.length - 1]];
      delete parent[p[p.length - 1]];
      define(parent, m.key, value);
      return;
    }
    case "copy-entry": {
      const section = doc[m.section];
      if (section === null || typeof section !== "object" || Array.isArray(section)) return;
      const names = Object.keys(section);
      if (!names.length) return;
      define(section, m.key, JSON.parse(JSON.stringify(section[names[m.pick % names.length]])));
      if (m.reference && m.section === "routes") for (const w of Object.values<any>(doc.workloads ?? {})) if (Array.isArray(w?.routes)) w.routes.push(m.key);
      return;
    }
    case "boundary": {
      const numbers = all.filter((p) => typeof parentOf(doc, p)?.[p[p.length - 1]] === "number");
      const p = from(numbers.length ? numbers : all);
      if (p) define(parentOf(doc, p), p[p.length - 1], m.value);
      return;
    }
    case "decorate": {
      const strings = all.filter((p) => typeof parentOf(doc, p)?.[p[p.length - 1]] === "string");
      const p = from(strings);
      if (!p) return;
      const parent = parentOf(doc, p);
      const k = p[p.length - 1];
      const v = parent[k] as string;
      define(parent, k, m.how === "prefix" ? m.text + v : m.how === "suffix" ? v + m.text : m.how === "upper" ? v.toUpperCase() : m.text);
      return;
    }
  }
}

const FILE = { dev: "config/dev.json", prod: "config/prod.json" } as const;
const LINE = (file: string) => new RegExp(`^${file.replace(/[./]/g, "\\$&")}(: \\S[^\\n]*)?: [^\\n]+ -> [^\\n]+$`);
const stats = { validateMs: 0, synthMs: 0, runs: 0, valid: 0, synthesized: 0, invalid: 0, problems: 0, maxProblems: 0, maxLine: 0, byKind: {} as Record<string, number> };

/** The invariant for one document: a plan whose stacks synthesize, or bounded single-line problems. */
function check(name: "dev" | "prod", doc: unknown, synthAll: boolean): void {
  stats.runs++;
  let plan;
  const started = performance.now();
  try {
    plan = validateEnvironment(doc, FILE[name], { today: TODAY, expectedName: name, catalog: CATALOG });
    stats.validateMs += performance.now() - started;
  } catch (err) {
    stats.validateMs += performance.now() - started;
    if (!(err instanceof UserInputError)) throw err;
    stats.invalid++;
    expect(err.problems.length).toBeGreaterThan(0);
    stats.problems += err.problems.length;
    stats.maxProblems = Math.max(stats.maxProblems, err.problems.length);
    for (const p of err.problems) {
      expect(isError(p)).toBe(true);
      const line = formatProblem(FILE[name], p);
      stats.maxLine = Math.max(stats.maxLine, line.length);
      if (line.length > MAX_LINE || !LINE(FILE[name]).test(line) || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line)) throw new Error(`bad problem line (${line.length} chars): ${JSON.stringify(line.slice(0, 300))}`);
    }
    return;
  }
  stats.valid++;
  const synthStarted = performance.now();
  const app = Testing.app({ stackTraces: false });
  const regions = synthAll ? plan.config.regions : plan.config.regions.slice(0, 1);
  for (const region of regions) Testing.synth(new RegionStack(app, { plan, region }));
  Testing.synth(new AccountStack(app, { plan }));
  stats.synthesized++;
  stats.synthMs += performance.now() - synthStarted;
}

describe("environment validation and synth under generated mutations", () => {
  afterAll(() => {
    if (process.env.BEDROCK_FUZZ_STATS) process.stdout.write(`fuzz: ${JSON.stringify(stats)}\n`);
  });

  it("mutated documents give a synthesizable plan or one bounded line per problem", () => {
    fc.assert(
      fc.property(fc.constantFrom<"dev" | "prod">("dev", "dev", "prod"), fc.array(mutation, { minLength: 1, maxLength: 4 }), (name, mutations) => {
        const doc = rawConfig(name);
        for (const m of mutations) {
          apply(doc, m);
          stats.byKind[m.kind] = (stats.byKind[m.kind] ?? 0) + 1;
        }
        // Through JSON text, as a file would arrive (own __proto__ keys survive; nothing else changes).
        const text = JSON.stringify(doc);
        const read = readJsonText(text);
        if ("error" in read) throw new Error(`stringify output rejected: ${read.error.message}`);
        check(name, read.value, false);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The generator reaches both outcomes in volume, or the invariant says little.
    expect(stats.valid).toBeGreaterThan(RUNS / 20);
    expect(stats.invalid).toBeGreaterThan(RUNS / 2);
  }, TIMEOUT);

  it("a control character or half a surrogate pair in any string of a valid file is reported at that string", () => {
    // Every string reaches AWS or a Terraform file; only guardrails' free text may break lines (so no \t \n \r here).
    const controls = fc.constantFrom("\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f", "\ud800", "\udfff");
    fc.assert(
      fc.property(fc.constantFrom<"dev" | "prod">("dev", "prod"), fc.nat(), fc.nat(), controls, (name, pick, at, control) => {
        const doc = rawConfig(name);
        const strings = pathsOf(doc).filter((p) => p[0] !== "$schema" && typeof valueAt(doc, p) === "string");
        const path = strings[pick % strings.length];
        const value = valueAt(doc, path) as string;
        const i = at % (value.length + 1);
        define(parentOf(doc, path), path[path.length - 1], value.slice(0, i) + control + value.slice(i));
        let problems: readonly { path: string }[] = [];
        try {
          validateEnvironment(doc, FILE[name], { today: TODAY, expectedName: name, catalog: CATALOG });
        } catch (err) {
          if (!(err instanceof UserInputError)) throw err;
          problems = err.problems;
        }
        const where = jsonPath(path);
        expect(problems.map((p) => p.path)).toContain(where);
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 5)), seed: SEED },
    );
  }, TIMEOUT);

  it("the built-in property names are ordinary route, workload and tag names", () => {
    for (const key of BUILTIN_KEYS)
      for (const section of ["routes", "workloads", "tags"] as const) {
        const doc = rawConfig("dev");
        const entry = section === "routes" ? doc.routes.chat : section === "workloads" ? doc.workloads["ticket-triage"] : "x";
        define(doc[section], key, entry);
        if (section === "routes") doc.workloads["support-bot"].routes.push(key);
        check("dev", JSON.parse(JSON.stringify(doc)), true);
      }
  }, TIMEOUT);

  it("JSON text mutations: a value or one positioned line, never an exception", () => {
    const base = JSON.stringify(rawConfig("dev"), null, 2);
    const insert = fc.constantFrom(",", "//", "/*", "'", "NaN", "Infinity", "\ufeff", "\u0000", "\n", "\\", '"', "{", "}", "[", "]", ":", "0x1", "01", "+1", ".5", "\u00ff");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.oneof(insert, fc.string({ maxLength: 3 })), fc.nat(3)), { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, asLatin1) => {
        let text = base;
        for (const [at, piece, del] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i + del);
        }
        const bytes = asLatin1 ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
        const r = readJsonBytes(bytes);
        if ("error" in r) {
          const lines = text.split("\n").length;
          expect(r.error.line).toBeGreaterThanOrEqual(1);
          expect(r.error.line).toBeLessThanOrEqual(lines);
          expect(`${r.error.message} -> ${r.error.fix}`).not.toMatch(/[\n\r]/);
        } else {
          // The scanner accepted it: JSON.parse must agree on the value.
          expect(r.value).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
        }
      }),
      { numRuns: Math.max(300, Math.floor(RUNS / 3)), seed: SEED },
    );
  }, TIMEOUT);
});
