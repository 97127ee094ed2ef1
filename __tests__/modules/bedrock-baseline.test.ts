import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "../../modules/terraform-cdk";
import { RegionStack } from "../../modules/region-stack";
import {
  BaselineConfigurationError,
  BedrockBaseline,
  loadEnvironments,
  readEnvironment,
  reportConfigurationErrors,
  validateEnvironmentDocument,
  ValidatedEnvironment,
} from "../../modules/index";
import { buildManifest } from "../../core/routing";
import { names } from "../../core/aws";
import { ENVIRONMENTS_DIR, environmentFile, planOf, rawConfig, tempDir, TODAY } from "../fixtures";
import { synthStack } from "./fixtures";

// The construct library's entry (@bedrock-access-baseline/cdktf), as a team's own cdktf app uses it.

const DEV = rawConfig("dev");
const PROD = rawConfig("prod");
const stackNames = (raw: { name: string; regions: string[] }) => [...raw.regions.map((r) => names.regionStack(raw.name, r)), names.accountStack(raw.name)];

describe("new BedrockBaseline(app, { environment })", () => {
  it.each<[string, () => unknown]>([
    ["a file path, read as synth reads it", () => environmentFile("prod")],
    ["the parsed file as an object", () => rawConfig("prod")],
    ["a ValidatedEnvironment", () => readEnvironment(environmentFile("prod"), { today: TODAY })],
  ])("from %s: a region stack per region and the account stack, named as synth names them", (_case, environment) => {
    const app = Testing.app();
    const b = new BedrockBaseline(app, { environment: environment() as string, today: TODAY });
    expect(b.node.id).toBe("bedrock-prod");
    expect([...b.regionStacks, b.accountStack].map((s) => s.node.id)).toEqual(stackNames(PROD));
    expect(b.regionStacks.map((s) => s.region)).toEqual(PROD.regions);
    expect(b.environment.name).toBe("prod");
  });

  it("renders the same Terraform as the stacks built directly from the plan", () => {
    const app = Testing.app();
    const b = new BedrockBaseline(app, { environment: rawConfig("dev"), today: TODAY });
    const direct = Testing.app();
    const plain = new RegionStack(direct, { plan: planOf(rawConfig("dev")), region: DEV.regions[0] });
    expect(synthStack(b.regionStacks[0]).json.resource).toEqual(synthStack(plain).json.resource);
  });

  it("an invalid environment: a typed error with every problem as synth prints it, and the app untouched", () => {
    const app = Testing.app();
    const broken = rawConfig("dev");
    broken.routes.chat.maxTokens = 200000;
    broken.routes.chat.temprature = 0.2;
    broken.workloads["support-bot"].routes = ["no-such-route"];
    let error: unknown;
    try {
      new BedrockBaseline(app, { environment: broken, today: TODAY });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BaselineConfigurationError);
    const e = error as BaselineConfigurationError;
    expect(e.lines).toEqual(e.problems.map((p) => `environment: ${p.path}: ${p.message} -> ${p.fix}`));
    expect(e.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["routes.chat.maxTokens", "routes.chat", "workloads.support-bot.routes[0]"]));
    expect(e.message).toBe(e.lines.join("\n"));
    expect(app.node.children).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ["a missing file", "/nonexistent/dev.json", /^\/nonexistent\/dev\.json: cannot read the file/],
    ["an array", [], /^environment: is an array -> pass a file path/],
    ["a number", 42, /^environment: is number -> pass a file path/],
  ])("%s: a BaselineConfigurationError, nothing added", (_case, environment, line) => {
    const app = Testing.app();
    expect(() => new BedrockBaseline(app, { environment: environment as string })).toThrow(BaselineConfigurationError);
    try {
      new BedrockBaseline(app, { environment: environment as string });
    } catch (e) {
      expect((e as BaselineConfigurationError).lines).toEqual([expect.stringMatching(line)]);
    }
    expect(app.node.children).toEqual([]);
  });

  it("a file whose name differs from its `name`, or with a repeated key, is refused as synth refuses it", () => {
    const dir = tempDir("baseline-files");
    writeFileSync(join(dir, "staging.json"), JSON.stringify(rawConfig("dev")));
    writeFileSync(join(dir, "dev.json"), readFileSync(environmentFile("dev"), "utf8").replace('"name": "dev",', '"name": "dev", "name": "dev",'));
    expect(() => readEnvironment(join(dir, "staging.json"))).toThrow(/staging\.json: name: .*"dev"/);
    expect(() => readEnvironment(join(dir, "dev.json"))).toThrow(/key "name" appears twice/);
  });

  it("id overrides the construct ID; two environments live side by side in one app", () => {
    const app = Testing.app();
    new BedrockBaseline(app, { environment: rawConfig("dev"), id: "team-dev", today: TODAY });
    new BedrockBaseline(app, { environment: rawConfig("prod"), today: TODAY });
    expect(app.node.children.map((c) => c.node.id)).toEqual(["team-dev", "bedrock-prod"]);
  });

  it("app.synth() writes each region stack's smoke manifest beside the Terraform JSON", () => {
    const outdir = join(tempDir("baseline-synth"), "out");
    mkdirSync(outdir);
    const app = new App({ outdir, stackTraces: false });
    const b = new BedrockBaseline(app, { environment: environmentFile("prod"), today: TODAY });
    app.synth();
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(stackNames(PROD).sort());
    expect(readdirSync(join(outdir, "manifests")).sort()).toEqual(PROD.regions.map((r: string) => `${names.regionStack("prod", r)}.json`).sort());
    const manifest = JSON.parse(readFileSync(join(outdir, "manifests", `${names.regionStack("prod", PROD.regions[0])}.json`), "utf8"));
    expect(manifest).toEqual(JSON.parse(JSON.stringify(buildManifest(b.environment.plan, PROD.regions[0]))));
  });

  it("warnings become cdktf annotations of the account stack, worded as synth prints them", () => {
    const quiet = rawConfig("dev");
    delete quiet.alarms.emails;
    delete quiet.budget.emails;
    const app = Testing.app();
    const b = new BedrockBaseline(app, { environment: quiet, today: TODAY });
    expect(b.environment.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^warning: environment: alarms\.emails: no one is notified/)]));
    const annotations = b.accountStack.node.metadata.filter((m) => m.type === "@cdktf/warn" || /warn/i.test(m.type)).map((m) => m.data);
    expect(annotations).toEqual(b.environment.warnings);
  });
});

