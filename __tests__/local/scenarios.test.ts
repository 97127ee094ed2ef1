import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { ListServiceQuotasCommand } from "@aws-sdk/client-service-quotas";
import { buildManifest } from "../../core/routing";
import { startLocalEndpoint } from "../../local/endpoint";
import { loadScenarioFile } from "../../local/scenario";
import { bedrock, bedrockControl, caught, destroyClients, serviceQuotas, userMessage } from "./clients";
import { devPlan, prodPlan } from "../fixtures";

const ROOT = resolve(__dirname, "../..");
const DIR = join(ROOT, "local", "scenarios");
const shipped = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
/** The test copies of the shipped example environments the scenarios are written for. */
const environment = (name: "dev" | "prod") => (name === "dev" ? devPlan() : prodPlan());

afterEach(() => destroyClients());

describe("shipped example scenarios (local/scenarios)", () => {
  it("are the four the READMEs offer, and every scenario path the READMEs name exists", () => {
    expect(shipped).toEqual(["catalog.json", "faults.json", "quota.json", "throttled.json"]);
    for (const readme of ["README.md", "local/README.md"]) {
      const named = [...readFileSync(join(ROOT, readme), "utf8").matchAll(/local\/scenarios\/[\w.-]+\.json/g)].map((m) => m[0]);
      expect(named.length).toBeGreaterThan(0);
      for (const path of named) expect(shipped).toContain(path.slice("local/scenarios/".length));
    }
  });

  it.each(shipped)("%s loads and says what it is for", (file) => {
    expect(loadScenarioFile(join(DIR, file)).description).toEqual(expect.stringMatching(/\S{20,}/));
  });

  it("faults.json scripts models and regions the dev example has, so smoke:local shows them", async () => {
    const dev = environment("dev");
    const invokeIds = new Set(dev.config.regions.flatMap((r) => Object.values(buildManifest(dev, r).models).map((m) => m.invokeId)));
    const scenario = loadScenarioFile(join(DIR, "faults.json"));
    for (const rule of scenario.faults ?? []) {
      expect(invokeIds).toContain(rule.modelId);
      if (rule.region) expect(dev.config.regions).toContain(rule.region);
    }
    const ep = await startLocalEndpoint({ scenario: join(DIR, "faults.json"), latencyMs: 0 });
    try {
      const [haiku] = [...invokeIds].filter((id) => id.includes("haiku"));
      const err = await caught(() => bedrock(ep.url).send(new ConverseCommand({ modelId: haiku, messages: userMessage("x"), inferenceConfig: { maxTokens: 1 } })));
      expect(err.name).toBe("ThrottlingException");
    } finally {
      await ep.close();
    }
  });

  it("throttled.json throttles every model in every region", async () => {
    const ep = await startLocalEndpoint({ scenario: join(DIR, "throttled.json") });
    try {
      for (const [region, model] of [["us-east-1", "us.amazon.nova-lite-v1:0"], ["eu-west-1", "global.anthropic.claude-haiku-4-5-20251001-v1:0"]]) {
        const err = await caught(() => bedrock(ep.url, region).send(new ConverseCommand({ modelId: model, messages: userMessage("x") })));
        expect(err.name).toBe("ThrottlingException");
      }
    } finally {
      await ep.close();
    }
  });

  it("quota.json puts the dev example's models under quota: a reservation beyond the quota is throttled", async () => {
    const dev = environment("dev");
    const invokeIds = new Set(dev.config.regions.flatMap((r) => Object.values(buildManifest(dev, r).models).map((m) => m.invokeId)));
    const scenario = loadScenarioFile(join(DIR, "quota.json"));
    for (const m of scenario.quotaMode?.models ?? []) {
      expect(invokeIds).toContain(m.modelId);
      expect(dev.config.regions).toContain(m.region);
    }
    const ep = await startLocalEndpoint({ scenario: join(DIR, "quota.json") });
    try {
      const haiku = [...invokeIds].find((id) => id.includes("haiku"))!;
      // maxTokens unset reserves the model maximum (64,000), more than Haiku's whole quota; a route's maxTokens fits.
      const err = await caught(() => bedrock(ep.url).send(new ConverseCommand({ modelId: haiku, messages: userMessage("x") })));
      expect(err.name).toBe("ThrottlingException");
      const served = await bedrock(ep.url).send(new ConverseCommand({ modelId: haiku, messages: userMessage("x"), inferenceConfig: { maxTokens: 1024 } }));
      expect(served.usage?.outputTokens).toBe(256);
    } finally {
      await ep.close();
    }
  });

  it("catalog.json covers every model and region of the dev and prod examples, consistently", async () => {
    const ep = await startLocalEndpoint({ scenario: join(DIR, "catalog.json") });
    try {
      for (const env of [environment("dev"), environment("prod")]) {
        for (const region of env.config.regions) {
          const client = bedrockControl(ep.url, region);
          const models = new Set((await client.send(new ListFoundationModelsCommand({}))).modelSummaries?.map((m) => m.modelArn));
          const profiles = (await client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED" }))).inferenceProfileSummaries ?? [];
          const quotas = new Set((await serviceQuotas(ep.url, region).send(new ListServiceQuotasCommand({ ServiceCode: "bedrock" }))).Quotas?.map((q) => q.QuotaCode));
          for (const m of Object.values(buildManifest(env, region).models)) {
            // Every invoke ID the stack grants is a profile here, routing to a model the region lists...
            const profile = profiles.find((p) => p.inferenceProfileId === m.invokeId);
            expect(profile).toBeDefined();
            const local = profile!.models!.find((x) => x.modelArn?.includes(`:${region}::`) || x.modelArn?.startsWith("arn:aws:bedrock:::"));
            expect(local).toBeDefined();
            expect(models).toContain(`arn:aws:bedrock:${region}::foundation-model/${m.invokeId.replace(/^[a-z-]+\./, "")}`);
            // ...and the quota code the catalog knows for it is listed.
            if (m.tpmQuotaCode) expect(quotas).toContain(m.tpmQuotaCode);
          }
        }
      }
    } finally {
      await ep.close();
    }
  });
});
