import { names } from "../../core/aws";
import { quotaStoreAccessString } from "../../core/baseline";
import { QUOTA_STORE_COMMANDS, QUOTA_STORE_KEY_PREFIX, routingDocumentSchema, SERVERLESS_CACHE_PORT } from "../../core/runtime";
import { rawConfig, variant } from "../fixtures";
import { only, ref, resources, synthAccount, synthRegion } from "./fixtures";

// The fleet's quota store as a region stack renders it (`quotaStore` in the environment): an ElastiCache Serverless
// Valkey cache in the region's `network`, encrypted with the stack's key, an IAM-authenticated user alone in the
// cache's user group, the routing document naming the endpoint, workloads granted elasticache:Connect on exactly that
// cache and user, and the alarm on the routing client's QuotaStoreDegraded records.

const REGION = "eu-west-1";
const raw = rawConfig("prod");
const net = raw.network[REGION];
const on = variant("prod", (c) => (c.quotaStore = { enabled: true }));
const { json } = synthRegion(on, REGION);
const ARN = `arn:aws:elasticache:${REGION}:${raw.account}`;

function baselineDocument(j: typeof json): any {
  return JSON.parse(only(j, "aws_appconfig_hosted_configuration_version").props.content);
}

/** The statements of a workload's policy: environment-wide, in the account stack. */
function workloadStatements(j: typeof json, workload: string): any[] {
  const name = names.workloadPolicy("prod", workload);
  return Object.values<any>(resources(j, "aws_iam_policy"))
    .filter((p) => p.name === name || p.name.startsWith(`${name}.part`))
    .flatMap((p) => JSON.parse(p.policy).Statement);
}