describe("reading environments", () => {
  it("loadEnvironments reads every file of a directory; one error lists every problem of every file", () => {
    expect(loadEnvironments(ENVIRONMENTS_DIR, { today: TODAY }).map((e) => e.name)).toEqual(["dev", "prod"]);
    const dir = tempDir("baseline-dir");
    const a = rawConfig("dev");
    a.routes.chat.maxTokens = 200000;
    writeFileSync(join(dir, "dev.json"), JSON.stringify(a));
    writeFileSync(join(dir, "prod.json"), "{ \"name\": \"prod\", }");
    try {
      loadEnvironments(dir, { today: TODAY });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(BaselineConfigurationError);
      const files = new Set((e as BaselineConfigurationError).problems.map((p) => p.file.split("/").pop()));
      expect(files).toEqual(new Set(["dev.json", "prod.json"]));
    }
  });

  it("validateEnvironmentDocument names the object by its source label", () => {
    const bad = rawConfig("dev");
    bad.regions = ["mars-east-1"];
    expect(() => validateEnvironmentDocument(bad, { source: "inline dev" })).toThrow(/^inline dev: regions\[0\]: /);
    expect(validateEnvironmentDocument(rawConfig("dev"), { today: TODAY })).toBeInstanceOf(ValidatedEnvironment);
  });

  it("catalogDir: another catalog, checked like synth checks it", () => {
    const dir = tempDir("baseline-catalog");
    writeFileSync(join(dir, "snapshot.json"), "{}");
    writeFileSync(join(dir, "overlay.json"), "{}");
    expect(() => readEnvironment(environmentFile("dev"), { catalogDir: dir })).toThrow(BaselineConfigurationError);
  });
});

describe("reportConfigurationErrors (the starter main.ts's wrapper)", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("prints the lines of a BaselineConfigurationError and sets exit code 1; anything else is rethrown", async () => {
    const lines: string[] = [];
    await reportConfigurationErrors(() => {
      new BedrockBaseline(Testing.app(), { environment: { ...rawConfig("dev"), account: "12" } });
    }, (l) => lines.push(l));
    expect(process.exitCode).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^environment: account: "12" must be a 12-digit AWS account ID/)]);
    await expect(reportConfigurationErrors(() => { throw new TypeError("a bug"); }, () => undefined)).rejects.toThrow("a bug");
  });
});
