/**
 * What a Converse conversation must look like before it is worth sending, checked on the caller's side so a malformed
 * request is reported as the caller's mistake (not a model failure or a configuration hint) without a wire call.
 * Shapes from the Converse API reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * (messages: role user|assistant, content a list of ContentBlock; system a list of SystemContentBlock; requestMetadata
 * at most 16 string pairs). Only what every model requires is checked here: rules that differ by model (role
 * alternation, which content block kinds a model takes) are left to Bedrock, whose ValidationException about the
 * conversation the error classification also files as the caller's.
 */

/** Converse's roles. */
export const CONVERSE_ROLES: readonly string[] = ["user", "assistant"];

/** Most requestMetadata pairs Converse accepts. */
export const MAX_REQUEST_METADATA_PAIRS = 16;

/** Most problems one check lists before it says how many more there are. */
export const MAX_LISTED_PROBLEMS = 8;

/** One line per problem of a conversation (`messages`, `system`, `requestMetadata`), each naming its path; empty when well-formed. */
export function conversationProblems(input: { readonly messages?: unknown; readonly system?: unknown; readonly requestMetadata?: unknown }): string[] {
  return [...messagesProblems(input.messages), ...systemProblems(input.system), ...metadataProblems(input.requestMetadata)];
}

/** The problems as one message: the first MAX_LISTED_PROBLEMS, then a count of the rest. */
export function problemList(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS).join("; ");
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return more > 0 ? `${shown}; and ${more} more problems` : shown;
}

/** How a value reads in a problem line: its kind, never its content (it may be a prompt). */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return "a string";
  if (typeof v === "object") return "an object";
  return typeof v === "undefined" ? "undefined" : `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function messagesProblems(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [`messages: must be an array of messages, got ${kindOf(messages)}`];
  if (messages.length === 0) return ["messages: must hold at least one message (a conversation starts with a user message)"];
  const out: string[] = [];
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (!isObject(m)) {
      out.push(`${at}: must be a message object { role, content }, got ${kindOf(m)}`);
      return;
    }
    if (typeof m.role !== "string" || !CONVERSE_ROLES.includes(m.role)) {
      // Echo a role only when it reads like a role name (system, tool, human): anything else may be content pasted into
      // the wrong field, and error messages end up in application logs.
      const shown = typeof m.role === "string" && /^[a-z]{1,16}$/.test(m.role) ? `"${m.role}"` : kindOf(m.role);
      out.push(`${at}.role: ${shown} is not a Converse role (user or assistant)`);
    } else if (i === 0 && m.role !== "user") out.push(`${at}.role: a conversation starts with a user message, got "${m.role}"`);
    out.push(...contentProblems(m.content, `${at}.content`));
  });
  return out;
}

function contentProblems(content: unknown, at: string): string[] {
  if (!Array.isArray(content) || content.length === 0) return [`${at}: must be a non-empty array of content blocks, got ${Array.isArray(content) ? "an empty array" : kindOf(content)}`];
  const out: string[] = [];
  content.forEach((block, j) => {
    if (!isObject(block)) out.push(`${at}[${j}]: must be a content block object (e.g. { text }), got ${kindOf(block)}`);
    else if ("text" in block && typeof block.text !== "string") out.push(`${at}[${j}].text: must be a string, got ${kindOf(block.text)}`);
    else if ("text" in block && block.text === "") out.push(`${at}[${j}].text: must not be empty (Bedrock refuses blank text blocks)`);
  });
  return out;
}

function systemProblems(system: unknown): string[] {
  if (system === undefined) return [];
  if (!Array.isArray(system)) return [`system: must be an array of system content blocks (e.g. [{ text }]), got ${kindOf(system)}`];
  return system.flatMap((block, j) => (isObject(block) ? [] : [`system[${j}]: must be a system content block object (e.g. { text }), got ${kindOf(block)}`]));
}

function metadataProblems(metadata: unknown): string[] {
  if (metadata === undefined) return [];
  if (!isObject(metadata)) return [`requestMetadata: must be an object of string pairs, got ${kindOf(metadata)}`];
  const entries = Object.entries(metadata);
  // Keys are labels Bedrock writes to invocation logs anyway; a long or odd one is not echoed.
  const out = entries.filter(([, v]) => typeof v !== "string").map(([k, v]) => `requestMetadata.${/^[\w-]{1,64}$/.test(k) ? k : "(a key)"}: must be a string, got ${kindOf(v)}`);
  if (entries.length > MAX_REQUEST_METADATA_PAIRS) out.push(`requestMetadata: at most ${MAX_REQUEST_METADATA_PAIRS} pairs, got ${entries.length}`);
  return out;
}
