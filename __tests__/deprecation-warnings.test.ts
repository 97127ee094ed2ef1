import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS_DIR, ROOT, TS_HOOK } from "./fixtures";

// Node deprecations turn into runtime warnings on newer majors (cdktf's util.isArray printed DEP0044 on every synth
// from Node 22 on). With --throw-deprecation any deprecated API the synth path reaches is fatal, on whichever Node runs
// the suite: .ci/run runs it on 20, 22 and 24.

jest.setTimeout(120_000);

it("synth of the test environments (copies of the shipped examples) reaches no deprecated Node API", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "bedrock-deprecations-"));
  try {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ["--throw-deprecation", "-r", TS_HOOK, join(ROOT, "main.ts"), "--config-dir", ENVIRONMENTS_DIR],
        { cwd: ROOT, timeout: 110_000, env: { ...process.env, NODE_OPTIONS: "", CDKTF_OUTDIR: outdir, BEDROCK_ENV: "" } },
        (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    expect(result.stderr).not.toMatch(/DeprecationWarning|DEP\d{4}/);
    expect(result.code).toBe(0);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
