import { MAX_ALARM_METRICS } from "../../aws";
import { applicationProfiles } from "../../environment";
import { jsonPath, type Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * AWS's limits on what cost attribution creates per region: application profiles count against the account's
 * "Inference profiles per account" quota of the Region (1,000 by default, adjustable:
 * https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock), two profiles never share a name, and a
 * model's alarms add up its workloads' profiles in one metric math expression of at most 10 metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html): two per profile for the daily
 * quota (input and output tokens).
 */
export const applicationProfileLimits: EnvironmentRule = {
  name: "application-profile-limits",
  description: "application profiles fit the Region's inference-profile quota, have distinct names, and each model's alarms can add up its profiles",
  stage: "plan",
  check({ plan }) {
    const problems: Problem[] = [];
    const c = plan.config;
    const quota = c.costAttribution?.profilesPerRegionQuota ?? 0;
    for (const region of new Set(c.regions)) {
      const profiles = applicationProfiles(plan, region);
      if (profiles.length === 0) continue;
      if (profiles.length > quota)
        problems.push({
          path: "workloads",
          message: `${region} would hold ${profiles.length} application inference profiles (one per workload and model it uses); the account's quota is ${quota} per Region (costAttribution.profilesPerRegionQuota), shared with profiles made elsewhere`,
          fix: "request an increase of \"Inference profiles per account\" in Service Quotas and set costAttribution.profilesPerRegionQuota to the applied value, or let fewer workloads share more models",
        });
      const byName = new Map<string, string>();
      for (const p of profiles) {
        const first = byName.get(p.name.toLowerCase());
        if (first !== undefined) problems.push({ path: jsonPath(["workloads", p.workload]), message: `the application profile of ${p.workload} for ${p.modelId} would be named ${p.name}, like that of ${first}`, fix: "rename the workload" });
        else byName.set(p.name.toLowerCase(), `${p.workload} for ${p.modelId}`);
      }
      const perModel = new Map<string, string[]>();
      for (const p of profiles) perModel.set(p.modelId, [...(perModel.get(p.modelId) ?? []), p.workload]);
      for (const [modelId, workloads] of perModel) {
        if (workloads.length > MAX_ALARM_METRICS)
          problems.push({
            path: "workloads",
            message: `${workloads.length} workloads call ${modelId} in ${region}: its alarms add up one metric per workload profile, and a CloudWatch alarm reads at most ${MAX_ALARM_METRICS}`,
            fix: `let at most ${MAX_ALARM_METRICS} workloads use ${modelId} (merge workloads, or split the environment)`,
          });
        else if (2 * workloads.length > MAX_ALARM_METRICS && plan.specs[modelId]?.quotas[region]?.tpd)
          problems.push({
            path: "workloads",
            message: `${workloads.length} workloads call ${modelId} in ${region}: its daily-quota alarm would read two metrics per profile, more than a CloudWatch alarm's ${MAX_ALARM_METRICS}, so it gets none (the region's cross-model daily alarm still watches)`,
            fix: `let at most ${MAX_ALARM_METRICS / 2} workloads use ${modelId} for a per-model daily alarm`,
            severity: "warning",
          });
      }
    }
    return problems;
  },
};
