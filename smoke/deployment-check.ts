import { GetDeploymentCommand, ListApplicationsCommand, ListDeploymentsCommand, ListEnvironmentsCommand } from "@aws-sdk/client-appconfig";
import { type CheckRow, failedRow, type RowBase } from "./check-result";
import { type RegionContext, send } from "./check-context";
import { DeadlineExceeded, sleep } from "../cli/deadline";
import { listAllPages } from "../cli/paged-listing";
import { phaseOf, pollDelayMs, undoReason } from "./deployment-state";
import { serviceFailure } from "./service-failure";

/** `bedrock-dev/dev/routing`: how rows name the AppConfig profile. */
export function profileLabel(ctx: RegionContext): string {
  const a = ctx.manifest.appConfig;
  return `${a.application}/${a.environment}/${a.profile}`;
}

/**
 * The latest deployment of the routing profile, through the control plane (names resolved to IDs with
 * ListApplications/ListEnvironments). Terraform's deployment resource does not wait
 * (https://github.com/hashicorp/terraform-provider-aws/pull/20288), so an
 * in-progress deployment is awaited here, bounded by the run deadline; ROLLED_BACK/REVERTED fails with the reason
 * from the event log.
 */
export async function deploymentCheck(ctx: RegionContext): Promise<CheckRow> {
  const base: RowBase = { region: ctx.region, kind: "deployment", subject: profileLabel(ctx) };
  const names = ctx.manifest.appConfig;
  const client = ctx.clients.appConfig;
  let action = "appconfig:ListApplications";
  try {
    const appId = await findId(names.application, (NextToken) => send(ctx, (abortSignal) => client.send(new ListApplicationsCommand({ NextToken }), { abortSignal })));
    if (!appId) return missing(base, `AppConfig application ${names.application} does not exist in ${ctx.region}: deploy the stack (cdktf deploy '${ctx.manifest.stack}')`);
    action = "appconfig:ListEnvironments";
    const envId = await findId(names.environment, (NextToken) => send(ctx, (abortSignal) => client.send(new ListEnvironmentsCommand({ ApplicationId: appId, NextToken }), { abortSignal })));
    if (!envId) return missing(base, `AppConfig environment ${names.environment} of ${names.application} does not exist in ${ctx.region}: deploy the stack (cdktf deploy '${ctx.manifest.stack}')`);

    action = "appconfig:ListDeployments";
    let latest: { DeploymentNumber?: number; State?: string; ConfigurationVersion?: string } | undefined;
    const { items } = await listAllPages((NextToken) => send(ctx, (abortSignal) => client.send(new ListDeploymentsCommand({ ApplicationId: appId, EnvironmentId: envId, NextToken }), { abortSignal })).then((p) => ({ items: p.Items, nextToken: p.NextToken })));
    for (const d of items)
      if ((d.ConfigurationName === undefined || d.ConfigurationName === names.profile) && (d.DeploymentNumber ?? 0) > (latest?.DeploymentNumber ?? 0)) latest = d;
    if (!latest?.DeploymentNumber)
      return missing(base, `profile ${names.profile} was never deployed to ${names.environment} in ${ctx.region}: deploy the stack (its aws_appconfig_deployment starts the first deployment)`);

    action = "appconfig:GetDeployment";
    const number = latest.DeploymentNumber;
    const get = () => send(ctx, (abortSignal) => client.send(new GetDeploymentCommand({ ApplicationId: appId, EnvironmentId: envId, DeploymentNumber: number }), { abortSignal }));
    let d = await get();
    let waitedMs = 0;
    for (let poll = 0; phaseOf(d.State) === "in-progress"; poll++) {
      // Terraform returned while the deployment runs; the new document is not (fully) live yet. Wait, within the deadline.
      const wait = Math.min(pollDelayMs(poll), Math.max(1, ctx.deadline.remainingMs()));
      await sleep(wait, ctx.deadline);
      waitedMs += wait;
      d = await get();
    }
    const deployment = { number, state: d.State ?? "UNKNOWN", ...(d.ConfigurationVersion ? { configurationVersion: d.ConfigurationVersion } : {}) };
    const waited = waitedMs > 0 ? ` after waiting ${(waitedMs / 1000).toFixed(1)} s` : "";
    switch (phaseOf(d.State)) {
      case "complete":
        return { ...base, verdict: "PASS", outcome: "ok", hint: `deployment #${number} (version ${d.ConfigurationVersion ?? "?"}) COMPLETE${waited}`, deployment };
      case "undone": {
        const reason = undoReason(d.EventLog ?? []) ?? "no reason in the event log";
        return {
          ...base,
          verdict: "FAIL",
          outcome: d.State === "REVERTED" ? "reverted" : "rolled-back",
          category: "deployment",
          hint: `deployment #${number} (version ${d.ConfigurationVersion ?? "?"}) ended ${d.State}${waited} (${reason}): the previous document is still live; fix what tripped it (alarm or content), then redeploy`,
          deployment: { ...deployment, reason },
        };
      }
      default:
        return { ...base, verdict: "FAIL", outcome: "unknown-state", category: "deployment", hint: `deployment #${number} is in state ${d.State ?? "(none)"}, which smoke does not know`, deployment };
    }
  } catch (err) {
    if (err instanceof DeadlineExceeded) throw err;
    const f = serviceFailure(err, { action, region: ctx.region, declaredRegions: ctx.declaredRegions });
    return failedRow(base, f, { message: f.message });
  }
}

function missing(base: RowBase, hint: string): CheckRow {
  return { ...base, verdict: "FAIL", outcome: "not-deployed", category: "configuration", hint };
}

/** ID of the item named `name`, across the pages of a List call (a token that comes back ends it: cli/paged-listing.ts). */
async function findId(name: string, list: (nextToken: string | undefined) => Promise<{ Items?: { Id?: string; Name?: string }[]; NextToken?: string }>): Promise<string | undefined> {
  const { items } = await listAllPages((token) => list(token).then((p) => ({ items: p.Items, nextToken: p.NextToken })), { until: (i) => i.Name === name && !!i.Id });
  return items.find((i) => i.Name === name && i.Id)?.Id;
}
