import { HAIKU } from "../../../fixtures";
import { RESERVATION_WARNING_SHARE, routeQuotaShare } from "../../../../core/validation/rules/route-quota-share";
import { ruleTable } from "./rule-table";

// Haiku 4.5: 2,000,000 applied geo TPM in us-east-1 (catalog/snapshot.json), burndown 5 (catalog/overlay.json); a
// worst-case request is input estimate (default 1,000) + maxTokens x 5. 10% is 200,000 tokens: maxTokens 39,800.
ruleTable(routeQuotaShare, [
  { name: "a small maxTokens", edit: () => {}, problems: [] },
  { name: `exactly ${RESERVATION_WARNING_SHARE * 100}% of the quota`, edit: (e) => ((e.routes.chat.fallbacks = []), (e.routes.chat.maxTokens = 39800)), problems: [] },
  {
    name: "one token more",
    edit: (e) => ((e.routes.chat.fallbacks = []), (e.routes.chat.maxTokens = 39801)),
    problems: [{ path: "routes.chat.maxTokens", message: new RegExp(`^a worst-case request to ${HAIKU.modelId.replace(/\./g, "\\.")} \\(input estimate 1,000 \\+ maxTokens 39,801 × output burndown 5 = 200,005 tokens\\) is 10% of its applied tokens-per-minute quota in us-east-1 \\(2,000,000 per the catalog snapshot\\): the quota admits only 9 such requests at once$`), severity: "warning" }],
  },
]);
