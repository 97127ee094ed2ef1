import { type CheckResult, type Summary, sortResults, summarize } from "./check-result";
import type { SmokeOptions } from "./options";

/** Everything one run measured, for `--json`. Prompts and replies are never in it (only a <=40-char reply sample in hints). */
export interface JsonReport {
  readonly reportVersion: 1;
  readonly environment: string;
  readonly regions: readonly string[];
  readonly startedAt: string;
  readonly wallMs: number;
  readonly exitCode: number;
  readonly settings: {
    readonly stream: boolean;
    readonly concurrency: number;
    readonly timeoutMs: number;
    readonly deadlineMs: number;
    readonly roleArn?: string;
    readonly endpointUrl?: string;
  };
  readonly summary: Summary;
  readonly checks: readonly CheckResult[];
}

export function jsonReport(args: { options: SmokeOptions; regions: readonly string[]; startedAt: Date; wallMs: number; exitCode: number; results: readonly CheckResult[] }): JsonReport {
  const o = args.options;
  return {
    reportVersion: 1,
    environment: o.env,
    regions: args.regions,
    startedAt: args.startedAt.toISOString(),
    wallMs: Math.round(args.wallMs),
    exitCode: args.exitCode,
    settings: {
      stream: o.stream,
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
      deadlineMs: o.deadlineMs,
      ...(o.roleArn ? { roleArn: o.roleArn } : {}),
      ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}),
    },
    summary: summarize(args.results),
    checks: sortResults(args.results, args.regions),
  };
}
