/**
 * Smoke's own listings (ListApplications, ListEnvironments, ListDeployments, ListServiceQuotas) stop on a page token
 * that comes back, as every command's do (cli/paged-listing.ts): against a control plane that cycles its tokens the
 * checks fail at once with one row each, instead of requesting pages until the run deadline.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildManifest } from "../../core/routing";
import type { JsonReport } from "../../smoke/json-report";
import { main as smoke } from "../../smoke/cli";
import { CATALOG, planOf, TODAY } from "../fixtures";
import { hardeningEnvironment } from "./environment";
import { startHostileServer } from "./hostile-server";

it("a control plane that cycles page tokens: the deployment check fails and the quota checks warn at once, naming the token", async () => {
  const plan = planOf(hardeningEnvironment("hx"), { catalog: CATALOG, today: TODAY });
  const work = mkdtempSync(join(tmpdir(), "smoke-hostile-"));
  const manifestDir = join(work, "manifests");
  mkdirSync(manifestDir);
  const m = buildManifest(plan, "us-east-1");
  writeFileSync(join(manifestDir, `${m.stack}.json`), JSON.stringify(m));
  const server = await startHostileServer((req) => {
    if (req.path === "/applications") return { kind: "json", body: { Items: [], NextToken: req.query.get("next_token") === "A" ? "B" : "A" } };
    if (req.target.endsWith(".ListServiceQuotas")) return { kind: "json", body: { Quotas: [], NextToken: "same" } };
    if (req.target.endsWith(".GetServiceQuota")) return { kind: "json", status: 400, errorType: "NoSuchResourceException", body: { message: "no" } };
    return { kind: "json", status: 404, errorType: "ResourceNotFoundException", body: { message: "not here" } };
  });
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  try {
    const json = join(work, "report.json");
    const started = Date.now();
    const code = await smoke(["--env", "hx", "--endpoint-url", server.url, "--manifest-dir", manifestDir, "--json", json, "--timeout-ms", "3000", "--deadline-ms", "60000"], { stdout: () => undefined, stderr: () => undefined });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000); // far from the 60 s deadline: nothing looped until it
    const report = JSON.parse(readFileSync(json, "utf8")) as JsonReport;
    const deployment = report.checks.find((c) => c.kind === "deployment")!;
    expect(deployment).toMatchObject({ verdict: "FAIL", errorName: "EndlessListing" });
    expect(deployment.hint).toMatch(/appconfig:ListApplications failed \(EndlessListing: returned the page token "A" a second time \(page 3\)/);
    const quotas = report.checks.filter((c) => c.kind === "quota");
    expect(quotas.length).toBeGreaterThan(0);
    for (const q of quotas) expect({ verdict: q.verdict, outcome: q.outcome, errorName: q.errorName }).toEqual({ verdict: "WARN", outcome: "quota-unreadable", errorName: "EndlessListing" });
    expect(server.requests.filter((r) => r.path === "/applications").length).toBe(3);
    expect(server.requests.filter((r) => r.target.endsWith(".ListServiceQuotas")).length).toBeLessThanOrEqual(2);
  } finally {
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret]] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}, 90_000);
