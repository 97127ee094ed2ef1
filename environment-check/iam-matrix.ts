import { names } from "../core/aws";
import { regionSecurity } from "../core/baseline";
import { applicationProfiles, type BaselinePlan, profileArnOf, routeCandidates } from "../core/environment";
import { entryResources, quotaStoreTargets } from "../core/iam";
import { applicationProfileCases, bearerRequests, casesFor, crossProfileCases, mantleInference, NEVER_ENABLED_MODEL, notGrantedCases, type RequestCases } from "./iam-requests";
import { evaluatePolicy, type IamRequest } from "./iam-simulator";
import { quotaStoreRequests } from "./quota-store-requests";
import { appliedEndpointId, appliedProfiles, policyFromSynth, routeContext, type StackJson } from "./synthesized-policies";

// IAM is exact: each workload may invoke exactly the models its routes reference, the smoke role exactly the models the
// environment enables, through exactly the profile each region uses; bearer-token (API key) calls are denied on both
// Bedrock endpoints and nothing is granted on the Mantle endpoint. With cost attribution a workload reaches its models
// only through its own application profiles (never another workload's, the system profile or the model directly), and
// the smoke role through every workload's. Proven per policy and region by deciding the requests of iam-requests.ts
// with a real evaluator over the synthesized policy. A policy is the environment's (the account stack's,
// core/iam/environment-policies.ts): what one region's calls need, it allows in every region's matrix, and "another
// region" is one outside the environment.

/** One policy of the account stack and what it must grant in one region. */
export interface PolicySubject {
  readonly region: string;
  /** The managed policy's name (names.workloadPolicy / names.smokePolicy). */
  readonly policyName: string;
  /** Foundation-model IDs the policy must grant. */
  readonly granted: readonly string[];
  /** The routes whose calls the policy serves (their guardrails travel with the calls); none for smoke. */
  readonly tasks: readonly string[];
  /** With cost attribution: the workloads whose application profiles the policy must grant (its own; every one for smoke). */
  readonly profilesOf?: readonly string[];
  /** The endpoint its invoke calls must come through (aws:SourceVpce), when the environment requires one. */
  readonly sourceVpce?: string;
  /** The policy must let its principal connect to the region's quota store (a workload, with the store's IAM authentication on). */
  readonly quotaStore?: boolean;
}

/** Another account's endpoint ID: a call through it must be refused like a call from outside any endpoint. */
export const OTHER_ENDPOINT = "vpce-0ffffffffffffffff";

/** Every workload policy and the smoke policy of a plan, in every region, with the models each must grant there. */
export function policySubjects(plan: BaselinePlan): PolicySubject[] {
  const attributed = applicationProfiles(plan, plan.config.regions[0]).length > 0;
  return plan.config.regions.flatMap((region) => [
    ...Object.entries(plan.config.workloads).map(([w, cfg]) => ({
      region,
      policyName: names.workloadPolicy(plan.config.name, w),
      granted: [...new Set(cfg.routes.flatMap((r) => routeCandidates(plan, r)))],
      tasks: cfg.routes as readonly string[],
      ...(attributed ? { profilesOf: [w] } : {}),
      ...(regionSecurity(plan, region).requireSourceVpce ? { sourceVpce: appliedEndpointId(region) } : {}),
      ...(quotaStoreTargets(plan, [region]).length ? { quotaStore: true } : {}),
    })),
    // The smoke policy requires no guardrail (it probes unguarded routes too): its requests carry none.
    { region, policyName: names.smokePolicy(plan.config.name), granted: Object.keys(plan.invocations[region]), tasks: [], ...(attributed ? { profilesOf: Object.keys(plan.config.workloads) } : {}) },
  ]);
}

/**
 * The cases of one granted model: through the subject's application profiles of it (cost attribution), every other
 * workload's profile of it denied; else through its system invocation.
 */
function modelCases(plan: BaselinePlan, subject: PolicySubject, region: string, id: string, context: Record<string, string>): RequestCases {
  const inv = plan.invocations[region][id];
  const applied = appliedProfiles(plan, region);
  const workloads = applicationProfiles(plan, region).filter((p) => p.modelId === id).map((p) => p.workload);
  const mine = workloads.filter((w) => subject.profilesOf?.includes(w));
  if (mine.length === 0) return casesFor(inv, plan.config.account, context, plan.config.regions);
  const arnOf = (w: string) => profileArnOf(applied, w, id)!;
  const others = workloads.filter((w) => !mine.includes(w)).map(arnOf);
  const all: RequestCases = { allowed: [], denied: [] };
  for (const w of mine) {
    const c = applicationProfileCases(inv, arnOf(w), others, plan.config.account, context);
    all.allowed.push(...c.allowed);
    all.denied.push(...c.denied);
  }
  return all;
}

/** Foundation-model ID -> the application profile ARNs (as applied) the subject invokes it through (cost attribution). */
function subjectProfiles(plan: BaselinePlan, subject: PolicySubject): Record<string, string[]> {
  const applied = appliedProfiles(plan, subject.region);
  const out: Record<string, string[]> = Object.create(null);
  for (const p of applicationProfiles(plan, subject.region)) if (subject.profilesOf?.includes(p.workload)) (out[p.modelId] ??= []).push(profileArnOf(applied, p.workload, p.modelId)!);
  return out;
}

