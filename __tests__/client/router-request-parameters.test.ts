import { curatedConstraints } from "../../core/catalog";
import { classifyError } from "../../core/runtime";
import { CATALOG, HAIKU, NOVA } from "../fixtures";
import { failure, messages, testDocument, useLocalEndpoint, wire } from "./fixtures";

// Model-aware requests over the wire: the route's temperature, topP, thinking and tool choice go out as the route says,
// and the local endpoint refuses what the shipped catalog says each model refuses, with Bedrock's ValidationException
// (local/request-constraints.ts), through the real SDK client.

const OPUS_55 = { modelId: "anthropic.claude-opus-5-5", invokeId: "global.anthropic.claude-opus-5-5" };
const SONNET_55 = { modelId: "anthropic.claude-sonnet-5-5", invokeId: "us.anthropic.claude-sonnet-5-5" };
const constraints = Object.fromEntries([HAIKU, NOVA, OPUS_55, SONNET_55].map((m) => [m.modelId, curatedConstraints(CATALOG.overlay.models[m.modelId])!]));
const local = useLocalEndpoint({ scenario: { requestConstraints: constraints } });

const tools = { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object", properties: {} } } } }] };

/** A router whose document adds the newer models and one route per case. */
function make(routes: Record<string, object>) {
  return local.make({
    document: testDocument((d) => {
      d.models[OPUS_55.modelId] = { invokeId: OPUS_55.invokeId, enabled: true };
      d.models[SONNET_55.modelId] = { invokeId: SONNET_55.invokeId, enabled: true };
      for (const [task, r] of Object.entries(routes)) d.routes[task] = { fallbacks: [], maxTokens: 64, ...r } as never;
    }),
  });
}

describe("requests a model refuses fail over the wire as in an account, and are never fallen back from", () => {
  it("the issue's case: temperature 0.2 on Opus 5.5 (thinking always on) is a ValidationException naming temperature", async () => {
    const { router, records } = make({ upgraded: { primary: OPUS_55.modelId, fallbacks: [NOVA.modelId], temperature: 0.2 } });
    const e = await failure(router.converse({ task: "upgraded", messages: messages() }));
    expect(e.classification).toMatchObject({ category: "configuration", cause: "request-parameter-refused" });
    expect((e.details.cause as Error).message).toBe("The model returned the following errors: `temperature` is deprecated for this model.");
    // The same payload fails on every model: no fallback to Nova.
    expect(wire(local.ep)).toEqual([[OPUS_55.invokeId, 400]]);
    expect(records[0]).toMatchObject({ Outcome: "configuration", Cause: "request-parameter-refused" });
  });

  it("temperature and topP together on Claude 4.5: Bedrock's own wording", async () => {
    const { router } = make({ both: { primary: HAIKU.modelId, temperature: 0.2, topP: 0.9 } });
    const e = await failure(router.converse({ task: "both", messages: messages() }));
    expect((e.details.cause as Error).message).toBe("The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.");
  });

  it("thinking the model cannot take is refused; thinking it takes is sent in the provider's field and answered", async () => {
    const { router } = make({ off: { primary: OPUS_55.modelId, thinking: { type: "disabled" } }, budget: { primary: HAIKU.modelId, maxTokens: 4096, thinking: { type: "enabled", budgetTokens: 1024 } } });
    const e = await failure(router.converse({ task: "off", messages: messages() }));
    expect((e.details.cause as Error).message).toMatch(/"thinking\.type\.disabled" is not supported for this model/);
    expect(classifyError(e.details.cause as Error).cause).toBe("request-parameter-refused");
    const ok = await router.converse({ task: "budget", messages: messages() });
    expect(ok.stopReason).toBe("end_turn");
    expect((await router.requestFor("budget", { messages: messages() })).additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 1024 } });
  });

  it("a forced tool choice: sent where the route declares it and the model takes it, refused where the model thinks", async () => {
    const { router } = make({ forced: { primary: HAIKU.modelId, toolChoice: "any" }, forcedNew: { primary: SONNET_55.modelId, toolChoice: "any" } });
    await router.converse({ task: "forced", messages: messages(), toolConfig: tools as never });
    expect((await router.requestFor("forced", { messages: messages(), toolConfig: tools as never })).toolConfig?.toolChoice).toEqual({ any: {} });
    const e = await failure(router.converse({ task: "forcedNew", messages: messages(), toolConfig: tools as never }));
    expect((e.details.cause as Error).message).toBe("The model returned the following errors: Thinking may not be enabled when tool_choice forces tool use.");
  });

  it("a forced choice the route does not declare is the caller's mistake, refused before any wire call", async () => {
    const { router, records } = make({});
    const e = await failure(router.converse({ task: "chat", messages: messages(), toolConfig: { ...tools, toolChoice: { any: {} } } as never }));
    expect(e.classification.category).toBe("caller");
    expect(e.message).toMatch(/a forced choice \(any\) must be the route's: route "chat" declares toolChoice auto; set routes\.chat\.toolChoice to "any"/);
    expect(wire(local.ep)).toEqual([]);
    expect(records[0]).toMatchObject({ Task: "chat", Outcome: "caller", Model: "none" });
    await expect(router.requestFor("chat", { messages: messages(), toolConfig: { tools: [] } as never })).rejects.toThrow(/toolConfig\.tools: must be a non-empty list/);
  });

  it("the stand-in refuses only what its constraints say: without them it accepts everything (as before)", async () => {
    const { router } = make({ reasoning: { primary: NOVA.modelId, thinking: { type: "adaptive" } } });
    const e = await failure(router.converse({ task: "reasoning", messages: messages() }));
    expect((e.details.cause as Error).message).toBe("Malformed input request: #: extraneous key [reasoningConfig] is not permitted, please reformat your input and try again.");
    local.ep.configure({ requestConstraints: {} });
    try {
      expect((await router.converse({ task: "reasoning", messages: messages() })).stopReason).toBe("end_turn");
    } finally {
      local.ep.configure({ requestConstraints: constraints });
    }
  });
});
