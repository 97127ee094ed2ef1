import { own } from "../../catalog";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";
import { resolvedCandidates } from "../route-candidates";

/**
 * A route's service tier is one every candidate accepts: an error where the catalog (or declared facts) says a model
 * does not (Bedrock answers every such request with a ValidationException), a warning where no source says.
 */
export const routeServiceTier: EnvironmentRule = {
  name: "route-service-tier",
  description: "a route's service tier is supported by each of its models",
  stage: "models",
  check(input) {
    const problems: Problem[] = [];
    for (const [task, route] of Object.entries(input.draft.routes)) {
      const tier = route.serviceTier;
      if (tier === undefined) continue;
      const path = `routes.${task}.serviceTier`;
      const unknown: string[] = [];
      for (const id of resolvedCandidates(input, task, route)) {
        const tiers = own(input.models.specs, id)?.serviceTiers;
        if (tiers === undefined) unknown.push(id);
        else if (!tiers.includes(tier))
          problems.push({
            path,
            message: `${id} does not support the ${tier} tier (catalog/overlay.json serviceTiers: ${tiers.join(", ")}); Bedrock would refuse every ${tier} request to it`,
            fix: `remove serviceTier, set one every candidate supports, or route "${task}" to models that offer ${tier} (e.g. Amazon Nova)`,
          });
      }
      if (unknown.length)
        problems.push({ path, message: `no service tiers are known for ${unknown.join(", ")}, so the ${tier} tier is not checked`, fix: `add serviceTiers with a source to catalog/overlay.json (or declare models[].facts.serviceTiers)`, severity: "warning" });
    }
    return problems;
  },
};
