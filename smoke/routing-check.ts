import type { RoutingDocument } from "../core/runtime";
import { RoutingSource } from "../client/routing-source";
import { type CheckRow, failedRow, type RowBase } from "./check-result";
import type { RegionContext } from "./check-context";
import { abortable, DeadlineExceeded } from "../cli/deadline";
import { profileLabel } from "./deployment-check";
import { differingPaths } from "./document-drift";
import { serviceFailure } from "./service-failure";

/** The routing row, and the deployed document when it could be read and is valid. */
export interface RoutingCheckResult {
  readonly row: CheckRow;
  readonly document?: RoutingDocument;
}

/**
 * Reads the deployed routing document exactly as the routing client does (AppConfigData session + token, core schema)
 * and compares it with the document synth produced. A difference is a toggle made in AppConfig: reported as drift
 * (WARN), since the next apply keeps it unless the code's own document changes. An invalid document fails.
 */
export async function routingCheck(ctx: RegionContext): Promise<RoutingCheckResult> {
  const base: RowBase = { region: ctx.region, kind: "routing", subject: profileLabel(ctx) };
  const a = ctx.manifest.appConfig;
  const source = new RoutingSource(ctx.clients.appConfigData, { application: a.application, environment: a.environment, profile: a.profile }, a.pollIntervalSeconds);
  const signal = ctx.deadline.callSignal(ctx.timeoutMs);
  const polled = await abortable(source.poll(signal), signal).catch((e: unknown) => {
    if (e instanceof DeadlineExceeded) throw e;
    return { kind: "failed" as const, error: e as Error };
  });
  ctx.deadline.throwIfExpired();

  switch (polled.kind) {
    case "failed": {
      const f = serviceFailure(polled.error, { action: "appconfig:StartConfigurationSession/GetLatestConfiguration", region: ctx.region, declaredRegions: ctx.declaredRegions });
      return { row: failedRow(base, { ...f, hint: `${f.hint}; probing the synthesized document's models instead` }, { message: f.message }) };
    }
    case "unchanged":
      return { row: { ...base, verdict: "FAIL", outcome: "empty-document", category: "routing-document", hint: "AppConfig returned no content for the routing profile: no deployed version; deploy the stack" } };
    case "invalid":
      return {
        row: {
          ...base,
          verdict: "FAIL",
          outcome: "invalid-document",
          category: "routing-document",
          hint: `the deployed routing document is invalid (${polled.reason}); clients keep their last good copy, new ones get nothing: deploy a valid version`,
        },
      };
    case "updated": {
      const drift = differingPaths(polled.document, ctx.manifest.routingDocument);
      const version = polled.versionLabel ? ` (version ${polled.versionLabel})` : "";
      if (drift.length === 0) return { document: polled.document, row: { ...base, verdict: "PASS", outcome: "ok", hint: `deployed document${version} matches the synthesized one` } };
      return {
        document: polled.document,
        row: {
          ...base,
          verdict: "WARN",
          outcome: "drift",
          category: "routing-document",
          drift,
          hint: `deployed document${version} differs from the synthesized one at ${drift.join(", ")}: a toggle made in AppConfig (cdktf deploy keeps it unless the code's document changes); probing the deployed routes`,
        },
      };
    }
  }
}
