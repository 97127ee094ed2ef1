import type { RouteRequest } from "../../client/router";
import { HAIKU, NOVA } from "../fixtures";
import { failure, messages, useLocalEndpoint, wire } from "./fixtures";

// A malformed request is the caller's mistake: its own category (`caller`), cause and hint, an EMF record with
// Outcome `caller`, no wire call where the router can tell up front, and never "model failure", a hint about model
// IDs or a raw TypeError. Over the wire against the local endpoint.

const local = useLocalEndpoint();

/** Requests an application could send by mistake (JavaScript callers, or TypeScript through `any`). */
const MISTAKES: Array<[string, unknown, RegExp]> = [
  ["messages: []", { task: "summarization", messages: [] }, /messages: must hold at least one message/],
  ["messages: null", { task: "summarization", messages: null }, /messages: must be an array of messages, got null/],
  ["no messages at all", { task: "summarization" }, /messages: must be an array of messages, got undefined/],
  ["messages as a string", { task: "summarization", messages: "hello" }, /messages: must be an array of messages, got a string/],
  ["a first message with an unknown role", { task: "summarization", messages: [{ role: "system", content: [{ text: "hi" }] }] }, /messages\[0\]\.role: "system" is not a Converse role \(user or assistant\)/],
  ["a conversation starting with the assistant", { task: "summarization", messages: [{ role: "assistant", content: [{ text: "hi" }] }] }, /messages\[0\]\.role: a conversation starts with a user message/],
  ["a message without content", { task: "summarization", messages: [{ role: "user" }] }, /messages\[0\]\.content: must be a non-empty array of content blocks/],
  ["empty content", { task: "summarization", messages: [{ role: "user", content: [] }] }, /messages\[0\]\.content: must be a non-empty array of content blocks/],
  ["a null content block", { task: "summarization", messages: [{ role: "user", content: [null] }] }, /messages\[0\]\.content\[0\]: must be a content block object/],
  ["an empty text block", { task: "summarization", messages: [{ role: "user", content: [{ text: "" }] }] }, /messages\[0\]\.content\[0\]\.text: must not be empty/],
  ["a null message", { task: "summarization", messages: [null] }, /messages\[0\]: must be a message object/],
  ["system as a string", { task: "summarization", messages: messages(), system: "be brief" }, /system: must be an array of system content blocks/],
  ["requestMetadata with a number", { task: "summarization", messages: messages(), requestMetadata: { team: 7 } }, /requestMetadata\.team: must be a string/],
  ["task missing", { messages: messages() }, /task: must be a non-empty string naming a route/],
  ["task as a number", { task: 42, messages: messages() }, /task: must be a non-empty string naming a route/],
  ["deadlineMs negative", { task: "summarization", messages: messages(), deadlineMs: -5 }, /deadlineMs: must be a positive number of milliseconds/],
  ["deadlineMs not a number", { task: "summarization", messages: messages(), deadlineMs: "soon" }, /deadlineMs: must be a positive number of milliseconds/],
  ["requestKey as an object", { task: "summarization", messages: messages(), requestKey: { user: 1 } }, /requestKey: must be a string/],
];

