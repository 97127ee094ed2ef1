import { managedPolicyLimits } from "../../../../core/validation/rules/managed-policy-limits";
import { ruleTable } from "./rule-table";

const CI = "arn:aws:iam::111111111111:role/ci";
const US = ["us-east-1", "us-east-2", "us-west-2"];

/** `n` more workloads whose policies are attached to the smoke principal too, in the three US regions (the first attachment names it). */
const sharedPrincipal = (n: number) => (e: any) => {
  e.regions = US;
  for (let i = 0; i < n; i++) e.workloads[`w${i}`] = { routes: ["summarize"], principals: [CI] };
};

ruleTable(managedPolicyLimits, [
  { name: "one policy per principal per region", edit: () => {}, problems: [] },
  { name: "the smoke principal holding 10 policies (3 regions, 2 workloads)", edit: sharedPrincipal(2), problems: [] },
  { name: "the smoke principal holding 15 policies", edit: sharedPrincipal(4), problems: [{ path: "workloads.w0.principals[0]", message: `"${CI}" would get 15 baseline policies; IAM's default quota is 10 managed policies per role or user`, severity: "warning" }] },
  { name: "the smoke principal holding 24 policies", edit: sharedPrincipal(7), problems: [{ path: "workloads.w0.principals[0]", message: `"${CI}" would get 24 baseline policies; IAM attaches at most 20 managed policies to a role or user` }] },
]);