/** What one policy's matrix decided. */
export interface PolicyVerdict {
  readonly subject: PolicySubject;
  /** Requests decided. */
  readonly requests: number;
  /** Requests that must be allowed (of `requests`). */
  readonly allowed: number;
  /** One line per request decided otherwise than required: `<decision>, expected <required>: <request>`. */
  readonly problems: readonly string[];
}

/** The calls a subject must allow in one region. */
function allowedIn(plan: BaselinePlan, subject: PolicySubject, region: string): IamRequest[] {
  const invs = plan.invocations[region];
  return subject.granted.filter((id) => Object.hasOwn(invs, id)).flatMap((id) => modelCases(plan, subject, region, id, routeContext(plan, region, subject.tasks, id)).allowed);
}

const requestKey = (r: IamRequest) => JSON.stringify([r.action, r.resource, r.resourceAccount, r.context]);

/** The requests of one subject, each with the decisions that pass. */
export function subjectRequests(plan: BaselinePlan, subject: PolicySubject): Array<{ request: IamRequest; pass: readonly string[]; expected: string }> {
  const { region } = subject;
  const account = plan.config.account;
  const invs = plan.invocations[region];
  const allowed: IamRequest[] = [];
  const denied: IamRequest[] = [];
  for (const id of subject.granted) {
    const c = modelCases(plan, subject, region, id, routeContext(plan, region, subject.tasks, id));
    allowed.push(...c.allowed);
    denied.push(...c.denied);
  }
  denied.push(...crossProfileCases(invs, subject.granted, region, account));
  // Models of routes this policy does not serve (enabled elsewhere in the environment), and a model never enabled.
  for (const id of [...Object.keys(invs).filter((m) => !subject.granted.includes(m)), NEVER_ENABLED_MODEL]) denied.push(...notGrantedCases(id, invs[id], region, account));
  // A call another region of the environment must allow (a model on demand there and through a profile here) is that
  // region's call, not a neighbour of this one's.
  const elsewhere = new Set(plan.config.regions.filter((r) => r !== region).flatMap((r) => allowedIn(plan, subject, r).map(requestKey)));
  const neighbours = denied.filter((r) => !elsewhere.has(requestKey(r)));
  // With aws:SourceVpce required, every call carries the endpoint, and the granted calls on what a caller names first
  // (the profile, or an on-demand model) are explicitly refused without it or through another endpoint.
  const viaEndpoint = (r: IamRequest): IamRequest => (subject.sourceVpce ? { ...r, context: { ...r.context, "aws:SourceVpce": subject.sourceVpce } } : r);
  const profiled = subjectProfiles(plan, subject);
  const entries = new Set(subject.granted.flatMap((id) => (Object.hasOwn(profiled, id) ? profiled[id] : entryResources([invs[id]]))));
  const outside = subject.sourceVpce
    ? allowed.filter((r) => entries.has(r.resource)).flatMap((r) => [
        { ...r, label: `${r.label} without the endpoint (no aws:SourceVpce)` },
        { ...r, label: `${r.label} through another endpoint`, context: { ...r.context, "aws:SourceVpce": OTHER_ENDPOINT } },
      ])
    : [];
  // elasticache:Connect to the region's quota store, and to no other cache, user, region outside the environment or account.
  const store = quotaStoreRequests(plan.config.name, region, plan.config.regions, account, subject.quotaStore === true);
  allowed.push(...store.allowed);
  neighbours.push(...store.denied);
  return [
    ...outside.map((request) => ({ request, pass: ["ExplicitlyDenied"], expected: "ExplicitlyDenied" })),
    ...allowed.map((request) => ({ request: viaEndpoint(request), pass: ["Allowed"], expected: "Allowed" })),
    ...neighbours.map((request) => ({ request: viaEndpoint(request), pass: ["ImplicitlyDenied", "ExplicitlyDenied"], expected: "denied" })),
    // A bearer-token call made with a key derived from (short-term) or issued to (long-term) this principal is denied
    // explicitly, so no other policy on the principal can allow it.
    ...bearerRequests(region, account).map((request) => ({ request, pass: ["ExplicitlyDenied"], expected: "ExplicitlyDenied" })),
    // The Mantle (Messages API) endpoint: no inference there, for any of the granted models.
    ...subject.granted.map((id) => ({ request: mantleInference(region, account, invs[id].invokeId), pass: ["ImplicitlyDenied", "ExplicitlyDenied"], expected: "denied" })),
  ];
}

/** Decides every request of `subject` against its policy in the synthesized stack `json` (the account stack of `plan`). */
export async function checkPolicy(plan: BaselinePlan, json: StackJson, subject: PolicySubject, policy: unknown = policyFromSynth(json, subject.policyName, plan)): Promise<PolicyVerdict> {
  const requests = subjectRequests(plan, subject);
  const decided = await Promise.all(requests.map(async (r) => ({ ...r, decision: await evaluatePolicy(policy, plan.config.account, r.request) })));
  return {
    subject,
    requests: requests.length,
    allowed: requests.filter((r) => r.expected === "Allowed").length,
    problems: decided.filter((r) => !r.pass.includes(r.decision)).map((r) => `${r.decision}, expected ${r.expected}: ${r.request.label}`),
  };
}
