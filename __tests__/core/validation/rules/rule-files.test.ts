import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_RULES } from "../../../../core/validation";

// A new validation rule is one file under core/validation/rules/ and its table here; this keeps it so.
const root = join(__dirname, "..", "..", "..", "..");
const rulesDir = join(root, "core", "validation", "rules");

describe("validation rules, one per file", () => {
  it("names are unique and kebab-case", () => {
    const names = ENVIRONMENT_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(ENVIRONMENT_RULES.map((r) => [r.name, r] as const))("%s lives in rules/<name>.ts and has its table in <name>.test.ts", (name, rule) => {
    expect(readFileSync(join(rulesDir, `${name}.ts`), "utf8")).toContain(`name: "${name}"`);
    expect(existsSync(join(__dirname, `${name}.test.ts`))).toBe(true);
    expect(rule.description.length).toBeGreaterThan(10);
  });

  it("every file under rules/ is a rule of the table", () => {
    const files = readdirSync(rulesDir).filter((f) => f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual(ENVIRONMENT_RULES.map((r) => r.name).sort());
  });
});
