import { names } from "../../core/aws";
import { prodPlan, rawConfig, variant } from "../fixtures";
import { only, ref, resources, synthAccount, synthRegion } from "./fixtures";
import { regionStates, stateOutput } from "../../environment-check/synthesized-policies";

// Interface VPC endpoints as prod renders them: one per configured service in the region's VPC, private DNS, an exact
// endpoint policy, plan-time checks of the subnets, and the aws:SourceVpce Deny on workload policies.

const REGION = "eu-west-1";
const raw = rawConfig("prod");
const net = raw.network[REGION];
const { json } = synthRegion(prodPlan(), REGION);
const endpoints = Object.entries<any>(resources(json, "aws_vpc_endpoint"));
const runtime = endpoints.find(([, e]) => e.service_name === `com.amazonaws.${REGION}.bedrock-runtime`)!;

describe("prod's endpoints in eu-west-1", () => {
  it("one interface endpoint per configured service, in the region's VPC, subnets and security groups, private DNS on", () => {
    expect(endpoints.map(([, e]) => e.service_name).sort()).toEqual([`com.amazonaws.${REGION}.appconfigdata`, `com.amazonaws.${REGION}.bedrock-runtime`]);
    for (const [, e] of endpoints) {
      expect(e).toMatchObject({ vpc_id: net.vpcId, vpc_endpoint_type: "Interface", subnet_ids: net.subnetIds, security_group_ids: net.securityGroupIds, private_dns_enabled: true });
      expect(e.tags.Name).toMatch(/^bedrock-prod-(bedrock-runtime|appconfigdata)$/);
    }
  });

  it("plan-time checks: every subnet in the VPC, one subnet per Availability Zone", () => {
    const subnets = Object.entries<any>(json.data?.aws_subnet ?? {});
    expect(subnets.map(([, s]) => s.id)).toEqual(net.subnetIds);
    const [inVpc, perZone] = runtime[1].lifecycle.precondition;
    const vpcRefs = subnets.map(([n]) => `data.aws_subnet.${n}.vpc_id`).join(", ");
    expect(inVpc.condition).toBe(`\${length(distinct([${vpcRefs}])) == 1 && [${vpcRefs}][0] == "${net.vpcId}"}`);
    expect(inVpc.error_message).toMatch(new RegExp(`^Every subnet of network\\.${REGION}\\.subnetIds must be in ${net.vpcId}\\.`));
    expect(perZone.condition).toBe(`\${length(distinct([${subnets.map(([n]) => `data.aws_subnet.${n}.availability_zone`).join(", ")}])) == 3}`);
    expect(perZone.error_message).toMatch(/one subnet per Availability Zone/);
  });

  it("endpoint policies let principals of the account only, on the stack's own resources", () => {
    for (const [, e] of endpoints) {
      const doc = JSON.parse(e.policy);
      for (const st of doc.Statement) {
        expect(st).toMatchObject({ Effect: "Allow", Principal: "*" });
        expect(st.Condition.StringEquals["aws:PrincipalAccount"]).toBe(raw.account);
        expect([st.Resource].flat()).not.toContain("*");
      }
    }
    const data = JSON.parse(endpoints.find(([, e]) => e.service_name.endsWith(".appconfigdata"))![1].policy);
    const profile = only(json, "aws_appconfig_configuration_profile");
    expect(data.Statement).toEqual([expect.objectContaining({ Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"], Resource: expect.stringContaining(ref("aws_appconfig_configuration_profile", profile.name, "configuration_profile_id")) })]);
  });

  it("every workload policy refuses invoke calls that do not come through a bedrock-runtime endpoint of the environment; the smoke policy does not", () => {
    // The policies are the environment's (the account stack's); each region's endpoint ID is read from its stack's state.
    const account = synthAccount(prodPlan()).json;
    const policies = Object.values<any>(resources(account, "aws_iam_policy"));
    const states = regionStates(account, prodPlan());
    const denyOf = (name: string) =>
      policies
        .filter((p) => p.name === name || p.name.startsWith(`${name}.part`))
        .flatMap((p) => JSON.parse(p.policy).Statement)
        .find((s: any) => s.Sid === "DenyInvokeOutsideEndpoint");
    for (const w of Object.keys(raw.workloads)) {
      const deny = denyOf(names.workloadPolicy("prod", w));
      expect(deny).toMatchObject({
        Effect: "Deny",
        Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
        Condition: { StringNotEquals: { "aws:SourceVpce": raw.regions.map((r: string) => stateOutput(states[r], "vpc_endpoint_ids.bedrock-runtime")) } },
      });
      // Only the profiles (what a call names first), never a foundation model a profile routes to.
      for (const r of deny.Resource) expect(r).toMatch(/:inference-profile\//);
    }
    expect(denyOf(names.smokePolicy("prod"))).toBeUndefined();
    // The output the account stack reads is the one the region stack writes.
    expect(json.output.vpc_endpoint_ids.value["bedrock-runtime"]).toBe(ref("aws_vpc_endpoint", runtime[0], "id"));
  });
});

describe("variants", () => {
  it("requireSourceVpce off: endpoints, no Deny", () => {
    const off = variant("prod", (c) => (c.privateEndpoints.requireSourceVpce = false));
    const { json: j } = synthRegion(off, REGION);
    expect(Object.keys(resources(j, "aws_vpc_endpoint"))).toHaveLength(2);
    expect(Object.values<any>(resources(synthAccount(off).json, "aws_iam_policy")).some((p) => p.policy.includes("aws:SourceVpce"))).toBe(false);
  });

  it("every service smoke, the toggle and the catalog sync call, private DNS off", () => {
    const all = ["bedrock-runtime", "appconfigdata", "appconfig", "servicequotas", "sts", "bedrock"];
    const { json: j } = synthRegion(variant("prod", (c) => (c.privateEndpoints = { enabled: true, services: all, privateDns: false })), REGION);
    const es = Object.values<any>(resources(j, "aws_vpc_endpoint"));
    expect(es.map((e) => e.service_name).sort()).toEqual(all.map((s) => `com.amazonaws.${REGION}.${s}`).sort());
    for (const e of es) expect(e.private_dns_enabled).toBe(false);
    const sts = JSON.parse(es.find((e) => e.service_name.endsWith(".sts")).policy).Statement;
    expect(sts.map((s: any) => s.Sid)).toEqual(["AssumeAccountRoles", "AssumeAccountRolesWithWebIdentity", "WhoAmI"]);
    expect(sts[0].Resource).toBe(`arn:aws:iam::${raw.account}:role/*`);
  });

  it("endpoints off: none, and no subnet lookups", () => {
    const { json: j } = synthRegion(variant("prod", (c) => (c.privateEndpoints = { enabled: false })), REGION);
    expect(resources(j, "aws_vpc_endpoint")).toEqual({});
    expect(j.data?.aws_subnet).toBeUndefined();
  });
});
