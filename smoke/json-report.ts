import type { ServiceEndpoint } from "../cli/aws-endpoints";
import type { SecurityPosture } from "../core/environment";
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
    /** As given, with any user name and password redacted. */
    readonly endpointUrl?: string;
  };
  /** Where each service's calls went, as the SDK resolved it (`AWS`, or the URL and where it was configured). */
  readonly endpoints: readonly ServiceEndpoint[];
  /** Region -> the security controls its stack provisions (organization guard, invocation logging, endpoints, KMS), from the manifest. */
  readonly configuration: Readonly<Record<string, SecurityPosture>>;
  readonly summary: Summary;
  readonly checks: readonly CheckResult[];
}

export function jsonReport(args: { options: SmokeOptions; endpoints: readonly ServiceEndpoint[]; configuration?: Readonly<Record<string, SecurityPosture>>; regions: readonly string[]; startedAt: Date; wallMs: number; exitCode: number; results: readonly CheckResult[] }): JsonReport {
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
      ...(o.endpointShown ? { endpointUrl: o.endpointShown } : {}),
    },
    endpoints: args.endpoints,
    configuration: args.configuration ?? {},
    summary: summarize(args.results),
    checks: sortResults(args.results, args.regions),
  };
}
