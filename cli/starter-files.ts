import { randomUUID } from "node:crypto";
import { type Catalog, profileGeographies, regionModel } from "../core/catalog";
import { geographiesFor } from "../core/aws";
import { workflowYaml } from "./starter-workflow";

// What `bedrock-baseline init` writes: a team's repository holding only its environments and a thin entry point,
// with the product as versioned packages (docs/adopting.md). Contents only; cli/starter-command.ts checks and writes.

/** Exact versions the starter's package.json pins besides the product's packages: the versions this release is tested with. */
export const STARTER_PINS = {
  cdktf: "0.21.0",
  constructs: "10.8.1",
  "@cdktf/provider-aws": "21.22.1",
  "cdktf-cli": "0.21.0",
  typescript: "5.9.3",
  "ts-node": "10.9.2",
  "@types/node": "20.19.43",
} as const;

/**
 * Models a starter routes to, in order of preference: AWS-billed (no Marketplace subscription on first call), small,
 * and each with a system inference profile in every geography the catalog ships.
 */
export const STARTER_MODELS = ["amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0", "amazon.nova-pro-v1:0", "amazon.nova-2-lite-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0"];

/** What the starter is made of. */
export interface StarterSpec {
  /** Environment name (config/<env>.json). */
  readonly env: string;
  readonly account: string;
  readonly regions: readonly string[];
  /** Who gets alarms and budget alerts; none: synth warns. */
  readonly alarmEmails: readonly string[];
  /** Up to two models (primary, fallback) every region can call through its geography's profile. */
  readonly models: readonly string[];
  /** The product's version: the packages the starter depends on. */
  readonly version: string;
  /** package.json `name`. */
  readonly packageName: string;
}

/** STARTER_MODELS every region can invoke through a system profile of its own geography, per the catalog. */
export function starterModels(catalog: Catalog, regions: readonly string[]): string[] {
  return STARTER_MODELS.filter((id) =>
    regions.every((r) => regionModel(catalog, r, id) !== undefined && profileGeographies(catalog, r, id).some((g) => geographiesFor(r).includes(g))),
  ).slice(0, 2);
}

