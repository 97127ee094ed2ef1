import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOG_DIR, loadCatalog } from "../../cli/catalog-files";
import { UserInputErrors } from "../../cli/user-error";
import { formatProblem } from "../../core/problems";
import { profileGeographies, regionModel } from "../../core/catalog";
import { CATALOG, planOf, rawConfig, TODAY } from "../fixtures";

function withCatalogDir(edit: (dir: string) => void): string[] {
  const dir = mkdtempSync(join(tmpdir(), "catalog-"));
  try {
    cpSync(CATALOG_DIR, dir, { recursive: true });
    edit(dir);
    try {
      loadCatalog(dir, dir);
    } catch (e) {
      if (!(e instanceof UserInputErrors)) throw e;
      return e.errors.flatMap((x) => x.problems.map((p) => formatProblem(x.file, p)));
    }
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const editJson = (file: string, edit: (j: any) => void) => {
  const j = JSON.parse(readFileSync(file, "utf8"));
  edit(j);
  writeFileSync(file, JSON.stringify(j));
};

describe("loading the catalog files", () => {
  it("reports the problems of both files at once, each with its file and JSON path", () => {
    const lines = withCatalogDir((dir) => {
      writeFileSync(join(dir, "snapshot.json"), "{\n  \"snapshotVersion\": 1,\n}\n");
      editJson(join(dir, "overlay.json"), (o) => {
        o.models["amazon.nova-lite-v1:0"].maxOutputTokens.value = -1;
        o.models["amazon.nova-micro-v1:0"].price.source = [];
        o.models["amazon.nova-pro-v1:0"].billing.source = ["our-internal-notes"];
      });
    });
    expect(lines).toEqual([
      expect.stringMatching(/^snapshot\.json: invalid JSON at line 2, column 23: trailing comma .+ -> /),
      expect.stringMatching(/^overlay\.json: models\["amazon\.nova-lite-v1:0"\]\.maxOutputTokens\.value: .+ -> /),
      expect.stringMatching(/^overlay\.json: models\["amazon\.nova-micro-v1:0"\]\.price\.source: every fact needs a source -> /),
      expect.stringMatching(/^overlay\.json: models\["amazon\.nova-pro-v1:0"\]\.billing\.source\[0\]: must be an https:\/\/ URL or "third-party: <what>" -> /),
    ]);
  });

  it("a replacement must be a model the catalog knows; a hand-edited snapshot fact is rejected", () => {
    const lines = withCatalogDir((dir) => {
      editJson(join(dir, "overlay.json"), (o) => (o.models["anthropic.claude-3-haiku-20240307-v1:0"].replacement.value = "anthropic.claude-haiku-9"));
      editJson(join(dir, "snapshot.json"), (s) => (s.regions["us-east-1"].models["amazon.nova-lite-v1:0"].source = "my notes"));
    });
    // The replacement check needs both files, so only the snapshot's problem shows until it is fixed.
    expect(lines).toEqual([expect.stringMatching(/^snapshot\.json: regions\.us-east-1\.models\["amazon\.nova-lite-v1:0"\]\.source: .+ -> the file is written by npm run catalog:sync/)]);
    expect(withCatalogDir((dir) => editJson(join(dir, "overlay.json"), (o) => (o.models["anthropic.claude-3-haiku-20240307-v1:0"].replacement.value = "anthropic.claude-haiku-9")))).toEqual([
      'overlay.json: models["anthropic.claude-3-haiku-20240307-v1:0"].replacement.value: anthropic.claude-haiku-9 is not a model of the catalog -> name a foundation-model ID the snapshot or the overlay knows',
    ]);
  });

  it("a key written twice is a problem (JSON.parse would silently keep the last)", () => {
    const lines = withCatalogDir((dir) => {
      const text = readFileSync(join(dir, "overlay.json"), "utf8");
      writeFileSync(join(dir, "overlay.json"), text.replace('"overlayVersion": 1,', '"overlayVersion": 1,\n  "overlayVersion": 1,'));
    });
    expect(lines).toEqual([expect.stringMatching(/^overlay\.json: key "overlayVersion" appears twice/)]);
  });

  it("a missing file is one line, not a stack trace", () => {
    expect(withCatalogDir((dir) => rmSync(join(dir, "snapshot.json")))).toEqual([expect.stringMatching(/^snapshot\.json: cannot read the catalog file: it does not exist -> /)]);
  });
});

describe("the shipped catalog", () => {
  const snapshot = CATALOG.snapshot;
  const overlay = CATALOG.overlay;
  /** The current Claude and Nova models (sources per model in catalog/seed.json). */
  const CURRENT = [
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-sonnet-4-6",
    "anthropic.claude-opus-4-5-20251101-v1:0",
    "anthropic.claude-opus-4-6-v1",
    "anthropic.claude-opus-4-7",
    "anthropic.claude-opus-4-8",
    "anthropic.claude-opus-5",
    "anthropic.claude-opus-5-5",
    "anthropic.claude-sonnet-5",
    "anthropic.claude-sonnet-5-5",
    "anthropic.claude-haiku-5-5",
    "amazon.nova-micro-v1:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
    "amazon.nova-2-lite-v1:0",
  ];

  it("says honestly that it is a local seed, not a read of an AWS account", () => {
    expect(snapshot.origin.live).toBe(false);
    expect(snapshot.origin.description).toMatch(/catalog\/seed\.json/);
    expect(snapshot.origin.description).toMatch(/NOT a read of an AWS account/);
  });

  it.each(["us-east-1", "us-west-2", "eu-central-1", "eu-west-1"])("covers every current Claude and Nova model in %s (the regions of config/)", (region) => {
    expect(CURRENT.filter((id) => !regionModel(CATALOG, region, id))).toEqual([]);
  });

  it("every synced model has a curated output limit and burndown; third-party-only facts are marked unconfirmed", () => {
    const synced = [...new Set(Object.values(snapshot.regions).flatMap((r) => Object.keys(r.models)))];
    expect(synced.filter((id) => !overlay.models[id]?.maxOutputTokens || !overlay.models[id]?.outputBurndown)).toEqual([]);
    // Request constraints are facts one level down (requestConstraints.<name>), held to the same rule.
    type Fact = { source: string[]; unconfirmed?: string };
    const facts = (id: string, m: object): Array<[string, Fact]> =>
      Object.entries(m).flatMap(([name, f]): Array<[string, Fact]> => (name === "requestConstraints" ? facts(`${id}.requestConstraints`, f as object) : typeof f === "object" ? [[`${id}.${name}`, f as Fact]] : []));
    const unmarked = Object.entries(overlay.models).flatMap(([id, m]) => facts(id, m).flatMap(([at, f]) => (f.source.every((s: string) => s.startsWith("third-party:")) && !f.unconfirmed ? [at] : [])));
    expect(unmarked).toEqual([]);
  });

  it("has the late-2026 corrections (profiles, end of life, quota codes; sources in catalog/seed.json)", () => {
    const everywhere = (id: string) => [...new Set(Object.keys(snapshot.regions).flatMap((r) => profileGeographies(CATALOG, r, id)))].sort();
    expect(everywhere("anthropic.claude-sonnet-4-5-20250929-v1:0")).not.toContain("apac");
    expect(everywhere("anthropic.claude-sonnet-4-6")).not.toContain("apac");
    expect(everywhere("anthropic.claude-opus-4-6-v1")).toEqual(expect.arrayContaining(["jp", "apac", "au"]));
    expect(overlay.models["anthropic.claude-3-haiku-20240307-v1:0"].endOfLife?.value).toBe("2026-09-10");
    const q = snapshot.regions["us-east-1"].quotas;
    const codes = (id: string) => [q[id]?.geo?.tpm?.code, q[id]?.global?.tpm?.code];
    expect(codes("anthropic.claude-sonnet-4-6")).toEqual(["L-15B8E632", "L-7BEE40FB"]);
    expect(codes("anthropic.claude-opus-4-5-20251101-v1:0")).toEqual(["L-7007E9C9", "L-3ABF6ACC"]);
    expect(codes("anthropic.claude-opus-4-6-v1")).toEqual(["L-0AD9BBE8", "L-3DCCFAA4"]);
    expect(codes("anthropic.claude-opus-4-7")).toEqual(["L-5DB28B7B", "L-34152C1D"]);
    expect(["micro", "lite", "pro"].map((s) => q[`amazon.nova-${s}-v1:0`]?.["on-demand"]?.tpm?.code)).toEqual(["L-CFA4FA0D", "L-70423BF8", "L-CE33604C"]);
    expect(["opus-4-7", "opus-4-8", "opus-5-5", "haiku-5-5"].map((m) => overlay.models[`anthropic.claude-${m}`].maxOutputTokens?.value)).toEqual([128000, 128000, 128000, 128000]);
  });

  it("the shipped environments validate against it without warnings", () => {
    for (const name of ["dev", "prod"] as const) expect(planOf(rawConfig(name), { today: TODAY }).warnings).toEqual([]);
  });
});
