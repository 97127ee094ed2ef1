import { GuardrailContentFilterType, GuardrailFilterStrength, GuardrailPiiEntityType, GuardrailSensitiveInformationAction } from "@aws-sdk/client-bedrock";
import { CONTENT_FILTER_TYPES, FILTER_STRENGTHS, guardrailSchema, outputStrengthOf, PII_ENTITY_TYPES, SENSITIVE_ACTIONS } from "../../../core/environment";
import { ROUTE_SERVICE_TIERS } from "../../../core/runtime";
import { ServiceTierType } from "@aws-sdk/client-bedrock-runtime";

describe("the guardrail subset matches the Bedrock API's enums", () => {
  it("content filter types, strengths, PII entity types and actions are the SDK's (less NONE as an action)", () => {
    expect([...CONTENT_FILTER_TYPES].sort()).toEqual(Object.values(GuardrailContentFilterType).sort());
    expect([...FILTER_STRENGTHS].sort()).toEqual(Object.values(GuardrailFilterStrength).sort());
    expect([...PII_ENTITY_TYPES].sort()).toEqual(Object.values(GuardrailPiiEntityType).sort());
    expect([...SENSITIVE_ACTIONS, "NONE"].sort()).toEqual(Object.values(GuardrailSensitiveInformationAction).sort());
  });

  it("route tiers are the runtime's ServiceTierType less reserved", () => {
    expect([...ROUTE_SERVICE_TIERS, "reserved"].sort()).toEqual(Object.values(ServiceTierType).sort());
  });
});

describe("guardrail defaults", () => {
  it("output strength follows the input strength, except the prompt-attack filter (prompts only)", () => {
    const g = guardrailSchema.parse({ contentFilters: [{ type: "HATE", inputStrength: "MEDIUM" }, { type: "PROMPT_ATTACK", inputStrength: "HIGH" }, { type: "INSULTS", inputStrength: "LOW", outputStrength: "HIGH" }] });
    expect(g.contentFilters.map(outputStrengthOf)).toEqual(["MEDIUM", "NONE", "HIGH"]);
  });

  it("sensitive-information actions default to BLOCK", () => {
    const g = guardrailSchema.parse({ sensitiveInformation: { piiEntities: [{ type: "EMAIL" }], regexes: [{ name: "ticket", pattern: "TCK-[0-9]+" }] } });
    expect(g.sensitiveInformation.piiEntities[0].action).toBe("BLOCK");
    expect(g.sensitiveInformation.regexes[0].action).toBe("BLOCK");
  });
});
