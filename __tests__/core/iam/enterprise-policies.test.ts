/**
 * The enterprise controls' policies, decided by a real policy evaluator (@cloud-copilot/iam-simulate, AGPL: tests and
 * the environment check only): the invocation-log bucket only Bedrock of this account and region can write to, the
 * delivery role only it can assume, the key policy's service statements tied to their resource, and the interface
 * endpoints' policies, which let through exactly what the stack's policies allow.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { invocationLogBucketPolicy, invocationLogRolePolicy, invocationLogRoleTrust, keyPolicy, KEY_ADMIN_ACTIONS, LOG_BUCKET_PREFIXES } from "../../../core/iam";
import { regionSecurity } from "../../../core/baseline";
import { checkEndpoints } from "../../../environment-check/endpoint-matrix";
import { policySubjects } from "../../../environment-check/iam-matrix";
import { prodPlan } from "../../fixtures";
import { synthAccount, synthRegion } from "../../modules/fixtures";

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const BUCKET = "arn:aws:s3:::bedrock-team-111111111111-us-east-1-invocation-logs";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bedrock-team-us-east-1-invocation-logs`;
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/bedrock/team/model-invocations`;
const TLS = { "aws:SecureTransport": "true" };
const fromBedrock = (account = ACCOUNT, region = REGION) => ({ "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:bedrock:${region}:${account}:model-invocation-logging`, "aws:PrincipalServiceName": "bedrock.amazonaws.com" });

/** One request against a resource policy (and the caller's identity policies, for a role of the account). */
async function decide(args: { resourcePolicy: unknown; principal: string; action: string; resource: string; context: Record<string, string>; identity?: unknown }): Promise<string> {
  const simulation = {
    identityPolicies: args.identity ? [{ name: "identity", policy: args.identity }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: args.resourcePolicy,
    request: { principal: args.principal, action: args.action, resource: { resource: args.resource, accountId: ACCOUNT }, contextVariables: args.context },
  };
  const r = await runSimulation(simulation, {});
  if (r.resultType === "error") throw new Error(JSON.stringify(r.errors));
  return r.overallResult;
}

const allowAll = (service: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [`${service}:*`], Resource: "*" }] });

