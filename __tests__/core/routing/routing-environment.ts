import type { BaselinePlan } from "../../../core/environment";
import { HAIKU, MICRO, NOVA, NOVA_PRO, planOf, SONNET } from "../../fixtures";

// An environment of its own for the routing validator's tests (never config/): every kind of route the validator
// narrows differently (fallbacks, a canary, a tier, a guardrail, a model without a known output limit, two routes of one
// class), in two regions.

/** A model declared with facts and no output limit: its routes' maxTokens are unbounded by the catalog. */
export const FRESH = "example.fresh-model-v1:0";

export function routingRaw(): any {
  return {
    name: "routing",
    account: "111111111111",
    regions: ["us-east-1", "us-west-2"],
    models: [{ id: HAIKU.modelId }, { id: SONNET.modelId }, { id: NOVA.modelId }, { id: MICRO.modelId }, { id: NOVA_PRO.modelId }, { id: FRESH, facts: { geographies: ["us"], outputBurndown: 1 } }],
    routes: {
      chat: { primary: HAIKU.modelId, maxTokens: 1024, canary: { model: SONNET.modelId, percent: 20 } },
      summarization: { primary: HAIKU.modelId, fallbacks: [NOVA.modelId], maxTokens: 2048, temperature: 0.2 },
      digest: { primary: NOVA.modelId, fallbacks: [HAIKU.modelId], maxTokens: 1000 },
      bulk: { primary: NOVA_PRO.modelId, fallbacks: [MICRO.modelId], maxTokens: 4096, serviceTier: "flex" },
      guarded: { primary: SONNET.modelId, maxTokens: 2048, guardrail: "safety" },
      fresh: { primary: FRESH, maxTokens: 200000 },
    },
    guardrails: { safety: { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }] } },
    alarms: { emails: ["platform@example.com"] },
    budget: { monthlyUsd: 100 },
  };
}

export const routingPlan = (): BaselinePlan => planOf(routingRaw());
