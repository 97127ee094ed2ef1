import type { Simulation } from "@cloud-copilot/iam-simulate";
import { ENABLE_IAM_MATRIX, iamEvaluator, IAM_EVALUATOR, type IamSimulateModule } from "./iam-evaluator-loader";

// A real IAM policy evaluator (@cloud-copilot/iam-simulate, AGPL-3.0-or-later: run by `npm run check:environments`
// and the tests, never shipped in the baseline, the client package or smoke, an optional peer of the CLI package)
// deciding requests against the policies synth wrote, the way IAM's policy evaluation logic does:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

/** One request as IAM sees it. */
export interface IamRequest {
  /** How a problem line names the request. */
  readonly label: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string>>;
  /** Account owning the resource (the caller's for AWS-owned foundation models). */
  readonly resourceAccount: string;
}

/** IAM's verdict: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied". */
export type IamDecision = string;

/** A failure of the evaluator itself (a request it cannot decide), as opposed to a verdict. */
export class SimulationError extends Error {}

/** The evaluator; throws SimulationError saying how to install it when it is not (callers check `iamEvaluator()` first). */
function evaluator(): IamSimulateModule {
  const e = iamEvaluator();
  if (!e) throw new SimulationError(`${IAM_EVALUATOR.name} is not installed: ${ENABLE_IAM_MATRIX}`);
  return e;
}

/** Requests already checked by the validating simulator: request key -> context keys it ignores for that request. */
const validated = new Map<string, string[]>();

function simulation(identity: readonly unknown[], account: string, r: IamRequest, scps: Simulation["serviceControlPolicies"] = [], endpoints: readonly unknown[] = []): Simulation {
  return {
    identityPolicies: identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: scps,
    resourceControlPolicies: [],
    ...(endpoints.length ? { vpcEndpointPolicies: endpoints.map((policy, i) => ({ name: `endpoint-${i}`, policy })) } : {}),
    request: { action: r.action, principal: `arn:aws:iam::${account}:role/caller`, resource: { accountId: r.resourceAccount, resource: r.resource }, contextVariables: { ...r.context } },
  };
}

/**
 * Decides one request against identity policies attached side by side to a role of `account`. Each distinct request
 * goes once through the validating entry point (`runSimulation`: checks the action, resource type and context keys,
 * and drops context keys that do not apply); its resource-type matching dominates the cost (~2 ms), so the same
 * request against other policies uses the same engine without re-validating (`runUnsafeSimulation`), with the same
 * context keys dropped.
 */
export async function evaluatePolicies(policies: readonly unknown[], account: string, r: IamRequest): Promise<IamDecision> {
  const sim = simulation(policies, account, r);
  // The validating entry point cannot match the region-less global foundation-model ARN to a resource type (empty
  // region segment), nor actions without a resource type (Resource "*"), so those go through the unvalidated evaluator.
  if (r.resource.includes(":bedrock:::") || r.resource === "*") return evaluator().runUnsafeSimulation(sim, {});
  const key = JSON.stringify([account, r.action, r.resource, r.resourceAccount, r.context]);
  const ignored = validated.get(key);
  if (ignored === undefined) {
    const result = await evaluator().runSimulation(sim, {});
    if (result.resultType === "error") throw new SimulationError(`${r.label}: simulation error ${JSON.stringify(result.errors)}`);
    if (result.resultType !== "single") throw new SimulationError(`${r.label}: expected a single-resource simulation, got ${result.resultType}`);
    validated.set(key, (result.result.ignoredContextKeys ?? []).map((k) => k.toLowerCase()));
    return result.overallResult;
  }
  const context = Object.fromEntries(Object.entries(r.context).filter(([k]) => !ignored.includes(k.toLowerCase())));
  return evaluator().runUnsafeSimulation({ ...sim, request: { ...sim.request, contextVariables: context } }, {});
}

/** `evaluatePolicies` with one policy. */
export function evaluatePolicy(policy: unknown, account: string, r: IamRequest): Promise<IamDecision> {
  return evaluatePolicies([policy], account, r);
}

/**
 * Decides one request against identity policies and service control policies, as in an organization: each SCP level
 * needs its own Allow (FullAWSAccess is attached everywhere by default). Validated like `evaluatePolicies`, except
 * requests on `*`.
 */
export async function evaluateInOrganization(args: { readonly identity: readonly unknown[]; readonly scps?: readonly unknown[]; readonly account: string }, r: IamRequest): Promise<IamDecision> {
  const fullAccess = { name: "FullAWSAccess", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };
  const scps = args.scps
    ? [
        { orgIdentifier: "r-abcd", policies: [fullAccess, ...args.scps.map((policy, i) => ({ name: `scp-${i}`, policy }))] },
        { orgIdentifier: args.account, policies: [fullAccess] },
      ]
    : [];
  const sim = simulation(args.identity, args.account, r, scps);
  if (r.resource === "*") return evaluator().runUnsafeSimulation(sim, {});
  const result = await evaluator().runSimulation(sim, {});
  if (result.resultType === "error") throw new SimulationError(`${r.label}: simulation error ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/**
 * Decides one request made through an interface endpoint: the caller's identity policies (a role of `account`) and the
 * endpoint's policy must both allow it (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
 * The caller's account is the principal's, so aws:PrincipalAccount follows `account`.
 */
export async function evaluateThroughEndpoint(args: { readonly identity: readonly unknown[]; readonly endpoint: unknown; readonly account: string }, r: IamRequest): Promise<IamDecision> {
  const request = { ...r, context: { ...r.context, "aws:PrincipalAccount": args.account } };
  const sim = simulation(args.identity, args.account, request, [], [args.endpoint]);
  if (r.resource.includes(":bedrock:::") || r.resource === "*") {
    // The unvalidated evaluator leaves endpoint policies out, so the endpoint's statements (Principal "*") are decided
    // on their own, as an identity policy, and both must allow; an explicit Deny in either wins.
    const endpointOnly = { ...(args.endpoint as { Statement: Array<Record<string, unknown>> }) };
    endpointOnly.Statement = endpointOnly.Statement.map(({ Principal: _, ...st }) => st);
    const identity = evaluator().runUnsafeSimulation(simulation(args.identity, args.account, request), {});
    const endpoint = evaluator().runUnsafeSimulation(simulation([endpointOnly], args.account, request), {});
    if (identity === "ExplicitlyDenied" || endpoint === "ExplicitlyDenied") return "ExplicitlyDenied";
    return identity === "Allowed" && endpoint === "Allowed" ? "Allowed" : "ImplicitlyDenied";
  }
  const result = await evaluator().runSimulation(sim, {});
  if (result.resultType === "error") throw new SimulationError(`${r.label}: simulation error ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
