import { names, partitionOf } from "../aws";
import { attributesCost, type BaselinePlan, type BudgetConfig, type EnvironmentConfig, workloadBudgetEmails } from "../environment";

/** One workload budget the account stack creates. */
export interface WorkloadBudgetSpec {
  readonly workload: string;
  readonly budgetName: string;
  /** Limit and alerts, scoped to the workload's cost allocation tag. */
  readonly settings: BudgetConfig;
  readonly emails: readonly string[];
}

/** The CUR 2.0 export the account stack creates (AWS Data Exports). */
export interface CostExportSpec {
  readonly name: string;
  readonly description: string;
  /** The SQL the export runs over the COST_AND_USAGE_REPORT table: explicit columns (the API refuses `SELECT *`). */
  readonly query: string;
  /** COST_AND_USAGE_REPORT table properties, IAM-principal allocation data on. */
  readonly tableConfigurations: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly bucket: string;
  readonly prefix: string;
  readonly bucketRegion: string;
}

/** What the account stack adds for cost attribution, computed once in core (modules/account-stack.ts renders it). */
export interface AccountCost {
  /** The region of the billing APIs' endpoint (Cost Explorer, Data Exports answer in one region per partition). */
  readonly billingRegion: string;
  /** The cost allocation tag key to activate; undefined when the environment activates it elsewhere. */
  readonly activateTag?: string;
  readonly budgets: readonly WorkloadBudgetSpec[];
  readonly export?: CostExportSpec;
}

/**
 * CUR 2.0 columns for chargeback per workload: when, which account, which Bedrock usage, its unblended cost, the
 * resource tags (the workload tag of the application profiles) and the calling principal (`line_item_iam_principal`,
 * https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html).
 */
export const CUR_COLUMNS = [
  "bill_billing_period_start_date",
  "line_item_usage_start_date",
  "line_item_usage_end_date",
  "line_item_usage_account_id",
  "line_item_line_item_type",
  "line_item_product_code",
  "line_item_usage_type",
  "line_item_operation",
  "line_item_resource_id",
  "line_item_usage_amount",
  "line_item_unblended_cost",
  "line_item_iam_principal",
  "resource_tags",
] as const;

/**
 * Cost Explorer and Data Exports are served from one region per partition (us-east-1 for `aws`; UNCONFIRMED for
 * GovCloud, assumed us-gov-west-1): https://docs.aws.amazon.com/general/latest/gr/billing.html.
 */
export function billingRegionOf(region: string): string {
  return partitionOf(region) === "aws-us-gov" ? "us-gov-west-1" : "us-east-1";
}

function exportOf(c: EnvironmentConfig): CostExportSpec | undefined {
  const e = c.costAttribution.export;
  if (!e) return undefined;
  return {
    name: names.costExport(c.name),
    description: `CUR 2.0 with IAM principal allocation data for Bedrock chargeback (environment ${c.name}, bedrock-access-baseline)`,
    query: `SELECT ${CUR_COLUMNS.join(", ")} FROM COST_AND_USAGE_REPORT`,
    tableConfigurations: {
      COST_AND_USAGE_REPORT: {
        TIME_GRANULARITY: e.granularity,
        INCLUDE_RESOURCES: "TRUE",
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
        // "Include caller identity (IAM principal) allocation data" (since 2026-04-09); the property's API name is
        // UNCONFIRMED beyond third-party exports (docs/cost.md).
        INCLUDE_IAM_PRINCIPAL_DATA: "TRUE",
      },
    },
    bucket: e.bucket,
    prefix: e.prefix,
    bucketRegion: e.bucketRegion,
  };
}

/** The account stack's cost attribution: workload budgets, the tag's activation, the CUR 2.0 export. */
export function accountCost(plan: BaselinePlan): AccountCost | undefined {
  if (!attributesCost(plan)) return undefined;
  const c = plan.config;
  const tagKey = c.costAttribution.tagKey;
  const budgets = Object.entries(c.workloads).flatMap(([workload, w]): WorkloadBudgetSpec[] =>
    w.budget
      ? [
          {
            workload,
            budgetName: names.workloadBudget(c.name, workload),
            settings: { monthlyUsd: w.budget.monthlyUsd, alerts: w.budget.alerts, scope: { tagKey, tagValue: workload } },
            emails: workloadBudgetEmails(c, w.budget),
          },
        ]
      : [],
  );
  const cur = exportOf(c);
  return { billingRegion: billingRegionOf(c.regions[0]), ...(c.costAttribution.activateTag ? { activateTag: tagKey } : {}), budgets, ...(cur ? { export: cur } : {}) };
}
