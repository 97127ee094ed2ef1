import { describeRange, intersectRanges, requestViolations, thinkingOn, type RequestConstraints } from "../../../core/catalog";
import { CATALOG } from "../../fixtures";
import { curatedConstraints } from "../../../core/catalog";

// The pure judge every command shares (synth, toggle, eval, smoke, the local endpoint): what a model refuses of a request.

const codes = (modelId: string, params: object, c: RequestConstraints | undefined) => requestViolations(modelId, params, c).map((v) => v.code);
const shipped = (id: string) => curatedConstraints(CATALOG.overlay.models[id]);

describe("request constraints", () => {
  it("intersects ranges, an empty intersection being `unset`", () => {
    expect(intersectRanges({ min: 0, max: 1 }, { min: 0.95, max: 1 })).toEqual({ min: 0.95, max: 1 });
    expect(intersectRanges({ min: 0, max: 0.5 }, { min: 1, max: 1 })).toBe("unset");
    expect(intersectRanges("unset", { min: 0, max: 1 })).toBe("unset");
    expect(describeRange("temperature", { min: 1, max: 1 })).toBe("temperature 1 only");
    expect(describeRange("topP", { min: 0, max: 1 })).toBe("topP from 0 to 1");
  });

  it("thinking is the request's type, else the model's default", () => {
    expect(thinkingOn({}, { thinking: { default: "on", types: ["adaptive"] } })).toBe(true);
    expect(thinkingOn({ thinking: { type: "disabled" } }, { thinking: { default: "on", types: ["adaptive", "disabled"] } })).toBe(false);
    expect(thinkingOn({}, undefined)).toBe(false);
  });

  it("while an Anthropic model thinks: temperature 1 only, topP 0.95 to 1, no forced tool use; other providers keep their ranges", () => {
    const c: RequestConstraints = { temperature: { min: 0, max: 1 }, topP: { min: 0, max: 1 }, thinking: { default: "on", types: ["adaptive", "disabled"] }, forcedToolUse: true };
    expect(codes("anthropic.x-v1:0", { temperature: 0.2 }, c)).toEqual(["temperature-range"]);
    expect(codes("anthropic.x-v1:0", { temperature: 1, topP: 0.96 }, c)).toEqual([]);
    expect(codes("anthropic.x-v1:0", { topP: 0.9 }, c)).toEqual(["topP-range"]);
    expect(codes("anthropic.x-v1:0", { toolChoice: "any" }, c)).toEqual(["forced-tool-use-thinking"]);
    expect(codes("anthropic.x-v1:0", { toolChoice: "any", thinking: { type: "disabled" }, temperature: 0.2 }, c)).toEqual([]);
    expect(codes("amazon.x-v1:0", { temperature: 0.2, toolChoice: "any" }, c)).toEqual([]);
  });

  it("the shipped catalog refuses what the models' sources say they refuse", () => {
    expect(codes("anthropic.claude-opus-5-5", { temperature: 0.2 }, shipped("anthropic.claude-opus-5-5"))).toEqual(["temperature-unset"]);
    expect(codes("anthropic.claude-opus-5-5", { thinking: { type: "disabled" } }, shipped("anthropic.claude-opus-5-5"))).toEqual(["thinking-always-on"]);
    expect(codes("anthropic.claude-opus-5-5", { toolChoice: "tool" }, shipped("anthropic.claude-opus-5-5"))).toEqual(["forced-tool-use"]);
    expect(codes("anthropic.claude-opus-4-7", { thinking: { type: "enabled", budgetTokens: 2048 }, maxTokens: 4096 }, shipped("anthropic.claude-opus-4-7"))).toEqual(["thinking-type"]);
    expect(codes("anthropic.claude-haiku-5-5", { temperature: 1 }, shipped("anthropic.claude-haiku-5-5"))).toEqual([]);
    expect(codes("anthropic.claude-haiku-5-5", { temperature: 0.5 }, shipped("anthropic.claude-haiku-5-5"))).toEqual(["temperature-range"]);
    expect(codes("anthropic.claude-sonnet-4-5-20250929-v1:0", { temperature: 0.2, topP: 0.9 }, shipped("anthropic.claude-sonnet-4-5-20250929-v1:0"))).toEqual(["temperature-with-top-p"]);
    expect(codes("amazon.nova-pro-v1:0", { temperature: 0.2, topP: 0.9, toolChoice: "any" }, shipped("amazon.nova-pro-v1:0"))).toEqual([]);
    expect(codes("amazon.nova-pro-v1:0", { thinking: { type: "adaptive" } }, shipped("amazon.nova-pro-v1:0"))).toEqual(["thinking-none"]);
  });

  it("every current Claude and Nova model of the shipped catalog states each constraint with its Converse support", () => {
    const current = Object.keys(CATALOG.overlay.models).filter((id) => !CATALOG.overlay.models[id].endOfLife);
    const missing = current.flatMap((id) => (["converse", "temperature", "topP", "thinking", "forcedToolUse"] as const).filter((k) => shipped(id)?.[k] === undefined).map((k) => `${id}.${k}`));
    expect(missing).toEqual([]);
  });

  it("a model Converse does not serve is an error; unknown facts are warnings, never errors", () => {
    expect(requestViolations("x.y-v1:0", {}, { converse: "unsupported" })).toEqual([expect.objectContaining({ parameter: "converse", code: "converse-unsupported" })]);
    const unknown = requestViolations("x.y-v1:0", { temperature: 0.3, thinking: { type: "adaptive" } }, undefined);
    expect(unknown.map((v) => [v.code, v.severity])).toEqual([
      ["thinking-unknown", "warning"],
      ["temperature-unknown", "warning"],
    ]);
  });
});
