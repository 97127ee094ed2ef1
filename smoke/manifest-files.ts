import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { StackManifest } from "../core/routing";
import { displayText, jsonPath } from "../core/problems";
import { names } from "../core/aws";
import { routingDocumentSchema } from "../core/runtime";
import { usageError } from "./options";
import { readRegularFile } from "../cli/regular-file";

// The fields of core/routing/manifest.ts StackManifest that smoke reads, checked so a stale or hand-edited file fails with a
// message instead of a TypeError halfway through a run.
const manifestSchema = z.object({
  manifestVersion: z.literal(1),
  environment: z.string().min(1),
  region: z.string().min(1),
  appConfig: z.object({ application: z.string().min(1), environment: z.string().min(1), profile: z.string().min(1), pollIntervalSeconds: z.number().int().positive() }),
  models: z.record(
    z.string(),
    z.object({
      invokeId: z.string().min(1),
      kind: z.enum(["geo", "global", "on-demand"]),
      marketplace: z.boolean(),
      tpmQuotaCode: z.string().optional(),
      quotaName: z.string().min(1),
      outputBurndown: z.number().positive(),
    }),
  ),
  routes: z.record(z.string(), z.object({ invokeIds: z.array(z.string()).min(1), maxTokens: z.number().int().positive(), inputTokensEstimate: z.number().int().nonnegative() })),
  routingDocument: routingDocumentSchema,
  // What the report's configuration section shows (core/environment/security-posture.ts).
  security: z.object({
    organizationGuard: z.enum(["off", "created", "written"]),
    invocationLogging: z.object({ enabled: z.boolean(), destinations: z.array(z.string()), payloads: z.array(z.string()), retentionDays: z.number(), alertOnChange: z.boolean() }),
    privateEndpoints: z.object({ enabled: z.boolean(), services: z.array(z.string()), privateDns: z.boolean() }),
    sourceVpce: z.boolean(),
    kms: z.object({ keys: z.enum(["aws", "created", "existing"]), keyArn: z.string().optional() }),
  }),
});

const SYNTH_FIRST = "run `npm run synth` first";

/**
 * The region manifests synth wrote for `env` (`bedrock-<env>-<region>.json`), sorted by region. Throws CliError (exit 2)
 * when there are none, when a requested region has none, or when a file is not a manifest of this environment.
 */
export function loadManifests(dir: string, env: string, regions: readonly string[] = []): StackManifest[] {
  const shownDir = displayText(dir, 160);
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    throw usageError(`no manifests in ${shownDir}: ${SYNTH_FIRST} (or pass --manifest-dir)`);
  }
  const prefix = `${names.regionStack(env, "")}`;
  const manifests: StackManifest[] = [];
  for (const file of files.filter((f) => f.startsWith(prefix) && f.endsWith(".json")).sort()) {
    const region = file.slice(prefix.length, -".json".length);
    // `bedrock-prod-eu-west-1.json` also starts with `bedrock-prod-eu-`: keep only files of this environment.
    const manifest = readManifest(path.join(dir, file));
    if (manifest.environment !== env || manifest.region !== region) continue;
    manifests.push(manifest);
  }
  if (manifests.length === 0) throw usageError(`no manifests for environment "${env}" in ${shownDir}: ${SYNTH_FIRST} (is config/${env}.json there?)`);
  const missing = regions.filter((r) => !manifests.some((m) => m.region === r));
  if (missing.length)
    throw usageError(`environment "${env}" has no stack in ${missing.join(", ")} (its regions: ${manifests.map((m) => m.region).join(", ")}); ${SYNTH_FIRST} if config/${env}.json changed`);
  return manifests;
}

function readManifest(file: string): StackManifest {
  const shown = displayText(file, 200);
  let raw: unknown;
  try {
    // Only regular files are read: a FIFO or device named like a manifest would block this synchronous read forever.
    raw = JSON.parse(readRegularFile(file).toString("utf8"));
  } catch (e) {
    throw usageError(`${shown} is not readable JSON (${displayText((e as Error).message, 160)}): ${SYNTH_FIRST}`);
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw usageError(`${shown} is not a current stack manifest (${displayText(jsonPath(first.path), 120) || "(document)"}: ${first.message}): ${SYNTH_FIRST}`);
  }
  return raw as StackManifest;
}