/** The environment file: one route on the chosen models, one workload, a budget; every other key has its default. */
export function starterEnvironment(spec: StarterSpec): Record<string, unknown> {
  const [primary, ...fallbacks] = spec.models;
  return {
    $schema: "../node_modules/@bedrock-access-baseline/cdktf/dist/schemas/environment.schema.json",
    name: spec.env,
    account: spec.account,
    regions: spec.regions,
    models: spec.models.map((id) => ({ id, inference: "geo" })),
    routes: { chat: { primary, fallbacks, maxTokens: 1024, temperature: 0.3 } },
    workloads: { app: { routes: ["chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } } },
    ...(spec.alarmEmails.length ? { alarms: { emails: spec.alarmEmails } } : {}),
    budget: { monthlyUsd: 100 },
  };
}

/** The starter's package.json. */
export function starterPackageJson(spec: StarterSpec): Record<string, unknown> {
  return {
    name: spec.packageName,
    version: "0.1.0",
    private: true,
    description: `Amazon Bedrock access baseline of ${spec.env} (bedrock-baseline ${spec.version})`,
    engines: { node: ">=20.9" },
    scripts: {
      synth: "bedrock-baseline synth",
      check: "bedrock-baseline check",
      "smoke:local": "bedrock-baseline smoke --local --env",
      smoke: "bedrock-baseline smoke --env",
      diff: "bedrock-baseline diff --env",
      deploy: "bedrock-baseline deploy --env",
      models: "bedrock-baseline models",
    },
    dependencies: {
      "@bedrock-access-baseline/cdktf": spec.version,
      "@bedrock-access-baseline/cli": spec.version,
      "@cdktf/provider-aws": STARTER_PINS["@cdktf/provider-aws"],
      cdktf: STARTER_PINS.cdktf,
      constructs: STARTER_PINS.constructs,
    },
    devDependencies: {
      "@types/node": STARTER_PINS["@types/node"],
      "cdktf-cli": STARTER_PINS["cdktf-cli"],
      "ts-node": STARTER_PINS["ts-node"],
      typescript: STARTER_PINS.typescript,
    },
  };
}

const MAIN_TS = `/**
 * The cdktf app \`cdktf synth/diff/deploy\` (and \`bedrock-baseline diff/deploy\`) run: the Bedrock access baseline of
 * every environment in config/, plus whatever stacks of your own you add. \`bedrock-baseline synth\` builds the same
 * baseline stacks without this file. Every problem of every environment file is printed at once, one line each.
 */
import { App } from "cdktf";
import { BedrockBaseline, loadEnvironments, reportConfigurationErrors } from "@bedrock-access-baseline/cdktf";

void reportConfigurationErrors(() => {
  const environments = loadEnvironments("config"); // before the App: an invalid file writes nothing
  const app = new App();
  for (const environment of environments) new BedrockBaseline(app, { environment });
  // Your own stacks go here: new MyStack(app, "my-stack");
  app.synth();
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "CommonJS",
    lib: ["ES2022"],
    types: ["node"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

const GITIGNORE = ["node_modules/", "cdktf.out/", "reports/", ".gen/", ".terraform/", "*.tfstate", "*.tfstate.*", "*.tgz", ""].join("\n");

function readme(spec: StarterSpec): string {
  return `# Amazon Bedrock access baseline

Written by \`bedrock-baseline init\` ${spec.version}. This repository holds only your environments; the baseline itself
comes from versioned packages (\`@bedrock-access-baseline/cdktf\` and \`@bedrock-access-baseline/cli\`).

| File | What it is |
|---|---|
| \`config/${spec.env}.json\` | the environment: account, regions, models, routes, workloads, budget (one file per environment) |
| \`main.ts\`, \`cdktf.json\` | the cdktf app \`diff\` and \`deploy\` run; add your own stacks in \`main.ts\` |
| \`.github/workflows/bedrock-baseline.yml\` | CI: synth, the environment check and an offline smoke test on every change; a smoke test in the account after deploy |

\`\`\`sh
npm install
npx bedrock-baseline synth                      # validate config/*.json, write cdktf.out/
npx bedrock-baseline check                      # what CI runs: validation, synth, smoke plan, IAM matrix
npx bedrock-baseline smoke --local --env ${spec.env}     # the smoke test against the local AWS stand-in, offline
npx bedrock-baseline models --region ${spec.regions[0]}  # what the model catalog offers there
npx bedrock-baseline diff --env ${spec.env}              # with AWS credentials and Terraform: a plan per stack
npx bedrock-baseline deploy --env ${spec.env}
npx bedrock-baseline smoke --env ${spec.env}             # after deploy: every model answers
\`\`\`

Upgrading: change both \`@bedrock-access-baseline/*\` versions in package.json together, read the product's
CHANGELOG.md for what the new version changes in the synthesized infrastructure, run \`npx bedrock-baseline diff\`.
`;
}

/** Every file of the starter, relative path -> content. */
export function starterFiles(spec: StarterSpec): Map<string, string> {
  const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
  const cdktf = { language: "typescript", app: "npx ts-node --transpile-only main.ts", projectId: randomUUID(), sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} };
  return new Map([
    [`config/${spec.env}.json`, json(starterEnvironment(spec))],
    ["cdktf.json", json(cdktf)],
    ["package.json", json(starterPackageJson(spec))],
    ["main.ts", MAIN_TS],
    ["tsconfig.json", json(TSCONFIG)],
    [".gitignore", GITIGNORE],
    [".github/workflows/bedrock-baseline.yml", workflowYaml(spec.version, spec.regions[0])],
    ["README.md", readme(spec)],
  ]);
}
