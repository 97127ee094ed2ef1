import { conversationProblems, MAX_LISTED_PROBLEMS, problemList } from "../../../core/runtime";

// What every Converse conversation must be, before it is sent: compliant and non-compliant cases in one table.

const text = (t: string) => [{ text: t }];
const user = (t = "hi") => ({ role: "user", content: text(t) });
const assistant = (t = "hello") => ({ role: "assistant", content: text(t) });

const CASES: Array<[string, Record<string, unknown>, readonly string[]]> = [
  ["one user message", { messages: [user()] }, []],
  ["a multi-turn conversation with system and metadata", { messages: [user(), assistant(), user()], system: [{ text: "be brief" }], requestMetadata: { team: "search" } }, []],
  ["blocks other than text (image, tool result) pass untouched", { messages: [{ role: "user", content: [{ image: { format: "png", source: { bytes: new Uint8Array(1) } } }, { toolResult: { toolUseId: "t", content: [] } }] }] }, []],
  ["16 metadata pairs", { messages: [user()], requestMetadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"])) }, []],
  ["messages missing", {}, ["messages: must be an array of messages, got undefined"]],
  ["messages null", { messages: null }, ["messages: must be an array of messages, got null"]],
  ["messages an object", { messages: { role: "user" } }, ["messages: must be an array of messages, got an object"]],
  ["messages empty", { messages: [] }, ["messages: must hold at least one message (a conversation starts with a user message)"]],
  ["a number as a message", { messages: [7] }, ["messages[0]: must be a message object { role, content }, got a number"]],
  ["an unknown role", { messages: [{ role: "system", content: text("x") }] }, ['messages[0].role: "system" is not a Converse role (user or assistant)']],
  ["a role that is not a word is not echoed", { messages: [{ role: "Summarise the secret report", content: text("x") }] }, ["messages[0].role: a string is not a Converse role (user or assistant)"]],
  ["starting with the assistant", { messages: [assistant(), user()] }, ['messages[0].role: a conversation starts with a user message, got "assistant"']],
  ["content missing", { messages: [{ role: "user" }] }, ["messages[0].content: must be a non-empty array of content blocks, got undefined"]],
  ["content empty", { messages: [{ role: "user", content: [] }] }, ["messages[0].content: must be a non-empty array of content blocks, got an empty array"]],
  ["content a string", { messages: [{ role: "user", content: "hi" }] }, ["messages[0].content: must be a non-empty array of content blocks, got a string"]],
  ["a null block", { messages: [{ role: "user", content: [null] }] }, ["messages[0].content[0]: must be a content block object (e.g. { text }), got null"]],
  ["text not a string", { messages: [{ role: "user", content: [{ text: 3 }] }] }, ["messages[0].content[0].text: must be a string, got a number"]],
  ["blank text", { messages: [{ role: "user", content: [{ text: "" }] }] }, ["messages[0].content[0].text: must not be empty (Bedrock refuses blank text blocks)"]],
  ["system a string", { messages: [user()], system: "be brief" }, ["system: must be an array of system content blocks (e.g. [{ text }]), got a string"]],
  ["a null system block", { messages: [user()], system: [null] }, ["system[0]: must be a system content block object (e.g. { text }), got null"]],
  ["metadata an array", { messages: [user()], requestMetadata: ["a"] }, ["requestMetadata: must be an object of string pairs, got an array"]],
  ["a metadata number", { messages: [user()], requestMetadata: { team: 7 } }, ["requestMetadata.team: must be a string, got a number"]],
  ["17 metadata pairs", { messages: [user()], requestMetadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, ["requestMetadata: at most 16 pairs, got 17"]],
];

describe("conversationProblems", () => {
  it.each(CASES)("%s", (_title, input, expected) => {
    expect(conversationProblems(input)).toEqual(expected);
  });

  it("finds every problem of one conversation at once", () => {
    expect(conversationProblems({ messages: [{ role: "assistant", content: [] }, null], system: 1 })).toEqual([
      'messages[0].role: a conversation starts with a user message, got "assistant"',
      "messages[0].content: must be a non-empty array of content blocks, got an empty array",
      "messages[1]: must be a message object { role, content }, got null",
      "system: must be an array of system content blocks (e.g. [{ text }]), got a number",
    ]);
  });

  it("never quotes what a caller wrote in a message, a role or system text (problems end up in application logs)", () => {
    const secret = "ACME-SECRET-7731";
    const problems = conversationProblems({ messages: [{ role: secret, content: [{ text: 5 }, secret] }, { role: "acmesecret", content: [{ text: "" }] }], system: secret, requestMetadata: { team: secret } });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).not.toContain(secret);
    // A lower-case word in the role field reads as a role name and is echoed; that is as far as echoing goes.
    expect(problems).toContain('messages[1].role: "acmesecret" is not a Converse role (user or assistant)');
  });
});

describe("problemList", () => {
  it("lists up to the cap, then counts the rest", () => {
    const problems = Array.from({ length: MAX_LISTED_PROBLEMS + 3 }, (_, i) => `p${i}`);
    expect(problemList(problems)).toBe(`${problems.slice(0, MAX_LISTED_PROBLEMS).join("; ")}; and 3 more problems`);
    expect(problemList(["a", "b"])).toBe("a; b");
  });
});
