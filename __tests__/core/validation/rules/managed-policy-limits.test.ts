import { managedPolicyLimits } from "../../../../core/validation/rules/managed-policy-limits";
import { ruleTable } from "./rule-table";

const CI = "arn:aws:iam::111111111111:role/ci";
/** Every region of the test catalog's snapshot where both base models have a profile. */
const NINE = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-3", "ap-northeast-1", "ap-south-1", "ap-southeast-2"];

/** `n` more workloads whose policies are attached to the smoke principal too (the first attachment names it). */
const sharedPrincipal = (n: number, regions: readonly string[] = ["us-east-1"]) => (e: any) => {
  e.regions = [...regions];
  for (let i = 0; i < n; i++) e.workloads[`w${i}`] = { routes: ["summarize"], principals: [CI] };
};

ruleTable(managedPolicyLimits, [
  { name: "one policy per principal", edit: () => {}, problems: [] },
  // IAM is global: a principal's policies are the environment's, whatever the number of regions (it was two per region).
  { name: "one policy per principal in nine regions", edit: (e) => (e.regions = NINE), problems: [] },
  { name: "the smoke principal holding 10 policies (itself and 9 workloads')", edit: sharedPrincipal(9), problems: [] },
  // Smoke's per-region statements (routing, deployments, quotas) make its policy two parts in nine regions.
  { name: "nine regions: the smoke principal holding 10 policies (smoke's two parts, 8 workloads')", edit: sharedPrincipal(8, NINE), problems: [] },
  { name: "nine regions: 11 policies", edit: sharedPrincipal(9, NINE), problems: [{ path: "workloads.w0.principals[0]", message: /would get 11 baseline policies; IAM's default quota is 10/, severity: "warning" }] },
  { name: "the smoke principal holding 11 policies", edit: sharedPrincipal(10), problems: [{ path: "workloads.w0.principals[0]", message: `"${CI}" would get 11 baseline policies; IAM's default quota is 10 managed policies per role or user`, severity: "warning" }] },
  { name: "the smoke principal holding 21 policies", edit: sharedPrincipal(20), problems: [{ path: "workloads.w0.principals[0]", message: `"${CI}" would get 21 baseline policies; IAM attaches at most 20 managed policies to a role or user` }] },
]);
