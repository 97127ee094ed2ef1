import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../../cli/bedrock-baseline";
import { modelsCommand } from "../../cli/model-listing";
import { catalogModelRows, filterModelRows, type ModelRow } from "../../core/catalog";
import { CATALOG, HAIKU, NOVA, ROOT, tempDir } from "../fixtures";
import { recordingIo } from "./command-io";

// `bedrock-baseline models`: what the catalog snapshot knows per region, filtered. Expectations come from the shipped
// catalog's own data, not from the command's output.

const snapshot = JSON.parse(readFileSync(join(ROOT, "catalog", "snapshot.json"), "utf8"));
const overlay = JSON.parse(readFileSync(join(ROOT, "catalog", "overlay.json"), "utf8"));
const rows = catalogModelRows(CATALOG);

async function models(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = recordingIo(env);
  const code = await modelsCommand(args, r.io);
  return { code, ...r };
}

describe("catalog rows", () => {
  it("one row per model and synced region, with its profiles, lifecycle, output limit and tiers from the files", () => {
    const expected = Object.values<{ models: object }>(snapshot.regions).reduce((n, r) => n + Object.keys(r.models).length, 0);
    expect(rows).toHaveLength(expected);
    const haiku = rows.find((r) => r.region === "us-east-1" && r.modelId === HAIKU.modelId)!;
    expect(haiku.profiles.map((p) => p.id).sort()).toEqual(Object.keys(snapshot.regions["us-east-1"].profiles).filter((id) => id.endsWith(`.${HAIKU.modelId}`)).sort());
    expect(haiku.maxOutputTokens).toBe(overlay.models[HAIKU.modelId].maxOutputTokens.value);
    expect(haiku.lifecycle.status).toBe(snapshot.regions["us-east-1"].models[HAIKU.modelId].lifecycle.status);
    expect(haiku.readOn).toBe(snapshot.regions["us-east-1"].read.on);
  });

  it.each<[string, Parameters<typeof filterModelRows>[1], (r: ModelRow) => boolean]>([
    ["region", { regions: ["EU-WEST-1"] }, (r) => r.region === "eu-west-1"],
    ["provider, any case", { providers: ["anthropic"] }, (r) => r.provider === "Anthropic"],
    ["lifecycle", { lifecycles: ["active"] }, (r) => r.lifecycle.status === "ACTIVE"],
    ["model text", { modelContains: "NOVA" }, (r) => r.modelId.includes("nova")],
    ["all together", { regions: ["us-east-1"], providers: ["Amazon"], modelContains: "lite" }, (r) => r.region === "us-east-1" && r.provider === "Amazon" && r.modelId.includes("lite")],
  ])("filter by %s keeps exactly the matching rows", (_case, filter, keep) => {
    const kept = filterModelRows(rows, filter);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rows.filter(keep));
  });
});

describe("bedrock-baseline models", () => {
  it("prints a table row per model of the region, and the figures line", async () => {
    const r = await models(["--region", "us-east-1"]);
    expect(r.code).toBe(0);
    const usRows = rows.filter((x) => x.region === "us-east-1");
    expect(r.stdout[0]).toMatch(/^REGION +MODEL +PROVIDER +LIFECYCLE +PROFILES +OUTPUT +TIERS$/);
    expect(r.stdout.slice(1, 1 + usRows.length).map((l) => l.split(/ +/)[1])).toEqual(usRows.map((x) => x.modelId));
    const nova = r.stdout.find((l) => l.includes(` ${NOVA.modelId} `))!;
    expect(nova).toContain(String(overlay.models[NOVA.modelId].maxOutputTokens.value));
    expect(nova).toMatch(/ us(,global)?,on-demand /);
    expect(r.stdout[1 + usRows.length]).toMatch(new RegExp(`^${usRows.length} models in 1 regions; catalog read `));
  });

  it("--json: the filtered rows, every field", async () => {
    const r = await models(["--json", "--provider", "Anthropic", "--region", "eu-west-1"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.join("\n"))).toEqual(JSON.parse(JSON.stringify(rows.filter((x) => x.provider === "Anthropic" && x.region === "eu-west-1"))));
  });

  it("filters that match nothing: exit 0 and says so (no invented rows)", async () => {
    const r = await models(["--model", "no-such-model"]);
    expect([r.code, r.stdout]).toEqual([0, ["no model matches these filters (bedrock-baseline models lists every one)"]]);
  });

  it("unknown values: exit 2, a line each, naming the nearest known value", async () => {
    const r = await models(["--region", "us-east-9", "--provider", "Anthropc", "--lifecycle", "retired"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      expect.stringMatching(/^--region "us-east-9" is not in the catalog; did you mean us-east-1\? \(known: /),
      expect.stringMatching(/^--provider "Anthropc" is not in the catalog; did you mean Anthropic\?/),
      expect.stringMatching(/^--lifecycle "retired" is not in the catalog \(known: ACTIVE/),
    ]);
    expect(r.stdout).toEqual([]);
  });

  it("--catalog-dir reads another catalog (a team's synced snapshot), and an invalid one is one line per problem", async () => {
    const dir = join(tempDir("models-catalog"), "catalog");
    mkdirSync(dir);
    const one = { ...snapshot, regions: { "eu-west-3": snapshot.regions["eu-west-3"] } };
    writeFileSync(join(dir, "snapshot.json"), JSON.stringify(one));
    writeFileSync(join(dir, "overlay.json"), JSON.stringify(overlay));
    const ok = await models(["--catalog-dir", dir, "--json"]);
    expect(new Set(JSON.parse(ok.stdout.join("\n")).map((x: ModelRow) => x.region))).toEqual(new Set(["eu-west-3"]));
    writeFileSync(join(dir, "snapshot.json"), "{ \"snapshotVersion\": 2 }");
    const bad = recordingIo();
    expect(await runBinary(["models", "--catalog-dir", dir], bad.io)).toBe(1);
    expect(bad.stderr.length).toBeGreaterThan(0);
    for (const line of bad.stderr) expect(line).toMatch(/catalog\/snapshot\.json: .* -> /);
    expect(bad.stdout).toEqual([]);
  });
});
