import { foundationModelArn } from "../core/aws";
import { type BaselinePlan, profileArnOf } from "../core/environment";
import type { StackManifest } from "../core/routing";
import { type ProbeTarget, probeTargets, quotaTargets, targetLabel } from "../smoke/probe-targets";
import { INVOKE_ACTIONS } from "./iam-requests";
import type { IamRequest } from "./iam-simulator";
import { appliedProfiles } from "./synthesized-policies";

// What `npm run smoke` will probe in a region right after apply (the deployed routing document is then the
// synthesized one), computed by smoke's own planning code so the plan shown cannot drift from the probes made.

/** A region stack's smoke plan: the Converse probes (one per model and way routes call it) and the quota rows. */
export interface ProbePlan {
  readonly stack: string;
  readonly region: string;
  readonly targets: readonly ProbeTarget[];
  /** (route, model) pairs whose quota headroom smoke reports. */
  readonly quotaRows: number;
}

export function probePlan(manifest: StackManifest): ProbePlan {
  const targets = probeTargets(manifest.routingDocument, manifest);
  return { stack: manifest.stack, region: manifest.region, targets, quotaRows: quotaTargets(targets).length };
}

/** The plan as lines: a summary, then one line per probe naming the routes it proves. */
export function probePlanLines(plan: ProbePlan): string[] {
  const routes = (t: ProbeTarget) => t.routes.map((r) => r.task).join(", ");
  return [
    `${plan.stack}: smoke plan: ${plan.targets.length} Converse probe${plan.targets.length === 1 ? "" : "s"} (ConverseStream too with --stream), ${plan.quotaRows} quota rows`,
    ...plan.targets.map((t) => `${plan.stack}:   probe ${targetLabel(t)} (routes ${routes(t)})`),
  ];
}

/**
 * The invoke call each probe makes, as the smoke role makes it (a workload's application profile with cost attribution,
 * else its system profile, or the foundation model for on-demand models; the route's service tier as
 * `bedrock:ServiceTier`), for the IAM check that the smoke role may make every probe of the plan. A probe of a model the
 * stack does not grant is a problem line instead.
 */
export function probeRequests(env: BaselinePlan, plan: ProbePlan): { requests: IamRequest[]; problems: string[] } {
  const invocations = env.invocations[plan.region];
  const profiles = appliedProfiles(env, plan.region);
  const requests: IamRequest[] = [];
  const problems: string[] = [];
  for (const t of plan.targets) {
    const inv = Object.hasOwn(invocations, t.modelId) ? invocations[t.modelId] : undefined;
    if (!inv) {
      problems.push(`${plan.stack}: smoke would probe ${targetLabel(t)}, which the stack does not enable`);
      continue;
    }
    requests.push({
      label: `smoke probe ${targetLabel(t)}`,
      action: INVOKE_ACTIONS[0],
      resource: (t.workload && profileArnOf(profiles, t.workload, t.modelId)) || (inv.profileArn ?? foundationModelArn(plan.region, inv.modelId)),
      context: { "aws:RequestedRegion": plan.region, ...(t.serviceTier ? { "bedrock:ServiceTier": t.serviceTier } : {}) },
      resourceAccount: env.config.account,
    });
  }
  return { requests, problems };
}
