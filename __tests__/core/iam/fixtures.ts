import { devPlan, HAIKU, NOVA_PRO, planOf, prodPlan, variant } from "../../fixtures";
import type { BaselinePlan } from "../../../core/environment";

// The IAM tests' environments: each covers a column of the prefix matrix the dev and prod test environments do not.

export const OPUS = "anthropic.claude-opus-4-5-20251101-v1:0";
export const NOVA_LITE = "amazon.nova-lite-v1:0";
export const OPUS_48 = "anthropic.claude-opus-4-8";
export const ACCEPTANCE_ACCOUNT = "555555555555";

/**
 * An environment covering the whole prefix matrix: Haiku 4.5 by geographic profile from a us/eu/apac/jp/au source
 * region, Opus 4.5 through the global profile, Nova Pro by geo profile. One workload uses only the Haiku route, so the
 * others' models are "a route the workload doesn't use".
 */
export const matrixEnv = () =>
  planOf({
    name: "matrix",
    account: "333333333333",
    regions: ["us-east-2", "eu-west-3", "ap-south-1", "ap-northeast-1", "ap-southeast-2"],
    models: [{ id: HAIKU.modelId }, { id: OPUS, inference: "global" }, { id: NOVA_PRO.modelId }],
    routes: {
      fast: { primary: HAIKU.modelId, maxTokens: 512 },
      deep: { primary: OPUS, fallbacks: [HAIKU.modelId], maxTokens: 4096 },
      bulk: { primary: NOVA_PRO.modelId, maxTokens: 1024 },
    },
    workloads: {
      narrow: { routes: ["fast"], principals: ["arn:aws:iam::333333333333:role/narrow"] },
      wide: { routes: ["fast", "deep", "bulk"], role: { assumedByServices: ["ecs-tasks.amazonaws.com"] } },
    },
    alarms: { emails: ["ops@example.com"] },
    budget: { monthlyUsd: 100 },
    smoke: { principals: ["arn:aws:iam::333333333333:role/ci"] },
  });

/** Nova Lite invoked on demand by its bare ID in us-east-1 (the on-demand column of the matrix). */
export const onDemandEnv = () =>
  planOf({
    name: "ondemand",
    account: "444444444444",
    regions: ["us-east-1"],
    models: [{ id: NOVA_LITE, inference: "on-demand" }, { id: HAIKU.modelId }],
    routes: { cheap: { primary: NOVA_LITE, maxTokens: 256 }, chat: { primary: HAIKU.modelId, maxTokens: 1024 } },
    workloads: { batch: { routes: ["cheap"], principals: ["arn:aws:iam::444444444444:role/batch"] } },
    budget: { monthlyUsd: 50 },
  });

/**
 * An acceptance environment for a model known only from the catalog: reasoning, coding and analysis on Claude Opus 4.8
 * through its geographic profile with Haiku 4.5 as fallback; summarization and classification on Haiku 4.5. Opus 4.8
 * is known only from the catalog data (snapshot + overlay), not from code.
 */
export const acceptanceEnv = () =>
  planOf({
    name: "platform",
    account: ACCEPTANCE_ACCOUNT,
    regions: ["us-east-1"],
    models: [{ id: OPUS_48, inference: "geo" }, { id: HAIKU.modelId }],
    routes: {
      reasoning: { primary: OPUS_48, fallbacks: [HAIKU.modelId], maxTokens: 16000 },
      coding: { primary: OPUS_48, fallbacks: [HAIKU.modelId], maxTokens: 8192 },
      analysis: { primary: OPUS_48, fallbacks: [HAIKU.modelId], maxTokens: 8192 },
      summarization: { primary: HAIKU.modelId, maxTokens: 1024 },
      classification: { primary: HAIKU.modelId, maxTokens: 64 },
    },
    workloads: { assistant: { routes: ["reasoning", "coding", "analysis", "summarization", "classification"], role: { assumedByServices: ["ecs-tasks.amazonaws.com"] } } },
    alarms: { emails: ["ops@example.com"] },
    budget: { monthlyUsd: 1000 },
  });

/** Ten models with tier conditions in one region: its smoke policy is larger than one managed policy allows (packed in parts). */
export const MANY_MODELS = ["anthropic.claude-sonnet-5", "anthropic.claude-opus-4-8", "anthropic.claude-opus-4-7", "amazon.nova-lite-v1:0", "amazon.nova-2-lite-v1:0"];
export const manyEnv = () =>
  variant("prod", (c) => {
    c.regions = ["us-east-1"];
    c.models.push(...MANY_MODELS.map((id) => ({ id })));
    c.routes.wide = { primary: MANY_MODELS[0], fallbacks: [MANY_MODELS[1], MANY_MODELS[2]], maxTokens: 1024 };
    c.routes.light = { primary: MANY_MODELS[3], fallbacks: [MANY_MODELS[4]], maxTokens: 256 };
    c.workloads["wide-reader"] = { routes: ["wide", "light", "summarization"], role: { assumedByServices: ["lambda.amazonaws.com"] } };
  });

export const ENVS: Array<[string, () => BaselinePlan]> = [
  ["many", manyEnv],
  ["dev", devPlan],
  ["prod", prodPlan],
  ["matrix", matrixEnv],
  ["ondemand", onDemandEnv],
  ["acceptance", acceptanceEnv],
];

