import { jsonPath, type Problem } from "../../problems";
import type { Draft } from "../draft";
import type { EnvironmentRule } from "../rule";

/*
 * Every string of the environment file reaches an AWS API or a Terraform file (names, descriptions, messages, ARNs,
 * state keys). JSON lets a file carry control characters ("\u0000", "\u001b[2J") and unpaired surrogates ("\ud800")
 * that no AWS API takes as text: S3 object keys name them "characters to avoid"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), and the APIs take UTF-8, which has no
 * unpaired surrogate (https://www.rfc-editor.org/rfc/rfc3629#section-3). Apply would reject them, or store a name
 * no one can type. The strings checked are those that parsed: a string whose own form (ID, ARN, region, email) is
 * checked by the schema cannot hold them, so nothing is reported twice; tags (and the budget's tag scope) follow the
 * tag rule.
 */

/** C0 controls, DEL, C1 controls, and surrogates without their pair. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
/** Free text shown to people (guardrail messages and definitions) may break lines. */
const LINE_BREAKS = /[\t\n\r]/g;
const FREE_TEXT = /^guardrails\.[^.]+\.(description|blockedInputMessaging|blockedOutputsMessaging|deniedTopics\.\d+\.(definition|examples\.\d+)|sensitiveInformation\.regexes\.\d+\.description)$/;

/** The parsed sections, keyed as in the file (tags and the budget's tag scope left to the tag rule). */
function sections(d: Draft): Record<string, unknown> {
  return {
    name: d.name,
    account: d.account,
    metricsNamespace: d.metricsNamespace,
    models: d.models,
    routes: d.routes,
    workloads: Object.fromEntries(d.workloads.map((w) => [w.name, w.fields])),
    guardrails: d.guardrails,
    alarms: d.alarms,
    budget: { ...d.budget, scope: undefined },
    appConfig: d.appConfig,
    smoke: d.smoke,
    catalog: d.catalog,
    organizationGuard: d.organizationGuard,
    network: d.network,
    privateEndpoints: d.privateEndpoints,
    invocationLogging: d.invocationLogging,
    encryption: d.encryption,
    observability: d.observability,
    backend: d.backend,
  };
}

function describe(ch: string): string {
  const code = ch.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")} (${code >= 0xd800 && code <= 0xdfff ? "half of a surrogate pair" : "a control character"})`;
}

function walk(value: unknown, at: PropertyKey[], out: Problem[]): void {
  if (typeof value === "string") {
    const plain = FREE_TEXT.test(at.join(".")) ? value.replace(LINE_BREAKS, " ") : value;
    const bad = FORBIDDEN.exec(plain);
    if (bad) out.push({ path: jsonPath(at), message: `holds ${describe(bad[0])} at character ${bad.index + 1}, which AWS does not take in text`, fix: "remove it (write the text with printable characters only)" });
  } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...at, k], out);
}

/** No string of the file holds a control character or half a surrogate pair (line breaks allowed in free text). */
export const controlCharacters: EnvironmentRule = {
  name: "control-characters",
  description: "no string holds a control character or an unpaired surrogate (guardrail messages and definitions may break lines)",
  stage: "draft",
  check({ draft }) {
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(sections(draft))) walk(value, [key], problems);
    return problems;
  },
};
