import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetLatestConfigurationCommand, StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { ListServiceQuotasCommand } from "@aws-sdk/client-service-quotas";
import { readEnvironmentFile } from "../../cli/environment-files";
import { buildManifest } from "../../core/routing";
import { type CliIo, runCli } from "../../local/cli";
import { prepareEnvironment } from "../../local/manifests";
import { appConfigData, destroyClients, serviceQuotas } from "./clients";
import { environmentFile, ENVIRONMENTS_DIR, type ProcessResult, runTs, tempDir } from "../fixtures";


// The commands read the dev test environment as a team's run reads config/dev.json, with the real date.
const dev = () => readEnvironmentFile(environmentFile("dev")).plan;

/** A manifest directory holding what synth writes for dev today. */
function currentManifests(): string {
  const dir = join(tempDir("standalone"), "manifests");
  mkdirSync(dir);
  for (const region of dev().config.regions) {
    const m = buildManifest(dev(), region);
    writeFileSync(join(dir, `${m.stack}.json`), JSON.stringify(m, null, 2));
  }
  return dir;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const sink: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { out, err, sink };
}

afterEach(() => destroyClients());

describe("npm run local-endpoint -- --env NAME", () => {
  it("seeds the environment as deployed and prints the exact smoke command, never AWS_ENDPOINT_URL", async () => {
    const manifestDir = currentManifests();
    const { out, err, sink } = io();
    const { code, endpoint } = await runCli(["--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--manifest-dir", manifestDir], sink);
    try {
      expect([code, err]).toEqual([0, []]);
      const text = out.join("\n");
      expect(out[0]).toBe(`local endpoint listening on ${endpoint!.url}`);
      expect(text).toContain(`AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run smoke -- --env dev --endpoint-url ${endpoint!.url} --manifest-dir ${manifestDir}`);
      expect(text).not.toContain("AWS_ENDPOINT_URL");
      expect(text).not.toMatch(/export /);
      expect(text).not.toContain("synthesizing"); // the manifests were current

      const session = await appConfigData(endpoint!.url).send(
        new StartConfigurationSessionCommand({ ApplicationIdentifier: "bedrock-dev", EnvironmentIdentifier: "dev", ConfigurationProfileIdentifier: "routing" }),
      );
      const doc = await appConfigData(endpoint!.url).send(new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }));
      expect(JSON.parse(Buffer.from(doc.Configuration!).toString("utf8"))).toEqual(buildManifest(dev(), "us-east-1").routingDocument);
      const quotas = await serviceQuotas(endpoint!.url).send(new ListServiceQuotasCommand({ ServiceCode: "bedrock" }));
      // Per model its tokens-per-minute and tokens-per-day quota, and the region's cross-model tokens per day.
      const models = Object.values(buildManifest(dev(), "us-east-1").models);
      const listed = (quotas.Quotas ?? []).map((q) => q.QuotaName ?? "");
      expect(listed.filter((n) => n.includes("tokens per minute"))).toHaveLength(models.length);
      expect(listed.filter((n) => n.startsWith("Model invocation max tokens per day for ")).sort()).toEqual(models.map((m) => `Model invocation max tokens per day for ${m.quotaName}`).sort());
      expect(listed.filter((n) => n === "Cross-Model Max Tokens Per Day")).toHaveLength(1);
      expect(listed).toHaveLength(2 * models.length + 1);
    } finally {
      await endpoint?.close();
    }
  });

  it.each<[string[], number, RegExp]>([
    [["--env", "nope", "--config-dir", ENVIRONMENTS_DIR], 1, /^__tests__\/fixtures\/environments\/nope\.json: cannot read the file: it does not exist/],
    [["--manifest-dir", "x"], 2, /--config-dir and --manifest-dir only apply with --env/],
    [["--env", "../dev"], 2, /--env "\.\.\/dev" is not an environment name/],
  ])("%j exits %d with one line and no endpoint", async (argv, exit, message) => {
    const { out, err, sink } = io();
    const { code, endpoint } = await runCli(argv, sink);
    expect([code, endpoint, out]).toEqual([exit, undefined, []]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it("re-synthesizes manifests that are stale (config changed since synth), ignoring other environments' files", async () => {
    const manifestDir = currentManifests();
    const file = join(manifestDir, "bedrock-dev-us-east-1.json");
    const stale = JSON.parse(readFileSync(file, "utf8"));
    stale.routes.chat.maxTokens = 1;
    writeFileSync(file, JSON.stringify(stale));
    writeFileSync(join(manifestDir, "bedrock-devx-us-east-1.json"), JSON.stringify({ environment: "devx" }));
    const lines: string[] = [];
    const prepared = await prepareEnvironment({ env: "dev", configDir: ENVIRONMENTS_DIR, manifestDir, log: (l) => lines.push(l) });
    expect(prepared.synthesized).toBe(true);
    // Synth runs in this process; its own lines follow (the stack lines and where it wrote them).
    expect(lines[0]).toBe(`No current manifests for dev in ${manifestDir}: synthesizing (npm run synth -- --env dev)`);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^bedrock-dev-us-east-1: \d+ resources/), expect.stringMatching(/^Wrote 2 stacks to /)]));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(JSON.stringify(buildManifest(dev(), "us-east-1"))));
    expect((await prepareEnvironment({ env: "dev", configDir: ENVIRONMENTS_DIR, manifestDir })).synthesized).toBe(false);
  }, 120_000);

  it("as processes: the smoke command the banner prints passes against it", async () => {
    const manifestDir = currentManifests();
    let banner = "";
    const endpointRun = runTs(["local/cli.ts", "--env", "dev", "--config-dir", ENVIRONMENTS_DIR, "--manifest-dir", manifestDir], process.env, (text, kill) => {
      if (!banner && text.includes("npm run smoke --")) {
        banner = text;
        const line = text.split("\n").find((l) => l.includes("npm run smoke --"))!.trim();
        const [assignments, smokeArgs] = line.split(" npm run smoke -- ");
        // Quiet the SDK's Node 20 notice so stderr shows only what smoke itself prints.
        const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
        for (const kv of assignments.split(" ")) env[kv.split("=")[0]] = kv.split("=")[1];
        delete env.AWS_ENDPOINT_URL;
        void runTs(["smoke/cli.ts", ...smokeArgs.split(" ")], env).then((smoke) => {
          smokeResult = smoke;
          kill();
        });
      }
    });
    let smokeResult: ProcessResult | undefined;
    const endpointDone = await endpointRun;
    expect(banner).toMatch(/^local endpoint listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(smokeResult?.stderr).toBe("");
    expect(smokeResult?.stdout).toMatch(/smoke: PASS/);
    expect(smokeResult?.code).toBe(0);
    expect(endpointDone.code).toBe(0);
  }, 180_000);
});

describe("npm run smoke:local -- --help", () => {
  it("describes its own flags and says the rest go to smoke", async () => {
    const { code, stdout, stderr } = await runTs(["scripts/smoke-local.ts", "--help"]);
    expect([code, stderr]).toEqual([0, ""]);
    for (const flag of ["--env NAME", "--config-dir DIR", "--scenario FILE", "--manifest-dir DIR", "-h, --help"]) expect(stdout).toContain(flag);
    expect(stdout).toContain("local/scenarios/faults.json");
    expect(stdout).toMatch(/Every other option goes to smoke unchanged/);
  }, 60_000);
});
