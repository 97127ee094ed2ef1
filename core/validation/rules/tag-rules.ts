import { MAX_TAGS, tagKeyBreach, tagValueBreach } from "../../aws";
import { jsonPath, type Problem, quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** Tag keys the baseline sets itself (provider default tags, modules/provider-and-backend.ts). */
const BASELINE_TAG_KEYS = ["environment", "managed-by"];

/** Tags and the budget's cost-allocation tag follow AWS's tag rules, and cdktf can write them. */
export const tagRules: EnvironmentRule = {
  name: "tag-rules",
  description: "tags (and the budget's tag scope) follow AWS's tag rules, leave the baseline's keys alone and fit 50 per resource",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const add = (path: string, message: string, fix: string) => problems.push({ path, message, fix });
    const seen = new Map<string, string>();
    for (const [key, value] of d.tags) {
      const at = jsonPath(["tags", key]);
      const keyBreach = tagKeyBreach(key);
      if (keyBreach) add(at, `${keyBreach} (key ${quote(key)})`, "rename the tag");
      const valueBreach = tagValueBreach(value);
      if (valueBreach) add(at, valueBreach, "shorten or change the value");
      // cdktf builds the provider block with plain-object assignment, which drops a key named __proto__ without a word.
      if (key === "__proto__") add(at, "cdktf cannot write a tag named __proto__ (it would be dropped silently)", "rename the tag");
      const lower = key.toLowerCase();
      if (BASELINE_TAG_KEYS.includes(lower)) add(at, `the baseline sets the ${lower} tag itself`, "remove it (or rename it)");
      const earlier = seen.get(lower);
      if (earlier !== undefined) add(at, `differs from the tag ${quote(earlier)} only in case; IAM refuses such pairs`, "keep one of them");
      else seen.set(lower, key);
    }
    if (d.tags.length + BASELINE_TAG_KEYS.length > MAX_TAGS)
      add("tags", `${d.tags.length} tags plus the baseline's ${BASELINE_TAG_KEYS.length} exceed AWS's ${MAX_TAGS} per resource`, `keep at most ${MAX_TAGS - BASELINE_TAG_KEYS.length} tags`);
    const scope = d.budget.scope;
    if (scope && scope !== "account") {
      const keyBreach = tagKeyBreach(scope.tagKey);
      if (keyBreach) add("budget.scope.tagKey", keyBreach, "use the key of an activated cost-allocation tag");
      const valueBreach = tagValueBreach(scope.tagValue);
      if (valueBreach) add("budget.scope.tagValue", valueBreach, "use the tag's value");
    }
    return problems;
  },
};
