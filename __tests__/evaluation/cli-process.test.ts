import * as fs from "node:fs";
import * as path from "node:path";
import { type ProcessResult, runTs } from "../fixtures";
import { answers, CONFIG_DIR, HAIKU, NOVA_LITE, useEvalFixture, writeGolden } from "./fixtures";

// The real command (`npm run eval` runs exactly this) as a child process, while the stand-in keeps serving in this
// one. Few runs, one at a time: each starts Node with the command's modules, which takes seconds on a busy machine.

const f = useEvalFixture();
const CHILD_TIMEOUT_MS = 180_000;

function evalProcess(args: readonly string[]): Promise<ProcessResult> {
  return runTs(["evaluation/cli.ts", ...args], { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
}

const CASES = ["a", "b", "c", "d"].map((id) => ({ id, prompt: `Reply with JSON for ${id}.`, checks: [{ type: "json-schema", hard: true, schema: { type: "object", required: ["ok"] } }] }));

describe("npm run eval as a child process", () => {
  test(
    "exit 0 when the gate passes, 1 when a hard check fails, 2 for a bad golden file (no stack trace, nothing written)",
    async () => {
      const golden = writeGolden(f(), CASES);
      const args = (reportDir: string, goldenFile = golden) =>
        ["--env", "shop", "--config-dir", CONFIG_DIR, "--task", "support-answers", "--candidate", NOVA_LITE, "--golden", goldenFile, "--endpoint-url", f().endpoint.url, "--report-dir", reportDir, "--margin", "50", "--repeat", "1"];
      for (const model of [HAIKU, NOVA_LITE]) for (const c of CASES) f().endpoint.scriptAnswer(answers(model, c.id, '{"ok": true}'));
      const passDir = path.join(f().workDir, "pass");
      const pass = await evalProcess(args(passDir));
      expect(pass.stderr).toBe("");
      expect(pass.code).toBe(0);
      expect(pass.stdout.trim().split("\n").at(-1)).toMatch(/^eval: PASS/);
      expect(fs.readdirSync(passDir)).toHaveLength(3);

      f().endpoint.reset();
      for (const c of CASES) f().endpoint.scriptAnswer(answers(HAIKU, c.id, '{"ok": true}'));
      for (const c of CASES) f().endpoint.scriptAnswer(answers(NOVA_LITE, c.id, "not json"));
      const fail = await evalProcess(args(path.join(f().workDir, "fail")));
      expect(fail.code).toBe(1);
      expect(fail.stdout).toContain("gate: hard checks: FAIL: 4 hard check failures of the candidate");

      const bad = writeGolden(f(), [{ id: "x", prompt: "p", checks: [{ type: "contains" }] }]);
      const badDir = path.join(f().workDir, "bad");
      const usage = await evalProcess(args(badDir, bad));
      expect(usage.code).toBe(2);
      expect(usage.stderr.trim()).toMatch(/^.*golden-\d+\.jsonl: line 1: checks\[0\]\.value: is missing -> add "value" with text$/);
      expect(usage.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(badDir)).toBe(false);
    },
    CHILD_TIMEOUT_MS,
  );
});