describe("the invocation-log bucket: only Bedrock of this account and region writes", () => {
  const policy = invocationLogBucketPolicy({ bucketArn: BUCKET, region: REGION, account: ACCOUNT, deliveryRoleArn: ROLE });
  const put = (prefix: string, principal: string, context: Record<string, string>, identity?: unknown) =>
    decide({ resourcePolicy: policy, principal, action: "s3:PutObject", resource: `${BUCKET}/${prefix}/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/x.json.gz`, context: { ...TLS, ...context }, ...(identity ? { identity } : {}) });

  it.each([
    ["Bedrock of the account, into the log prefix", LOG_BUCKET_PREFIXES.logs, "bedrock.amazonaws.com", fromBedrock(), undefined, "Allowed"],
    ["Bedrock of the account, large payloads", LOG_BUCKET_PREFIXES.largeData, "bedrock.amazonaws.com", fromBedrock(), undefined, "Allowed"],
    ["Bedrock acting for another account (confused deputy)", LOG_BUCKET_PREFIXES.logs, "bedrock.amazonaws.com", fromBedrock("222222222222"), undefined, "ImplicitlyDenied"],
    ["Bedrock of this account in another region", LOG_BUCKET_PREFIXES.logs, "bedrock.amazonaws.com", fromBedrock(ACCOUNT, "eu-west-1"), undefined, "ImplicitlyDenied"],
    ["Bedrock outside the baseline's prefixes", "elsewhere", "bedrock.amazonaws.com", fromBedrock(), undefined, "ImplicitlyDenied"],
    ["an administrator of the account allowed all of S3", LOG_BUCKET_PREFIXES.logs, `arn:aws:iam::${ACCOUNT}:role/admin`, { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/admin` }, allowAll("s3"), "ExplicitlyDenied"],
    ["the delivery role (large payloads through CloudWatch Logs)", LOG_BUCKET_PREFIXES.largeData, ROLE, { "aws:PrincipalArn": ROLE }, allowAll("s3"), "Allowed"],
  ] as const)("%s: %s", async (_label, prefix, principal, context, identity, expected) => {
    expect(await put(prefix, principal, context, identity)).toBe(expected);
  });

  it("nothing reaches the bucket without TLS, Bedrock included", async () => {
    const r = await decide({ resourcePolicy: policy, principal: "bedrock.amazonaws.com", action: "s3:PutObject", resource: `${BUCKET}/${LOG_BUCKET_PREFIXES.logs}/x`, context: { ...fromBedrock(), "aws:SecureTransport": "false" } });
    expect(r).toBe("ExplicitlyDenied");
  });
});

describe("the CloudWatch Logs delivery role", () => {
  const trust = invocationLogRoleTrust(REGION, ACCOUNT);
  const assume = (principal: string, context: Record<string, string>) => decide({ resourcePolicy: trust, principal, action: "sts:AssumeRole", resource: ROLE, context });

  it("only Bedrock of this account and region assumes it", async () => {
    expect(await assume("bedrock.amazonaws.com", fromBedrock())).toBe("Allowed");
    expect(await assume("bedrock.amazonaws.com", fromBedrock("222222222222"))).toBe("ImplicitlyDenied");
    expect(await assume("bedrock.amazonaws.com", fromBedrock(ACCOUNT, "us-west-2"))).toBe("ImplicitlyDenied");
    expect(await assume("lambda.amazonaws.com", { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` })).toBe("ImplicitlyDenied");
  });

  it("writes to Bedrock's stream of its log group and nowhere else", () => {
    const doc = invocationLogRolePolicy({ logGroupArn: LOG_GROUP });
    expect(doc.Statement).toEqual([{ Sid: "WriteInvocationLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP}:log-stream:aws/bedrock/modelinvocations` }]);
  });
});

describe("the key policy", () => {
  const policy = keyPolicy({ region: REGION, account: ACCOUNT, alarmTopic: true, logGroupArn: LOG_GROUP, logBucket: true, appConfig: true });
  const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/12345678-90ab-cdef-1234-567890abcdef`;
  const use = (principal: string, action: string, context: Record<string, string>) => decide({ resourcePolicy: policy, principal, action, resource: KEY, context });

  it("CloudWatch Logs may use it for the invocation log group only", async () => {
    // The evaluator drops kms:EncryptionContext:<key> (a key it cannot enumerate), so the statement is checked as written:
    // the regional Logs principal, conditioned on exactly this log group (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    expect(policy.Statement.find((s) => s.Sid === "InvocationLogGroup")).toEqual({
      Sid: "InvocationLogGroup",
      Effect: "Allow",
      Principal: { Service: [`logs.${REGION}.amazonaws.com`] },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOG_GROUP } },
    });
    // Without the log group's context (any other use of the key by Logs) nothing allows it.
    expect(await use(`logs.${REGION}.amazonaws.com`, "kms:GenerateDataKey", {})).toBe("ImplicitlyDenied");
  });

  it("Bedrock may make data keys for log objects of this account and region only", async () => {
    expect(await use("bedrock.amazonaws.com", "kms:GenerateDataKey", fromBedrock())).toBe("Allowed");
    expect(await use("bedrock.amazonaws.com", "kms:GenerateDataKey", fromBedrock("222222222222"))).toBe("ImplicitlyDenied");
    expect(await use("bedrock.amazonaws.com", "kms:Decrypt", fromBedrock())).toBe("ImplicitlyDenied");
  });

  it("the alarm topic's publishers use it for this account only", async () => {
    for (const service of ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"]) {
      expect(await use(service, "kms:GenerateDataKey", { "aws:SourceAccount": ACCOUNT })).toBe("Allowed");
      expect(await use(service, "kms:GenerateDataKey", { "aws:SourceAccount": "222222222222" })).toBe("ImplicitlyDenied");
    }
  });

  it("the account administers the key but uses it only through the named services", () => {
    const admin = policy.Statement.find((s) => s.Sid === "AccountAdministersKey")!;
    expect(admin.Action).toEqual(KEY_ADMIN_ACTIONS);
    expect(admin.Action.some((a) => /Encrypt|Decrypt|GenerateDataKey|ReEncrypt|Grant|Create\*/.test(a))).toBe(false);
    const viaServices = policy.Statement.filter((s) => s.Principal !== "*" && typeof s.Principal === "object" && "AWS" in s.Principal && s.Sid !== "AccountAdministersKey");
    expect(viaServices.map((s) => [s.Sid, (s.Condition!.StringEquals as Record<string, string>)["kms:ViaService"]])).toEqual([
      ["AlarmTopicThroughSns", `sns.${REGION}.amazonaws.com`],
      ["LogObjectsThroughS3", `s3.${REGION}.amazonaws.com`],
      ["RoutingConfigThroughAppConfig", `appconfig.${REGION}.amazonaws.com`],
    ]);
  });

  it("has only the statements of what the key encrypts", () => {
    expect(keyPolicy({ region: REGION, account: ACCOUNT, alarmTopic: true, appConfig: true }).Statement.map((s) => s.Sid)).toEqual(["AccountAdministersKey", "AlarmTopicPublishers", "AlarmTopicThroughSns", "RoutingConfigThroughAppConfig"]);
  });
});

describe("interface endpoint policies (prod, every region)", () => {
  const plan = prodPlan();

  const account = synthAccount(plan).json;

  it.each(plan.config.regions)("%s: what the environment's policies allow passes the bedrock-runtime and appconfigdata endpoints, nothing else does", async (region) => {
    const { json } = synthRegion(plan, region);
    const verdict = await checkEndpoints(plan, { region: json, account }, region, policySubjects(plan).filter((s) => s.region === region));
    expect(verdict.problems).toEqual([]);
    expect(verdict.requests).toBeGreaterThan(50);
  });

  it("a policy that lets everything through is caught, and so is one that forgets a model", async () => {
    const region = "us-east-1";
    const { json } = synthRegion(plan, region);
    const subjects = policySubjects(plan).filter((s) => s.region === region);
    const endpoint = Object.values<any>(json.resource.aws_vpc_endpoint).find((e) => e.service_name.endsWith(".bedrock-runtime"));
    const exact = endpoint.policy;
    endpoint.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
    expect((await checkEndpoints(plan, { region: json, account }, region, subjects)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^Allowed, expected denied through the endpoint: a role allowed all of Bedrock/), expect.stringMatching(/of account 999999999999/)]));
    const doc = JSON.parse(exact);
    const haiku = plan.invocations[region]["anthropic.claude-haiku-4-5-20251001-v1:0"];
    endpoint.policy = JSON.stringify({ ...doc, Statement: doc.Statement.filter((s: any) => ![s.Resource].flat().includes(haiku.profileArn)) });
    expect((await checkEndpoints(plan, { region: json, account }, region, subjects)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/expected Allowed through the endpoint: .*profile us\.anthropic\.claude-haiku-4-5/)]));
  });

  it("the region computes one endpoint per configured service, each policy within VPC's size limit", () => {
    const sec = regionSecurity(plan, "eu-central-1");
    expect(sec.privateEndpoints!.services.map((s) => s.serviceName)).toEqual(["com.amazonaws.eu-central-1.bedrock-runtime", "com.amazonaws.eu-central-1.appconfigdata"]);
    for (const size of Object.values(sec.privateEndpoints!.policySizes)) expect(size).toBeLessThan(20480);
    expect(sec.requireSourceVpce).toBe(true);
  });
});
