import { DEFAULT_WORKLOAD_TAG_KEY } from "../../environment";
import { MAX_TAGS, tagKeyBreach } from "../../aws";
import { jsonPath, type Problem, quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** Tag keys the baseline sets itself (provider default tags, modules/provider-and-backend.ts). */
const BASELINE_TAG_KEYS = ["environment", "managed-by"];

/**
 * The cost attribution settings make sense together: the workload tag key is a valid tag key that no other tag of the
 * resources uses, a workload budget counts spend only with cost attribution on (nothing else carries the tag), and the
 * budget alerts email at most 10 addresses.
 */
export const costAttributionSettings: EnvironmentRule = {
  name: "cost-attribution-settings",
  description: "the workload tag key is a free, valid tag key; workload budgets and spend thresholds come with costAttribution.enabled; budget alerts email at most 10",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const add = (path: string, message: string, fix: string, severity?: "warning") => problems.push({ path, message, fix, ...(severity ? { severity } : {}) });
    const ca = d.costAttribution;
    const tagKey = ca.tagKey ?? DEFAULT_WORKLOAD_TAG_KEY;
    const breach = tagKeyBreach(tagKey);
    if (breach) add("costAttribution.tagKey", `${breach} (key ${quote(tagKey)})`, `use a key such as "${DEFAULT_WORKLOAD_TAG_KEY}"`);
    if (BASELINE_TAG_KEYS.includes(tagKey.toLowerCase())) add("costAttribution.tagKey", `the baseline sets the ${tagKey.toLowerCase()} tag itself`, `use another key, e.g. "${DEFAULT_WORKLOAD_TAG_KEY}"`);
    const clash = d.tags.find(([k]) => k.toLowerCase() === tagKey.toLowerCase());
    if (clash) add(jsonPath(["tags", clash[0]]), `the tag ${quote(clash[0])} is the workload tag (costAttribution.tagKey): each profile and role carries its workload's name there`, "remove the tag, or set another costAttribution.tagKey");
    else if (ca.enabled && d.tags.length + BASELINE_TAG_KEYS.length + 1 > MAX_TAGS)
      add("tags", `${d.tags.length} tags plus the baseline's ${BASELINE_TAG_KEYS.length} and the workload tag exceed AWS's ${MAX_TAGS} per resource`, `keep at most ${MAX_TAGS - BASELINE_TAG_KEYS.length - 1} tags`);
    const fallbackEmails = d.budget.emails ?? d.alarms.emails ?? [];
    for (const w of d.workloads) {
      const at = ["workloads", w.name];
      if (w.fields.budget && !ca.enabled)
        add(jsonPath([...at, "budget"]), `a workload budget counts spend carrying the tag ${quote(tagKey)}, which nothing carries without cost attribution`, 'set costAttribution.enabled to true (or remove the budget)');
      if (w.fields.spendUsdPerHour !== undefined && !ca.enabled)
        add(jsonPath([...at, "spendUsdPerHour"]), "has no effect: spend-rate alarms come with cost attribution", "set costAttribution.enabled to true (or remove it)", "warning");
      if (w.fields.budget && w.fields.budget.emails === undefined && fallbackEmails.length > 10)
        add(jsonPath([...at, "budget"]), `its alerts would email ${fallbackEmails.length} addresses (the environment's budget emails); AWS Budgets allows 10 per notification`, `set ${jsonPath([...at, "budget", "emails"])} to at most 10 addresses`);
    }
    if (ca.export && !ca.enabled) add("costAttribution.export", "has no effect: the CUR 2.0 export comes with cost attribution", "set costAttribution.enabled to true (or remove export)", "warning");
    return problems;
  },
};
