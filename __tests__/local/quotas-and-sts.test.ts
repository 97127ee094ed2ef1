import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ListServiceQuotasCommand } from "@aws-sdk/client-service-quotas";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type LocalEndpoint } from "../../local/endpoint";
import { bedrock, caught, serviceQuotas, sts, userMessage } from "./clients";
import { useEndpoint } from "./fixtures";

const HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const ROLE = "arn:aws:iam::210987654321:role/bedrock-smoke";

let ep: LocalEndpoint;
useEndpoint(
  {
    scenario: {
      quotas: {
        "us-east-1": [
          { code: "L-58BE175A", name: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", value: 5_000_000 },
          { code: "L-CCA5DF70", name: "Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5", value: 10_000 },
        ],
      },
    },
  },
  (e) => (ep = e),
);

describe("Service Quotas", () => {
  it("returns the applied quota in the real response shape", async () => {
    const res = await serviceQuotas(ep.url).send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-58BE175A" }));
    expect(res.Quota).toEqual({
      ServiceCode: "bedrock",
      ServiceName: "Amazon Bedrock",
      QuotaArn: "arn:aws:servicequotas:us-east-1:123456789012:bedrock/L-58BE175A",
      QuotaCode: "L-58BE175A",
      QuotaName: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5",
      Value: 5_000_000,
      Unit: "None",
      Adjustable: true,
      GlobalQuota: false,
      QuotaAppliedAtLevel: "ACCOUNT",
    });
    expect(ep.calls[0]).toMatchObject({ service: "servicequotas", operation: "GetServiceQuota", status: 200 });
  });

  it("answers NoSuchResourceException for an unknown code and for a region without seeds", async () => {
    const unknown = await caught(() => serviceQuotas(ep.url).send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-00000000" })));
    expect(unknown.name).toBe("NoSuchResourceException");
    expect(unknown.$metadata?.httpStatusCode).toBe(400);
    const otherRegion = await caught(() =>
      serviceQuotas(ep.url, "eu-west-1").send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-58BE175A" })),
    );
    expect(otherRegion.name).toBe("NoSuchResourceException");
  });

  it("lists quotas page by page", async () => {
    ep.seedQuotas("us-west-2", [
      { code: "L-1", name: "one", value: 1 },
      { code: "L-2", name: "two", value: 2 },
      { code: "L-3", name: "three", value: 3 },
    ]);
    const client = serviceQuotas(ep.url, "us-west-2");
    const p1 = await client.send(new ListServiceQuotasCommand({ ServiceCode: "bedrock", MaxResults: 2 }));
    expect(p1.Quotas?.map((q) => q.QuotaCode)).toEqual(["L-1", "L-2"]);
    expect(p1.NextToken).toBeDefined();
    const p2 = await client.send(new ListServiceQuotasCommand({ ServiceCode: "bedrock", MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.Quotas?.map((q) => q.QuotaCode)).toEqual(["L-3"]);
    expect(p2.NextToken).toBeUndefined();
    const empty = await serviceQuotas(ep.url, "ap-south-1").send(new ListServiceQuotasCommand({ ServiceCode: "bedrock" }));
    expect(empty.Quotas).toEqual([]);
  });

  it("re-seeding a code updates it; the AWS default can differ from the applied value", async () => {
    ep.seedQuotas("ca-central-1", [{ code: "L-9", name: "nine", value: 0, defaultValue: 400_000 }]);
    ep.seedQuotas("ca-central-1", [{ code: "L-9", name: "nine", value: 100, defaultValue: 400_000 }]);
    const client = serviceQuotas(ep.url, "ca-central-1");
    expect((await client.send(new GetServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-9" }))).Quota?.Value).toBe(100);
    expect((await client.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: "bedrock", QuotaCode: "L-9" }))).Quota?.Value).toBe(400_000);
  });
});

describe("STS", () => {
  it("AssumeRole issues ASIA keys; later calls signed with them are attributed to the role", async () => {
    const res = await sts(ep.url).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "smoke-1" }));
    const c = res.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toBeTruthy();
    expect(c.SessionToken).toBeTruthy();
    expect(c.Expiration!.getTime()).toBeGreaterThan(Date.now());
    expect(res.AssumedRoleUser?.Arn).toBe("arn:aws:sts::210987654321:assumed-role/bedrock-smoke/smoke-1");
    expect(res.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]+:smoke-1$/);

    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await sts(ep.url, "us-east-1", creds).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: "210987654321", Arn: res.AssumedRoleUser?.Arn });

    await bedrock(ep.url, "us-east-2", { credentials: creds }).send(
      new ConverseCommand({ modelId: HAIKU, messages: userMessage("hi"), inferenceConfig: { maxTokens: 1 } }),
    );
    const calls = ep.calls;
    expect(calls[0]).toMatchObject({ service: "sts", operation: "AssumeRole", principal: "arn:aws:iam::123456789012:user/local" });
    expect(calls.at(-1)).toMatchObject({
      service: "bedrock-runtime",
      region: "us-east-2",
      accessKeyId: c.AccessKeyId,
      principal: ROLE,
      status: 200,
    });
  });

  it("names the assumed-role session in Bedrock SCP denials", async () => {
    const c = (await sts(ep.url).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ci" }))).Credentials!;
    ep.inject({ modelId: HAIKU, fault: "scp-denied", destinationRegion: "us-west-2" });
    const err = await caught(() =>
      bedrock(ep.url, "us-east-1", { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }).send(
        new ConverseCommand({ modelId: HAIKU, messages: userMessage("hi") }),
      ),
    );
    expect(err.message).toMatch(/^User: arn:aws:sts::210987654321:assumed-role\/bedrock-smoke\/ci is not authorized/);
  });

  it("refuses a denied role with AccessDenied error XML", async () => {
    ep.denyAssumeRole(ROLE);
    const err = await caught(() => sts(ep.url).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "x1" })));
    expect(err.name).toBe("AccessDenied");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(`User: arn:aws:iam::123456789012:user/local is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`);
    ep.reset();
    await expect(sts(ep.url).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "x1" }))).resolves.toBeDefined();
  });

  it("rejects assumed keys used without their session token", async () => {
    const c = (await sts(ep.url).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "x2" }))).Credentials!;
    const err = await caught(() =>
      sts(ep.url, "us-east-1", { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! }).send(new GetCallerIdentityCommand({})),
    );
    expect(err.name).toBe("InvalidClientTokenId");
  });

  it("identifies static keys as an IAM user", async () => {
    const who = await sts(ep.url).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/local", UserId: expect.stringMatching(/^AIDA/) });
  });
});
