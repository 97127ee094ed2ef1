import { MAX_VALIDATOR_BYTES, routingValidator } from "../../routing";
import { type Problem, quoteList } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Each region's AppConfig validator fits AppConfig's 32 KB. Where it fits only because some routes' candidate lists
 * gave way (core/routing/routing-validator.ts), that is a warning naming them: AppConfig then lets those routes name any
 * model of the region, and only the toggle's own check holds them to their candidates.
 */
export const routingValidatorSize: EnvironmentRule = {
  name: "routing-validator-size",
  description: "each region's AppConfig JSON Schema validator fits 32 KB, holding every route to its own models where it can",
  stage: "plan",
  check({ plan }) {
    const problems: Problem[] = [];
    for (const region of plan.config.regions) {
      const v = routingValidator(plan, region);
      if (v.bytes > MAX_VALIDATOR_BYTES)
        problems.push({ path: "routes", message: `the routing JSON Schema for ${region} is ${v.bytes} bytes; AppConfig allows ${MAX_VALIDATOR_BYTES}`, fix: "split the environment or remove routes/models" });
      else if (v.unrestrictedRoutes.length)
        problems.push({
          path: "routes",
          message: `the routing JSON Schema for ${region} fits AppConfig's ${MAX_VALIDATOR_BYTES} bytes only with ${v.unrestrictedRoutes.length} route(s) allowed any model of the region rather than their own (${quoteList(v.unrestrictedRoutes, 5)}): AppConfig would accept a toggle of those routes to a model their workloads' IAM does not grant`,
          fix: "share model line-ups between routes (routes with the same candidates cost one list), or split the environment; npm run toggle still checks every route against its own models",
          severity: "warning",
        });
      if (v.bytes <= MAX_VALIDATOR_BYTES && v.profilesByPattern)
        problems.push({
          path: "workloads",
          message: `the routing JSON Schema for ${region} fits AppConfig's ${MAX_VALIDATOR_BYTES} bytes only with the workloads' application profile ARNs checked for their form, not pinned: AppConfig would accept a document naming another profile (IAM still refuses its calls)`,
          fix: "give fewer workloads their own profiles of the same models, or split the environment (npm run toggle never changes the workloads section)",
          severity: "warning",
        });
    }
    return problems;
  },
};
