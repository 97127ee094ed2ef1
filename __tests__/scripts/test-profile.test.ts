import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { profileFileProblem, profileReport, readProfile } from "../../scripts/test-profile";
import { tempDir } from "../fixtures";

// npm run test:profile's summary of the per-file lines scripts/jest-profile-setup.js writes.

const line = (file: string, wallS: number, selfCpuS: number, childCpuS: number) => JSON.stringify({ file: `/repo/__tests__/${file}`, wallS, selfCpuS, childCpuS, pid: 1 });

describe("test:profile", () => {
  it("reads every complete line and skips what a run cut short left", () => {
    const text = [line("a.test.ts", 1, 0.5, 0), "", '{"file":"/repo/__tests__/b.te', line("c.test.ts", 2, 1, 3), '{"file":"x","wallS":null,"selfCpuS":1,"childCpuS":0}'].join("\n");
    expect(readProfile(text).map((p) => p.file)).toEqual(["/repo/__tests__/a.test.ts", "/repo/__tests__/c.test.ts"]);
  });

  it("totals the files and ranks them by worker + child CPU and by wall time, paths relative to the checkout", () => {
    const files = readProfile([line("fast.test.ts", 9, 0.2, 0), line("children.test.ts", 4, 0.5, 6), line("busy.test.ts", 5, 3, 0)].join("\n"));
    const report = profileReport(files, "/repo", 2);
    expect(report[0]).toBe("3 test files: wall 18.0 s summed over files, CPU 3.7 s in the workers + 6.0 s in child processes");
    const names = (from: number) => report.slice(from, from + 2).map((l) => l.trim().split(/\s+/).pop());
    expect(report[1]).toBe("costliest 2 by CPU (worker + children):");
    expect(names(3)).toEqual(["__tests__/children.test.ts", "__tests__/busy.test.ts"]);
    expect(report[5]).toBe("longest 2 by wall time:");
    expect(names(7)).toEqual(["__tests__/fast.test.ts", "__tests__/busy.test.ts"]);
    expect(report).toHaveLength(9);
  });

  it("takes BEDROCK_TEST_PROFILE only as a regular file (new or existing) in an existing directory", () => {
    const dir = tempDir("test-profile");
    writeFileSync(join(dir, "kept.jsonl"), "");
    mkdirSync(join(dir, "folder"));
    expect(profileFileProblem(join(dir, "new.jsonl"))).toBeUndefined();
    expect(profileFileProblem(join(dir, "kept.jsonl"))).toBeUndefined();
    expect(profileFileProblem(join(dir, "folder"))).toMatch(/is not a regular file -> /);
    expect(profileFileProblem(join(dir, "kept.jsonl", "x.jsonl"))).toMatch(/parent is not a directory -> /);
    expect(profileFileProblem(join(dir, "missing", "x.jsonl"))).toMatch(/directory does not exist -> /);
  });
});
