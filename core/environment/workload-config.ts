import { z } from "zod";
import { quote } from "../problems";
import { spendUsdPerHourSchema, workloadBudgetSchema } from "./cost-config";
import { iamPrincipalArn } from "./principal-arn";
import { issue } from "./schema-issue";

/** `workloads.<name>`: who runs application code and which routes it may use. */
export const workloadSchema = z.strictObject({
  routes: z.array(z.string().min(1)).min(1),
  /** Existing IAM roles/users that get the policy attached. */
  principals: z.array(iamPrincipalArn).default([]),
  /** Create a role for the workload, trusted by these services and/or principals. */
  role: z
    .strictObject({
      assumedByServices: z
        .array(
          z.string().superRefine((v, ctx) => {
            if (v.length > 128 || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(v)) issue(ctx, `${quote(v)} is not a service principal`, "use e.g. lambda.amazonaws.com or ecs-tasks.amazonaws.com");
          }),
        )
        .default([]),
      assumedByPrincipals: z.array(iamPrincipalArn).default([]),
    })
    .optional(),
  /** A monthly AWS Budgets budget on the workload's cost allocation tag (needs costAttribution.enabled). Default: none. */
  budget: workloadBudgetSchema.optional(),
  /** Estimated USD per hour in a region above which the workload's spend-rate alarm fires. Default: alarms.spendUsdPerHour. */
  spendUsdPerHour: spendUsdPerHourSchema.optional(),
});
