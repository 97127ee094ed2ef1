import Ajv from "ajv-draft-04";
import { names } from "../../core/aws";
import { devPlan, prodPlan, rawConfig, variant } from "../fixtures";
import { only, ref, resources, synthAccount, synthGuardrailRefs, synthRegion } from "./fixtures";
import { regionStates, stateOutput } from "../../environment-check/synthesized-policies";

describe("guardrails in the region stacks", () => {
  const plan = prodPlan();
  const declared = rawConfig("prod").guardrails["customer-safety"];

  it.each(plan.config.regions)("prod %s: the declared guardrail with exactly its policies, and a published version of it", (region) => {
    const { json } = synthRegion(plan, region);
    const g = only(json, "aws_bedrock_guardrail");
    expect(g.props).toMatchObject({
      name: names.guardrail("prod", "customer-safety"),
      description: declared.description,
      blocked_input_messaging: declared.blockedInputMessaging,
      blocked_outputs_messaging: declared.blockedOutputsMessaging,
    });
    expect(g.props.content_policy_config).toEqual([
      {
        filters_config: declared.contentFilters.map((f: any) => ({ type: f.type, input_strength: f.inputStrength, output_strength: f.type === "PROMPT_ATTACK" ? "NONE" : f.inputStrength })),
      },
    ]);
    expect(g.props.topic_policy_config).toEqual([{ topics_config: declared.deniedTopics.map((t: any) => ({ name: t.name, definition: t.definition, examples: t.examples, type: "DENY" })) }]);
    expect(g.props.sensitive_information_policy_config).toEqual([{ pii_entities_config: declared.sensitiveInformation.piiEntities }]);
    expect(g.props.word_policy_config).toBeUndefined();

    const v = only(json, "aws_bedrock_guardrail_version");
    expect(v.props.guardrail_arn).toBe(ref("aws_bedrock_guardrail", g.name, "guardrail_arn"));
    expect(v.props.skip_destroy).toBe(true);
    // A change to the guardrail publishes the next version (replace, new one first); the bare address is what Terraform accepts.
    expect(v.props.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [`aws_bedrock_guardrail.${g.name}`] });
    expect(json.output.guardrails.value).toEqual({
      "customer-safety": { arn: ref("aws_bedrock_guardrail", g.name, "guardrail_arn"), id: ref("aws_bedrock_guardrail", g.name, "guardrail_id"), version: ref("aws_bedrock_guardrail_version", v.name, "version") },
    });
  });

  it("the guarded route's document entry, the validator and the workload policy reference that guardrail and version", () => {
    const { json } = synthRegion(plan, "eu-west-1");
    const refs = synthGuardrailRefs(json, plan)["customer-safety"];
    const doc = JSON.parse(only(json, "aws_appconfig_hosted_configuration_version").props.content);
    expect(doc.routes["customer-chat"].guardrail).toEqual({ name: "customer-safety", identifier: refs.arn, version: refs.version });
    // The validator pins the route's guardrail to the published version: without it, or with another, AppConfig refuses.
    const validate = new Ajv({ strict: false }).compile(JSON.parse(only(json, "aws_appconfig_configuration_profile").props.validator[0].content));
    const chat = doc.routes["customer-chat"];
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, routes: { ...doc.routes, "customer-chat": { ...chat, guardrail: undefined } } })).toBe(false);
    expect(validate({ ...doc, routes: { ...doc.routes, "customer-chat": { ...chat, guardrail: { ...chat.guardrail, version: "2" } } } })).toBe(false);
    // The workload's policy (the account stack's, for every region) applies the guardrail as this stack outputs it.
    expect(json.output.guardrails.value["customer-safety"]).toMatchObject({ arn: refs.arn, version: refs.version });
    const account = synthAccount(plan).json;
    const states = regionStates(account, plan);
    const policy = Object.values<any>(resources(account, "aws_iam_policy")).find((p) => p.name === names.workloadPolicy("prod", "support-bot"));
    expect(JSON.parse(policy.policy).Statement.find((s: any) => s.Sid === "ApplyRouteGuardrails").Resource).toEqual(plan.config.regions.map((r) => stateOutput(states[r], "guardrails.customer-safety.arn")));
  });

  it("an environment without guardrails creates none; policies a file leaves out are left out", () => {
    expect(resources(synthRegion(devPlan()).json, "aws_bedrock_guardrail")).toEqual({});
    const piiOnly = variant("dev", (c) => {
      c.guardrails = { pii: { sensitiveInformation: { regexes: [{ name: "ticket", pattern: "TCK-[0-9]{6}", action: "ANONYMIZE" }] } } };
      c.routes.classification.guardrail = "pii";
    });
    const g = only(synthRegion(piiOnly).json, "aws_bedrock_guardrail").props;
    expect(g.content_policy_config).toBeUndefined();
    expect(g.topic_policy_config).toBeUndefined();
    expect(g.sensitive_information_policy_config).toEqual([{ regexes_config: [{ name: "ticket", pattern: "TCK-[0-9]{6}", action: "ANONYMIZE" }] }]);
    expect(g.description).toBe("pii (environment dev, bedrock-access-baseline)");
  });
});
