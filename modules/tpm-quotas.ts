import { Construct } from "constructs";
import { BEDROCK_SERVICE_CODE } from "../core/observability";
import { QUOTA_CODE_PATTERN } from "../core/aws";
import { DataAwsServicequotasServiceQuota } from "./provider-aws";
import { Op, Token } from "./terraform-cdk";

/** Properties of TpmQuotas. */
export interface TpmQuotasProps {
  /** Foundation-model ID -> tokens-per-minute quota code for the way the stack invokes it (models without one left out). */
  readonly codes: ReadonlyMap<string, string>;
  /** Further quota codes alarms read a share of (tokens per day, per model and cross-model). Default: none. */
  readonly otherCodes?: readonly string[];
}


/**
 * The applied tokens-per-minute quotas of the stack's models, read when Terraform plans (`aws_servicequotas_service_quota`,
 * service `bedrock`): alarm thresholds and the dashboard follow the account's real quota, and a raised quota moves them
 * at the next apply without a config change. One data source per distinct quota code. The snapshot's applied value is
 * deliberately not used here: it was read at the last sync, possibly for another account.
 */
export class TpmQuotas extends Construct {
  private readonly byModel = new Map<string, { code: string; quota: DataAwsServicequotasServiceQuota }>();
  private readonly byCode = new Map<string, DataAwsServicequotasServiceQuota>();

  constructor(scope: Construct, id: string, props: TpmQuotasProps) {
    super(scope, id);
    for (const [modelId, code] of props.codes) this.byModel.set(modelId, { code, quota: this.dataSource(code, `of ${modelId}`) });
    for (const code of props.otherCodes ?? []) this.dataSource(code, "");
  }

  /** The data source of a code, declared once however many models or alarms read it. */
  private dataSource(code: string, of: string): DataAwsServicequotasServiceQuota {
    // Anything but a quota code would be a bug upstream, never an expression.
    if (!QUOTA_CODE_PATTERN.test(code)) throw new Error(`refusing ${JSON.stringify(code)} as a Service Quotas code${of ? ` ${of}` : ""}`);
    let quota = this.byCode.get(code);
    if (!quota) {
      quota = new DataAwsServicequotasServiceQuota(this, code, { serviceCode: BEDROCK_SERVICE_CODE, quotaCode: code });
      this.byCode.set(code, quota);
    }
    return quota;
  }

  /** The quota code and data source of a model; undefined where no code is known. */
  quotaOf(modelId: string): { readonly code: string; readonly quota: DataAwsServicequotasServiceQuota } | undefined {
    return this.byModel.get(modelId);
  }

  /** `percent` % of a model's applied quota, as a Terraform expression evaluated at plan time. */
  shareOf(modelId: string, percent: number): number | undefined {
    const q = this.byModel.get(modelId);
    return q && Token.asNumber(Op.div(Op.mul(q.quota.value, percent), 100));
  }

  /** `percent` % of the applied value of a quota code declared here, as a Terraform expression evaluated at plan time. */
  shareOfCode(code: string, percent: number): number | undefined {
    const q = this.byCode.get(code);
    return q && Token.asNumber(Op.div(Op.mul(q.value, percent), 100));
  }

  /** The applied value as a Terraform interpolation (`${data.aws_servicequotas_service_quota.<name>.value}`). */
  appliedInterpolation(modelId: string): string | undefined {
    const q = this.byModel.get(modelId);
    return q && `\${${q.quota.fqn}.value}`;
  }
}
