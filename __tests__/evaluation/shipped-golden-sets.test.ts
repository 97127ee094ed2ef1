import * as fs from "node:fs";
import * as path from "node:path";
import { checkCounts } from "../../core/evaluation";
import { readGoldenFile } from "../../evaluation/golden-file";
import { ROOT } from "../fixtures";

// The golden sets shipped in evals/ (one per route of the example environments) are valid and worth running: a few
// realistic cases each, with hard checks. Which routes they cover is the adopting team's config, not read here.

const EVALS = path.join(ROOT, "evals");
const files = fs.readdirSync(EVALS).filter((f) => f.endsWith(".jsonl")).sort();

describe("shipped golden sets", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)("%s parses as a golden set with 5-10 cases and hard checks", (file) => {
    const golden = readGoldenFile(path.join(EVALS, file), ROOT);
    expect(golden.displayName).toBe(`evals/${file}`);
    expect(golden.set.cases.length).toBeGreaterThanOrEqual(5);
    expect(golden.set.cases.length).toBeLessThanOrEqual(10);
    expect(checkCounts(golden.set).hard).toBeGreaterThan(0);
    // Judge checks name no model: the judge is the run's (--judge-model, else the baseline), so one set serves every environment.
    for (const c of golden.set.cases) for (const k of c.checks) if (k.type === "judge") expect(k.model).toBeUndefined();
  });
});