describe("prod with quotaStore on, eu-west-1", () => {
  const cache = only(json, "aws_elasticache_serverless_cache");
  const user = only(json, "aws_elasticache_user");
  const group = only(json, "aws_elasticache_user_group");

  it("a Valkey serverless cache in the region's subnets and security groups, with usage limits and the stack's key", () => {
    expect(cache.props).toMatchObject({
      name: names.quotaStoreCache("prod"),
      engine: "valkey",
      major_engine_version: "8",
      subnet_ids: net.subnetIds,
      security_group_ids: net.securityGroupIds,
      cache_usage_limits: [{ data_storage: [{ maximum: 1, unit: "GB" }], ecpu_per_second: [{ maximum: 10_000 }] }],
      user_group_id: ref("aws_elasticache_user_group", group.name, "user_group_id"),
    });
    expect(cache.props.kms_key_id).toBe(ref("aws_kms_key", only(json, "aws_kms_key").name, "arn"));
  });

  it("the plan refuses subnets outside the region's VPC", () => {
    const [inVpc] = cache.props.lifecycle.precondition;
    expect(inVpc.condition).toContain(`== "${net.vpcId}"`);
    const subnetData = Object.entries<any>(json.data?.aws_subnet ?? {}).filter(([n]) => n.startsWith("quota-store"));
    expect(subnetData.map(([, d]) => d.id)).toEqual(net.subnetIds);
    for (const [n] of subnetData) expect(inVpc.condition).toContain(`data.aws_subnet.${n}.vpc_id`);
    expect(inVpc.error_message).toMatch(new RegExp(`^Every subnet of network\\.${REGION}\\.subnetIds must be in ${net.vpcId}\\.`));
  });

  it("an IAM-authenticated user (user name = user ID) allowed only the routers' commands on their keys, alone in the user group", () => {
    expect(user.props).toMatchObject({ user_id: names.quotaStoreUser("prod"), user_name: names.quotaStoreUser("prod"), engine: "valkey", authentication_mode: { type: "iam" } });
    const acl: string = user.props.access_string;
    expect(acl.split(" ")).toEqual(["on", `~${QUOTA_STORE_KEY_PREFIX}:*`, "-@all", ...QUOTA_STORE_COMMANDS.map((c) => `+${c}`)]);
    expect(acl).not.toMatch(/\+@all|~\*|allkeys|\+flushall|\+config/i);
    expect(group.props).toMatchObject({ user_group_id: names.quotaStoreUserGroup("prod"), engine: "valkey", user_ids: [ref("aws_elasticache_user", user.name, "user_id")] });
  });

  it("the baseline routing document names the endpoint, TLS, the cache and user to sign for, and passes the document schema", () => {
    const doc = baselineDocument(json);
    expect(doc.quotaStore).toEqual({
      host: "${" + `aws_elasticache_serverless_cache.${cache.name}.endpoint[0].address` + "}",
      port: SERVERLESS_CACHE_PORT,
      tls: true,
      iamAuth: { cacheName: names.quotaStoreCache("prod"), userId: names.quotaStoreUser("prod") },
      keyPrefix: QUOTA_STORE_KEY_PREFIX,
    });
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(json.output.quota_store.value).toMatchObject({ port: SERVERLESS_CACHE_PORT, user_id: ref("aws_elasticache_user", user.name, "user_id") });
  });

  it("every workload may elasticache:Connect to exactly each region's cache and user, in one statement", () => {
    const { json: account } = synthAccount(on);
    const expected = raw.regions.flatMap((r: string) => {
      const arn = `arn:aws:elasticache:${r}:${raw.account}`;
      return [`${arn}:serverlesscache:${names.quotaStoreCache("prod")}`, `${arn}:user:${names.quotaStoreUser("prod")}`];
    });
    expect(expected).toContain(`${ARN}:serverlesscache:${names.quotaStoreCache("prod")}`);
    for (const w of Object.keys(raw.workloads)) {
      const connect = workloadStatements(account, w).filter((s) => [s.Action].flat().some((a: string) => a.startsWith("elasticache:")));
      expect(connect).toEqual([{ Sid: "ConnectQuotaStore", Effect: "Allow", Action: ["elasticache:Connect"], Resource: expected }]);
    }
    const smoke = Object.values<any>(resources(account, "aws_iam_policy")).filter((p) => p.name.startsWith(names.smokePolicy("prod")));
    expect(smoke.length).toBeGreaterThan(0);
    expect(JSON.stringify(smoke)).not.toContain("elasticache");
  });

  it("the key lets ElastiCache use it for the cache, only through the service in this region", () => {
    const statements = JSON.parse(only(json, "aws_kms_key").props.policy).Statement;
    const st = statements.find((s: any) => s.Sid === "QuotaStoreThroughElastiCache");
    expect(st.Condition.StringEquals).toMatchObject({ "kms:ViaService": `elasticache.${REGION}.amazonaws.com`, "kms:CallerAccount": raw.account });
    expect(st.Action).toEqual(expect.arrayContaining(["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]));
  });

  it("one alarm on the routing clients' QuotaStoreDegraded records of the region, outside the rollback composite", () => {
    const alarms = Object.values<any>(resources(json, "aws_cloudwatch_metric_alarm"));
    const a = alarms.find((x) => x.alarm_name === names.alarm("prod", "quota-store", "degraded"));
    expect(a).toMatchObject({ threshold: 0, comparison_operator: "GreaterThanThreshold", evaluation_periods: 1 });
    const m = a.metric_query.find((q: any) => q.id === "m").metric;
    expect(m).toMatchObject({ metric_name: "QuotaStoreDegraded", dimensions: { Region: REGION }, stat: "Sum" });
    const composite = only(json, "aws_cloudwatch_composite_alarm").props.alarm_rule;
    expect(composite).not.toContain("quota-store");
  });
});

describe("variants", () => {
  it("off (the default): no cache, no user, no document field, no grant, no alarm", () => {
    const off = variant("prod", () => undefined);
    const { json: j } = synthRegion(off, REGION);
    for (const t of ["aws_elasticache_serverless_cache", "aws_elasticache_user", "aws_elasticache_user_group"]) expect(resources(j, t)).toEqual({});
    expect(baselineDocument(j).quotaStore).toBeUndefined();
    expect(j.output.quota_store).toBeUndefined();
    expect(JSON.stringify(resources(synthAccount(off).json, "aws_iam_policy"))).not.toContain("elasticache");
    expect(JSON.stringify(resources(j, "aws_cloudwatch_metric_alarm"))).not.toContain("QuotaStoreDegraded");
  });

  it("iamAuth false: no user or user group, no grant, the document says no token", () => {
    const noAuth = variant("prod", (c) => (c.quotaStore = { enabled: true, iamAuth: false }));
    const { json: j } = synthRegion(noAuth, REGION);
    expect(resources(j, "aws_elasticache_user")).toEqual({});
    expect(only(j, "aws_elasticache_serverless_cache").props.user_group_id).toBeUndefined();
    expect(baselineDocument(j).quotaStore.iamAuth).toBeUndefined();
    expect(JSON.stringify(resources(synthAccount(noAuth).json, "aws_iam_policy"))).not.toContain("elasticache:Connect");
  });

  it("AWS managed keys: the cache gets no kms_key_id; limits and engine version from the file", () => {
    const { json: j } = synthRegion(
      variant("prod", (c) => {
        c.encryption = { keys: "aws" };
        c.quotaStore = { enabled: true, majorEngineVersion: "7", maxDataStorageGb: 2, maxEcpuPerSecond: 5000 };
      }),
      REGION,
    );
    const c = only(j, "aws_elasticache_serverless_cache").props;
    expect(c.kms_key_id).toBeUndefined();
    expect(c).toMatchObject({ major_engine_version: "7", cache_usage_limits: [{ data_storage: [{ maximum: 2, unit: "GB" }], ecpu_per_second: [{ maximum: 5000 }] }] });
  });

  it("the ACL is built from the commands the routers send, on the key prefix only", () => {
    expect(quotaStoreAccessString("p")).toBe(`on ~p:* -@all ${QUOTA_STORE_COMMANDS.map((c) => `+${c}`).join(" ")}`);
  });
});
