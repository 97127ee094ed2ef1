import { tagRules } from "../../../../core/validation/rules/tag-rules";
import { ruleTable } from "./rule-table";

ruleTable(tagRules, [
  { name: "ordinary tags", edit: (e) => (e.tags = { team: "platform", "cost-center": "42" }), problems: [] },
  { name: "a budget scoped to a cost-allocation tag", edit: (e) => (e.budget.scope = { tagKey: "team", tagValue: "platform" }), problems: [] },
  { name: "a key over 128 characters", edit: (e) => (e.tags["k".repeat(129)] = "v"), problems: [{ path: expect.any(String) as never, message: /tag key is 129 characters; AWS allows 128/ }] },
  { name: "a value over 256 characters", edit: (e) => (e.tags.team = "v".repeat(257)), problems: [{ path: "tags.team", message: /tag value is 257 characters; AWS allows 256/ }] },
  { name: "the reserved aws: prefix", edit: (e) => (e.tags["AWS:owner"] = "me"), problems: [{ path: 'tags["AWS:owner"]', message: /aws: are reserved/ }] },
  { name: "a tag the baseline sets itself", edit: (e) => (e.tags.Environment = "x"), problems: [{ path: "tags.Environment", message: "the baseline sets the environment tag itself" }] },
  { name: "keys differing only in case", edit: (e) => (e.tags.Team = "x"), problems: [{ path: "tags.Team", message: 'differs from the tag "team" only in case; IAM refuses such pairs' }] },
  { name: "a key cdktf would drop", edit: (e) => (e.tags = JSON.parse('{"__proto__": "x"}')), problems: [{ path: expect.any(String) as never, message: /cdktf cannot write a tag named __proto__/ }] },
  { name: "more than 48 tags", edit: (e) => (e.tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, "x"]))), problems: [{ path: "tags", message: "49 tags plus the baseline's 2 exceed AWS's 50 per resource" }] },
  { name: "a budget tag key AWS refuses", edit: (e) => (e.budget.scope = { tagKey: "aws:team", tagValue: "x" }), problems: [{ path: "budget.scope.tagKey", message: /aws: are reserved/ }] },
]);
