import { validateEnvironment } from "../../../core/validation";
import { foundationModelArn, invocation, isBareModelId, modelIdOf, geographiesFor } from "../../../core/aws";
import { CATALOG, HAIKU } from "../../fixtures";


describe("region to geography", () => {
  it.each([
    ["us-east-1", ["us"]],
    ["us-west-2", ["us"]],
    ["eu-central-1", ["eu"]],
    ["ap-northeast-1", ["jp", "apac"]],
    ["ap-southeast-2", ["au", "apac"]],
    ["ap-south-1", ["apac"]],
    ["us-gov-west-1", ["us-gov"]],
    ["sa-east-1", []],
  ])("%s -> %j", (region, geos) => expect(geographiesFor(region)).toEqual(geos));
});

describe("invocation derivation", () => {
  const base = { modelId: HAIKU.modelId, region: "eu-west-1", account: "123456789012" };

  it("geo: prefixed invoke ID and the profile ARN in the source region and account", () => {
    const inv = invocation({ ...base, kind: "geo", geography: "eu" });
    expect(inv.invokeId).toBe(`eu.${HAIKU.modelId}`);
    expect(inv.profileArn).toBe(`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${HAIKU.modelId}`);
  });

  it("global: global. prefix, profile still in the source region", () => {
    const inv = invocation({ ...base, kind: "global" });
    expect(inv.invokeId).toBe(`global.${HAIKU.modelId}`);
    expect(inv.profileArn).toContain(":eu-west-1:123456789012:inference-profile/global.");
  });

  it("on-demand: bare ID and no profile", () => {
    const inv = invocation({ ...base, kind: "on-demand" });
    expect(inv.invokeId).toBe(HAIKU.modelId);
    expect(inv.profileArn).toBeUndefined();
  });

  it("foundation-model ARNs: regional, wildcard-region and region-less forms", () => {
    expect(foundationModelArn("us-east-1", HAIKU.modelId)).toBe(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU.modelId}`);
    expect(foundationModelArn("", HAIKU.modelId, "aws")).toBe(`arn:aws:bedrock:::foundation-model/${HAIKU.modelId}`);
    expect(foundationModelArn("us-gov-west-1", HAIKU.modelId)).toMatch(/^arn:aws-us-gov:/);
  });

  it.each([
    [HAIKU.modelId, true],
    [`us.${HAIKU.modelId}`, false],
    [`global.${HAIKU.modelId}`, false],
    [`arn:aws:bedrock:us-east-1:1:inference-profile/us.${HAIKU.modelId}`, false],
  ])("isBareModelId(%s) = %s", (id, bare) => expect(isBareModelId(id)).toBe(bare));

  it("modelIdOf strips prefixes and ARNs", () => {
    expect(modelIdOf(`apac.${HAIKU.modelId}`)).toBe(HAIKU.modelId);
    expect(modelIdOf(`arn:aws:bedrock:us-east-1:1:inference-profile/us.${HAIKU.modelId}`)).toBe(HAIKU.modelId);
  });

  it("a Tokyo stack prefers jp. and an explicit geography overrides it", () => {
    const doc = (geography?: string) => ({
      name: "t", account: "123456789012", regions: ["ap-northeast-1"],
      models: [{ id: HAIKU.modelId, ...(geography ? { geography } : {}) }],
      routes: { chat: { primary: HAIKU.modelId, maxTokens: 100 } },
      budget: { monthlyUsd: 10 },
    });
    expect(validateEnvironment(doc(), "t.json", { catalog: CATALOG }).invocations["ap-northeast-1"][HAIKU.modelId].invokeId).toBe(`jp.${HAIKU.modelId}`);
    expect(validateEnvironment(doc("apac"), "t.json", { catalog: CATALOG }).invocations["ap-northeast-1"][HAIKU.modelId].invokeId).toBe(`apac.${HAIKU.modelId}`);
  });
});
