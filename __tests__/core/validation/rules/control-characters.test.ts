import { controlCharacters } from "../../../../core/validation/rules/control-characters";
import { ruleTable } from "./rule-table";

const guardrail = (g: object) => (e: any) => {
  e.guardrails = { safety: { contentFilters: [{ type: "HATE", inputStrength: "HIGH" }], ...g } };
  e.routes.chat.guardrail = "safety";
};
const backend = (keyPrefix: string) => (e: any) => (e.backend = { s3: { bucket: "team-state", region: "us-east-1", keyPrefix } });

ruleTable(controlCharacters, [
  { name: "printable text everywhere", edit: backend("teams/bedrock"), problems: [] },
  { name: "non-ASCII text and a surrogate pair", edit: guardrail({ blockedInputMessaging: "Désolé 🙏, cette demande est refusée." }), problems: [] },
  { name: "line breaks in a guardrail's message and topic definition", edit: guardrail({ blockedOutputsMessaging: "Sorry.\nAsk support.", deniedTopics: [{ name: "Advice", definition: "Investment\r\nadvice", examples: ["Buy?\tSell?"] }] }), problems: [] },
  { name: "a newline in backend.s3.keyPrefix", edit: backend("teams\nbedrock"), problems: [{ path: "backend.s3.keyPrefix", message: "holds U+000A (a control character) at character 6, which AWS does not take in text" }] },
  { name: "NUL in backend.s3.keyPrefix", edit: backend("a\u0000b"), problems: [{ path: "backend.s3.keyPrefix", message: "holds U+0000 (a control character) at character 2, which AWS does not take in text" }] },
  { name: "an escape sequence in a guardrail message", edit: guardrail({ blockedInputMessaging: "\u001b[2JNo." }), problems: [{ path: "guardrails.safety.blockedInputMessaging", message: "holds U+001B (a control character) at character 1, which AWS does not take in text" }] },
  { name: "half a surrogate pair in a topic example", edit: guardrail({ deniedTopics: [{ name: "Advice", definition: "Investment advice", examples: ["ok", "x\ud800"] }] }), problems: [{ path: "guardrails.safety.deniedTopics[0].examples[1]", message: "holds U+D800 (half of a surrogate pair) at character 2, which AWS does not take in text" }] },
  { name: "a C1 control in a regex name", edit: guardrail({ sensitiveInformation: { regexes: [{ name: "id\u0085", pattern: "ID-[0-9]+" }] } }), problems: [{ path: "guardrails.safety.sensitiveInformation.regexes[0].name", message: "holds U+0085 (a control character) at character 3, which AWS does not take in text" }] },
  { name: "a tab in a model's facts name", edit: (e) => e.models.push({ id: "example.new-model-v1:0", facts: { name: "New\tModel", geographies: ["us"] } }), problems: [{ path: "models[2].facts.name", message: "holds U+0009 (a control character) at character 4, which AWS does not take in text" }] },
  { name: "a budget scope tag value is the tag rule's", edit: (e) => (e.budget.scope = { tagKey: "team", tagValue: "a\u0001" }), problems: [] },
]);
