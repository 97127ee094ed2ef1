import { syncCommand } from "../../catalog";
import type { Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Throttling seen coming (warnings): a model whose tokens-per-minute quota code is unknown where it is invoked gets no
 * quota-usage alarm there, and an applied quota of 0 throttles every call until AWS raises it.
 */
export const modelQuotaCodes: EnvironmentRule = {
  name: "model-quota-codes",
  description: "every invoked model's tokens-per-minute quota code is known and its applied quota is not 0 (warnings)",
  stage: "plan",
  check({ plan }) {
    const c = plan.config;
    const problems: Problem[] = [];
    const regions = [...new Set(c.regions)];
    for (const id of Object.keys(plan.specs)) {
      const i = c.models.findIndex((m) => m.id === id);
      const kind = c.models[i]?.inference;
      const invokedIn = regions.filter((r) => Object.hasOwn(plan.invocations[r] ?? {}, id));
      const noCode = invokedIn.filter((r) => plan.specs[id].quotas[r]?.tpm === undefined);
      if (noCode.length)
        problems.push({
          path: `models[${i}]`,
          message: `no tokens-per-minute quota code is known for ${id} (inference ${kind}) in ${noCode.join(", ")}: no quota-usage alarm there (its threshold would be a guess)`,
          fix: `run ${syncCommand(noCode)} (it reads the codes from Service Quotas), or declare models[${i}].facts.quotaCodes.${kind}`,
          severity: "warning",
        });
      const zero = invokedIn.filter((r) => plan.specs[id].quotas[r]?.tpm?.applied === 0);
      if (zero.length)
        problems.push({
          path: `models[${i}]`,
          message: `the applied tokens-per-minute quota of ${id} in ${zero.join(", ")} is 0 per the catalog snapshot: every call is throttled until AWS raises it`,
          fix: `request an increase of ${plan.specs[id].quotas[zero[0]]!.tpm!.code} in the Service Quotas console (new accounts start at 0 until reviewed), then ${syncCommand(zero)}`,
          severity: "warning",
        });
    }
    return problems;
  },
};
