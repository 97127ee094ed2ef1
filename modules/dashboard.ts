import { CloudwatchDashboard } from "./provider-aws";
import { Construct } from "constructs";
import { dashboardBodyText, type DashboardSpec } from "../core/observability";
import type { TpmQuotas } from "./tpm-quotas";
import type { ProfileRefs } from "../core/environment";

/** Properties of a ModelDashboard. */
export interface ModelDashboardProps {
  /** What to draw (core/observability/dashboard.ts). */
  readonly dashboard: DashboardSpec;
  /** The applied TPM quotas read at plan time, drawn as a line per model on the quota-usage graph. Default: none. */
  readonly quotas?: TpmQuotas;
  /** The stack's application profiles (Terraform references), for the lines of calls through them. Default: none. */
  readonly profiles?: ProfileRefs;
}

/**
 * A CloudWatch dashboard with invocations, tokens, latency, throttles, errors, quota usage and time to first token per
 * model, a primary-vs-canary row per canaried route, and with cost attribution the usage and estimated spend per workload.
 */
export class ModelDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboard.name,
      dashboardBody: dashboardBodyText(props.dashboard, (modelId) => props.quotas?.appliedInterpolation(modelId), props.profiles),
    });
  }
}
