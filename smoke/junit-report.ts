import type { CheckResult } from "./check-result";
import { xmlEscape } from "../core/problems";

// Shared with eval's JUnit report (core/problems/xml-text.ts); re-exported for smoke's callers.
export { xmlEscape };

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML: one testsuite per region (in `regions` order), one testcase per check. A failure carries its category as
 * `type` and the hint as `message`; a warning passes and says so in `system-out` (JUnit has no warning state).
 * `configuration` (region -> what its stack switches on, as the console's configuration line says it) becomes the
 * suite's `configuration` property, so a CI dashboard shows it beside the checks.
 */
export function junitXml(env: string, regions: readonly string[], results: readonly CheckResult[], wallMs: number, configuration: Readonly<Record<string, string>> = {}): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = results.filter((r) => r.verdict === "FAIL").length;
  lines.push(`<testsuites name="${xmlEscape(`bedrock-smoke ${env}`)}" tests="${results.length}" failures="${failures}" errors="0" time="${seconds(wallMs)}">`);
  const suites = [...regions, ...new Set(results.map((r) => r.region).filter((r) => !regions.includes(r)))];
  for (const region of suites) {
    const cases = results.filter((r) => r.region === region);
    if (cases.length === 0) continue;
    const time = cases.reduce((t, r) => Math.max(t, r.durationMs), 0);
    lines.push(
      `  <testsuite name="${xmlEscape(region)}" tests="${cases.length}" failures="${cases.filter((r) => r.verdict === "FAIL").length}" errors="0" skipped="0" time="${seconds(time)}">`,
    );
    if (Object.hasOwn(configuration, region)) lines.push(`    <properties><property name="configuration" value="${xmlEscape(configuration[region])}"/></properties>`);
    for (const r of cases) {
      const open = `    <testcase classname="${xmlEscape(`smoke.${env}.${region}.${r.kind}`)}" name="${xmlEscape(`${r.kind} ${r.subject}`)}" time="${seconds(r.durationMs)}"`;
      if (r.verdict === "FAIL") {
        lines.push(`${open}>`);
        lines.push(`      <failure message="${xmlEscape(r.hint)}" type="${xmlEscape(r.category ?? "other")}">${xmlEscape(failureBody(r))}</failure>`);
        lines.push("    </testcase>");
      } else if (r.verdict === "WARN") {
        lines.push(`${open}>`);
        lines.push(`      <system-out>${xmlEscape(`WARN ${r.outcome}: ${r.hint}`)}</system-out>`);
        lines.push("    </testcase>");
      } else {
        lines.push(`${open}/>`);
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

function failureBody(r: CheckResult): string {
  const parts = [`outcome: ${r.outcome}`];
  if (r.errorName) parts.push(`error: ${r.errorName}`);
  if (r.attempts?.length) parts.push(`attempts: ${r.attempts.length}`);
  parts.push(`hint: ${r.hint}`);
  return parts.join("\n");
}
