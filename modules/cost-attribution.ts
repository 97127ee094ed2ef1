import { Construct } from "constructs";
import type { AccountCost } from "../core/baseline";
import { MonthlyBudget } from "./budget";
import { type AwsProvider, BcmdataexportsExport, CeCostAllocationTag } from "./provider-aws";

/** Properties of CostAttribution. */
export interface CostAttributionProps {
  /** What to create (core/baseline/account-baseline.ts). */
  readonly cost: AccountCost;
  /** Account the budgets cover. */
  readonly account: string;
  /** The environment's budget topic, which the workload budgets publish to. */
  readonly budgetTopicArn: string;
  /** The provider in the billing APIs' region (Cost Explorer and Data Exports answer there only). */
  readonly billingProvider: AwsProvider;
}

/**
 * An environment's account-wide cost attribution (docs/cost.md): the workload tag activated as a cost allocation tag
 * (aws_ce_cost_allocation_tag; activation is not retroactive and takes up to 24 hours to show, and only an
 * organization's management account can do it), a monthly budget per workload that asks for one, filtered on that tag,
 * and optionally a CUR 2.0 export with IAM-principal allocation data (aws_bcmdataexports_export).
 */
export class CostAttribution extends Construct {
  readonly tag?: CeCostAllocationTag;
  /** Workload name -> its budget. */
  readonly budgets: ReadonlyMap<string, MonthlyBudget>;
  readonly export?: BcmdataexportsExport;

  constructor(scope: Construct, id: string, props: CostAttributionProps) {
    super(scope, id);
    const c = props.cost;
    if (c.activateTag !== undefined) this.tag = new CeCostAllocationTag(this, "tag", { tagKey: c.activateTag, status: "Active", provider: props.billingProvider });
    this.budgets = new Map(
      c.budgets.map((b) => [
        b.workload,
        // Derived from the workload name, not the position, so reordering workloads keeps every Terraform address.
        new MonthlyBudget(this, `budget-${b.workload}`, { budgetName: b.budgetName, topicArn: props.budgetTopicArn, account: props.account, settings: b.settings, emails: b.emails }),
      ]),
    );
    const e = c.export;
    if (e)
      this.export = new BcmdataexportsExport(this, "cur2", {
        provider: props.billingProvider,
        export: [
          {
            name: e.name,
            description: e.description,
            dataQuery: [{ queryStatement: e.query, tableConfigurations: structuredClone(e.tableConfigurations) as Record<string, Record<string, string>> }],
            destinationConfigurations: [
              {
                s3Destination: [
                  {
                    s3Bucket: e.bucket,
                    s3Prefix: e.prefix,
                    s3Region: e.bucketRegion,
                    s3OutputConfigurations: [{ compression: "PARQUET", format: "PARQUET", outputType: "CUSTOM", overwrite: "OVERWRITE_REPORT" }],
                  },
                ],
              },
            ],
            refreshCadence: [{ frequency: "SYNCHRONOUS" }],
          },
        ],
      });
  }
}
