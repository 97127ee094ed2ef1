import * as fs from "node:fs";
import * as path from "node:path";
import { securityPosture } from "../../core/environment";
import { main } from "../../smoke/cli";
import type { JsonReport } from "../../smoke/json-report";
import { devEnvironment, runSmoke, useSharedFixture } from "./fixtures";

// An environment with the enterprise controls on (invocation logging, interface endpoints with aws:SourceVpce, a
// customer managed key): smoke's calls are the same calls, so the local endpoint answers them as before, and the report
// says what the stack switches on. Without private DNS, clients name each endpoint's URL: just another endpoint URL.

const NETWORK = { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"], securityGroupIds: ["sg-0a1b2c3d4e5f60719"] };
const environment = devEnvironment((c) => {
  c.network = { "us-east-1": NETWORK };
  c.privateEndpoints = { enabled: true, requireSourceVpce: true, privateDns: false };
  c.invocationLogging = { enabled: true, destinations: ["cloudwatch", "s3"], payloads: { enabled: true, kinds: ["text"], retentionDays: 30 } };
  c.encryption = { keys: "create" };
});
const f = useSharedFixture(environment);

it("passes, and the configuration section says what is on per region (console and JSON)", async () => {
  const r = await runSmoke(f());
  expect(r.code).toBe(0);
  expect(r.stdout[1]).toBe(
    "configuration us-east-1: organization guard SCP off; invocation logging on (payloads: text; CloudWatch Logs + S3; 30 d; change alert); private endpoints on (bedrock-runtime, appconfigdata); aws:SourceVpce required; KMS: customer managed key (created, rotation on)",
  );
  expect(r.json.configuration).toEqual({
    "us-east-1": {
      organizationGuard: "off",
      invocationLogging: { enabled: true, destinations: ["cloudwatch", "s3"], payloads: ["text"], retentionDays: 30, alertOnChange: true },
      privateEndpoints: { enabled: true, services: ["bedrock-runtime", "appconfigdata"], privateDns: false },
      sourceVpce: true,
      kms: { keys: "created" },
    },
  });
  // JUnit carries the same line as the region's suite property.
  expect(r.junit).toContain(`<properties><property name="configuration" value="${r.stdout[1].slice("configuration us-east-1: ".length)}"/></properties>`);
  // The same object the manifest carries, from the same config.
  expect(r.json.configuration["us-east-1"]).toEqual(securityPosture(environment.config, "us-east-1"));
});

it("with private DNS off, the endpoints' URLs given per service (AWS_ENDPOINT_URL_<SERVICE>) carry the client's calls", async () => {
  const url = f().endpoint.url;
  const json = path.join(f().workDir, "per-service.json");
  const vars = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url, AWS_ENDPOINT_URL_APPCONFIGDATA: url, AWS_ENDPOINT_URL: url };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    const stdout: string[] = [];
    const code = await main(["--env", "dev", "--manifest-dir", f().manifestDir, "--json", json], { stdout: (l) => stdout.push(l), stderr: () => undefined });
    expect(code).toBe(0);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as JsonReport;
  const source = (service: string) => report.endpoints.find((e) => e.service === service)?.source;
  expect([source("Bedrock Runtime"), source("AppConfigData"), source("AppConfig")]).toEqual(["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_APPCONFIGDATA", "AWS_ENDPOINT_URL"]);
  const converse = f().endpoint.calls.filter((c) => c.operation === "Converse");
  expect(converse.length).toBeGreaterThan(0);
});
