/** The evaluation wing of core (docs/evaluation.md): golden sets, checks, judge, statistics, gate, report, evidence. */
export * from "./answer-checks";
export * from "./cost";
export * from "./evidence";
export * from "./gate";
export * from "./golden-parse";
export * from "./golden-set";
export * from "./judge";
export * from "./plan";
export * from "./report";
export * from "./report-render";
export * from "./sample";
export * from "./statistics";
