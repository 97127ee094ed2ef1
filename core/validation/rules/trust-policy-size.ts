import { MAX_TRUST_POLICY_CHARS } from "../../aws";
import { trustPolicy } from "../../iam";
import { jsonPath } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** A created role's trust policy fits IAM's default 2,048 characters. */
export const trustPolicySize: EnvironmentRule = {
  name: "trust-policy-size",
  description: "a workload role's trust policy fits IAM's size limit",
  stage: "draft",
  check: ({ draft: d }) =>
    d.workloads.flatMap((w) => {
      const role = w.fields.role;
      if (!role) return [];
      const length = JSON.stringify(trustPolicy({ services: role.assumedByServices, principals: role.assumedByPrincipals })).length;
      return length > MAX_TRUST_POLICY_CHARS
        ? [{ path: jsonPath(["workloads", w.name, "role"]), message: `the role's trust policy would be ${length} characters; IAM allows ${MAX_TRUST_POLICY_CHARS}`, fix: "trust fewer services or principals (or request the 4,096-character quota)" }]
        : [];
    }),
};