describe("caller mistakes are the caller's", () => {
  it.each(MISTAKES)("%s: category caller with its own hint, no wire call, one EMF record with Outcome caller", async (_label, request, problem) => {
    for (const streaming of [false, true]) {
      const { router, records } = local.make();
      local.ep.clearCalls();
      const call = streaming ? router.converseStream(request as RouteRequest) : router.converse(request as RouteRequest);
      const e = await failure(call);
      expect(e.classification).toMatchObject({ category: "caller", cause: "invalid-request", retryable: false, errorName: "InvalidRequest" });
      expect(e.details).toMatchObject({ attempts: 0, routerCause: "invalid-request" });
      expect(e.message).toMatch(problem);
      // The hint speaks to the calling code, never of models, model IDs or the environment's configuration.
      expect(e.hint).toMatch(/calling code/);
      expect(e.hint).not.toMatch(/model ID|config\/<env>|inference profile|toggle/i);
      expect(wire(local.ep)).toEqual([]);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ Outcome: "caller", Cause: "invalid-request", Model: "none", Attempts: 0, Streaming: streaming });
      // The record never carries what the caller sent.
      expect(JSON.stringify(records[0])).not.toMatch(/hello|be brief|system/);
    }
  });

  it("every problem of one request is named at once, long lists capped with a count", async () => {
    const { router } = local.make();
    const bad = { task: "", messages: [{ role: "assistant", content: [] }, ...Array.from({ length: 30 }, () => null)], deadlineMs: 0 };
    const e = await failure(router.converse(bad as unknown as RouteRequest));
    expect(e.message).toMatch(/task: must be a non-empty string/);
    expect(e.message).toMatch(/messages\[0\]\.role: a conversation starts with a user message/);
    expect(e.message).toMatch(/messages\[0\]\.content: must be a non-empty array/);
    expect(e.message).toMatch(/deadlineMs: must be a positive number/);
    expect(e.message).toMatch(/and \d+ more problems/);
    expect(e.message.length).toBeLessThan(1200);
  });

  it("a call that is not even an object is refused the same way, not with a TypeError", async () => {
    const { router, records } = local.make();
    for (const request of [null, undefined, "summarization", 42]) {
      const e = await failure(router.converse(request as unknown as RouteRequest));
      expect(e.classification.category).toBe("caller");
      expect(e.message).toMatch(/the request must be an object \{ task, messages, \.\.\. \}/);
    }
    expect(records.map((r) => r.Outcome)).toEqual(["caller", "caller", "caller", "caller"]);
    // The task field of a record is the routed task or "(unknown)": never an arbitrary caller string.
    expect(new Set(records.map((r) => r.Task))).toEqual(new Set(["(unknown)"]));
  });

  it("requestFor refuses a malformed conversation and a model the route does not have as the caller's mistakes", async () => {
    const { router } = local.make();
    const e1 = await failure(router.requestFor("summarization", { messages: [] }));
    expect(e1.classification).toMatchObject({ category: "caller", cause: "invalid-request" });
    const e2 = await failure(router.requestFor("summarization", { messages: messages() }, "amazon.titan-text-express-v1"));
    expect(e2.classification).toMatchObject({ category: "caller", cause: "not-a-candidate" });
    expect(e2.message).toMatch(/amazon\.titan-text-express-v1 is not an enabled candidate of route "summarization"/);
    expect(e2.hint).toContain(HAIKU.modelId);
  });

  it("a conversation Bedrock itself refuses (roles that do not alternate) is classified as the caller's, not as configuration", async () => {
    const { router, records } = local.make();
    // Two user turns in a row: the router leaves role order past the first message to Bedrock, which refuses it
    // (the local endpoint answers with Bedrock's ValidationException wording).
    const e = await failure(router.converse({ task: "summarization", messages: [...messages(), ...messages("again")] }));
    expect(e.classification).toMatchObject({ category: "caller", cause: "invalid-conversation", retryable: false, errorName: "ValidationException" });
    expect(e.hint).toMatch(/calling code/);
    expect(e.hint).not.toMatch(/model ID|config\/<env>/);
    // Raised at once: the same conversation fails on every model, so no fallback is tried.
    expect(wire(local.ep)).toEqual([[HAIKU.invokeId, 400]]);
    expect(records[0]).toMatchObject({ Outcome: "caller", Cause: "invalid-conversation", Model: HAIKU.modelId });
  });

  it("a well-formed request still routes (the check refuses nothing valid: assistant turns, tool results, system, metadata)", async () => {
    const { router } = local.make();
    const r = await router.converse({
      task: "pair",
      system: [{ text: "Answer briefly." }],
      requestMetadata: { team: "search" },
      messages: [
        { role: "user", content: [{ text: "What is 2+2?" }] },
        { role: "assistant", content: [{ text: "4" }] },
        { role: "user", content: [{ text: "And 3+3?" }] },
      ],
      deadlineMs: 30_000,
      requestKey: "user-1",
    });
    expect(r.servedBy).toEqual(NOVA);
  });
});
