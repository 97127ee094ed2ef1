import { closest, docRef, jsonPath, type Problem, quote, quoteList } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** Every guardrail a route names is declared; a declared guardrail no route uses is a warning (each stack still creates it). */
export const guardrailReferences: EnvironmentRule = {
  name: "guardrail-references",
  description: "routes name declared guardrails, and every declared guardrail is used",
  stage: "draft",
  check({ draft: d }) {
    const problems: Problem[] = [];
    const referenced = new Set<string>();
    for (const [task, r] of Object.entries(d.routes)) {
      if (r.guardrail === undefined) continue;
      referenced.add(r.guardrail);
      if (d.guardrailNames.has(r.guardrail)) continue;
      const near = closest(r.guardrail, d.guardrailNames, { max: 1 });
      problems.push({
        path: jsonPath(["routes", task, "guardrail"]),
        message: `unknown guardrail ${quote(r.guardrail)}`,
        fix: near.length ? `did you mean ${quote(near[0])}?` : d.guardrailNames.size ? `use one of: ${quoteList([...d.guardrailNames])}` : `declare it in "guardrails": {${quote(r.guardrail)}: {...}} (${docRef("docs/configuration.md", "Guardrails per route")})`,
      });
    }
    for (const g of d.guardrailNames)
      if (!referenced.has(g) && Object.hasOwn(d.guardrails, g))
        problems.push({ path: jsonPath(["guardrails", g]), message: "no route uses it, yet every region stack creates and publishes it", fix: `reference it with "guardrail": ${quote(g)} on a route, or remove it`, severity: "warning" });
    return problems;
  },
};
