import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HAIKU, NOVA } from "../fixtures";

/**
 * The environment the hardening tests use: their own fixture (never config/*.json, which belongs to the adopting
 * team), one region, two models, a streaming route and a canary-capable route, valid against the shipped catalog.
 */
export function hardeningEnvironment(name = "hx"): Record<string, unknown> {
  return {
    name,
    account: "111111111111",
    regions: ["us-east-1"],
    tags: { team: "hardening" },
    models: [
      { id: HAIKU.modelId, inference: "geo" },
      { id: NOVA.modelId, inference: "geo" },
    ],
    routes: {
      summarization: { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 1024 },
      classification: { primary: NOVA.modelId, fallbacks: [HAIKU.modelId], maxTokens: 64 },
      chat: { primary: HAIKU.modelId, maxTokens: 2048, streaming: true },
    },
    workloads: { bot: { routes: ["chat", "summarization", "classification"], role: { assumedByServices: ["lambda.amazonaws.com"] } } },
    alarms: { emails: ["alerts@example.com"] },
    budget: { monthlyUsd: 100 },
    appConfig: { deploymentStrategy: "AppConfig.Linear50PercentEvery30Seconds" },
  };
}

/** A fresh directory `<tmp>/environments` holding `<name>.json` files (objects are written as JSON, strings as they are). */
export function configDirWith(files: Record<string, unknown>): { root: string; configDir: string } {
  const root = mkdtempSync(join(tmpdir(), "hardening-"));
  const configDir = join(root, "environments");
  mkdirSync(configDir);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(configDir, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return { root, configDir };
}
