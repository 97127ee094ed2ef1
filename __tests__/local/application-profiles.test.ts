import { GetInferenceProfileCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { type LocalEndpoint, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { bedrock, bedrockControl, destroyClients, userMessage } from "./clients";

// Application inference profiles on the stand-in: created by seeding (as aws_bedrock_inference_profile would), listed
// and described by the control plane, and accepted as a Converse modelId, served as the invoke ID they copy.

const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
let ep: LocalEndpoint;

beforeAll(async () => {
  ep = await startLocalEndpoint({ onDemandModelIds: ["amazon.nova-lite-v1:0"] });
});
afterAll(async () => {
  destroyClients();
  await ep.close();
});
beforeEach(() => {
  ep.reset();
  ep.clearCalls();
});

describe("application inference profiles", () => {
  it("a seeded profile has an ARN in the region and account, is listed as APPLICATION and described with its models", async () => {
    const p = ep.seedApplicationProfile("us-east-1", { name: "bedrock-prod-support-bot-haiku", copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}` });
    expect(p).toEqual({ name: "bedrock-prod-support-bot-haiku", id: expect.stringMatching(/^[a-z0-9]{12}$/), arn: `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/${p.id}`, copies: `us.${HAIKU}` });
    const control = bedrockControl(ep.url);
    const listed = (await control.send(new ListInferenceProfilesCommand({ typeEquals: "APPLICATION" }))).inferenceProfileSummaries ?? [];
    expect(listed.map((x) => [x.inferenceProfileName, x.inferenceProfileArn, x.type])).toEqual([["bedrock-prod-support-bot-haiku", p.arn, "APPLICATION"]]);
    const got = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: p.arn }));
    expect(got.models?.map((m) => m.modelArn)).toEqual([`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`]);
  });

  it("Converse with the profile's ARN is served as the profile it copies; a fault script for either ID matches", async () => {
    const p = ep.seedApplicationProfile("us-east-1", { name: "copy-of-haiku", copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}` });
    const runtime = bedrock(ep.url);
    const out = await runtime.send(new ConverseCommand({ modelId: p.arn, messages: userMessage("hi"), inferenceConfig: { maxTokens: 4 } }));
    expect(out.stopReason).toBe("max_tokens");
    ep.inject({ modelId: `us.${HAIKU}`, fault: "throttle", times: 1 });
    await expect(runtime.send(new ConverseCommand({ modelId: p.arn, messages: userMessage("hi"), inferenceConfig: { maxTokens: 4 } }))).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(ep.calls.map((c) => [c.modelId, c.servedAs, c.status])).toEqual([
      [p.arn, `us.${HAIKU}`, 200],
      [p.arn, `us.${HAIKU}`, 429],
    ]);
  });

  it("a copy of a foundation model is served on demand where the model is; an unknown profile ARN is refused like an unknown model", async () => {
    const nova = ep.seedApplicationProfile("us-east-1", { name: "copy-of-nova", copyFrom: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0" });
    const runtime = bedrock(ep.url);
    await expect(runtime.send(new ConverseCommand({ modelId: nova.arn, messages: userMessage("hi"), inferenceConfig: { maxTokens: 4 } }))).resolves.toMatchObject({ stopReason: "max_tokens" });
    const unknown = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzzzzzzzzzzz";
    await expect(runtime.send(new ConverseCommand({ modelId: unknown, messages: userMessage("hi"), inferenceConfig: { maxTokens: 4 } }))).rejects.toMatchObject({ name: "ValidationException", message: "The provided model identifier is invalid." });
    // Another region's profile does not exist in this one.
    const west = ep.seedApplicationProfile("us-west-2", { name: "copy-of-haiku", copyFrom: `arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.${HAIKU}` });
    await expect(runtime.send(new ConverseCommand({ modelId: west.arn, messages: userMessage("hi"), inferenceConfig: { maxTokens: 4 } }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("refuses a seed that is not a profile AWS could create", () => {
    expect(() => ep.seedApplicationProfile("us-east-1", { name: "two..dots", copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` })).toThrow(ScenarioError);
    expect(() => ep.seedApplicationProfile("us-east-1", { name: "ok", copyFrom: "us.anthropic.claude" })).toThrow(/must be a system inference profile or foundation-model ARN/);
  });
});
