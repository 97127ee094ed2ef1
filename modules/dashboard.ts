import { CloudwatchDashboard } from "./provider-aws";
import { Construct } from "constructs";
import { dashboardBodyText, type DashboardSpec } from "../core/observability";
import type { TpmQuotas } from "./tpm-quotas";
import { type ProfileRefs, profileArnOf } from "../core/environment";

/** Properties of a ModelDashboard. */
export interface ModelDashboardProps {
  /** The region's dashboards, in order (core/observability/dashboard-split.ts), at least one. */
  readonly dashboards: readonly DashboardSpec[];
  /** The applied TPM quotas read at plan time, drawn as a line per model on the quota-usage graph. Default: none. */
  readonly quotas?: TpmQuotas;
  /** The stack's application profiles (Terraform references), for the lines of calls through them. Default: none. */
  readonly profiles?: ProfileRefs;
}

/**
 * A region's CloudWatch dashboards, rendered from the rows core computed: Bedrock's per-model graphs, a primary-vs-canary
 * row per canaried route, a row per route from the routing client's metrics, and with cost attribution the usage and
 * estimated spend per workload. The first keeps the construct ID (and
 * Terraform address) a single dashboard always had; further ones are `dashboard-2`, `dashboard-3`, ...
 */
export class ModelDashboard extends Construct {
  readonly dashboards: readonly CloudwatchDashboard[];

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    if (props.dashboards.length === 0) throw new Error("ModelDashboard needs at least one dashboard");
    this.dashboards = props.dashboards.map(
      (d) =>
        new CloudwatchDashboard(this, d.index === 1 ? "dashboard" : `dashboard-${d.index}`, {
          dashboardName: d.name,
          dashboardBody: dashboardBodyText(
            d,
            (modelId) => props.quotas?.appliedInterpolation(modelId),
            (workload, modelId) => profileArnOf(props.profiles, workload, modelId),
          ),
        }),
    );
  }

  /** The region's first dashboard. */
  get dashboard(): CloudwatchDashboard {
    return this.dashboards[0];
  }
}
