import { Construct } from "constructs";
import * as path from "node:path";
import { App, DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, TerraformStack } from "./terraform-cdk";
import { partitionOf } from "../core/aws";
import { regionSecurity } from "../core/baseline";
import { applicationProfiles, type BaselinePlan, type EnvironmentConfig } from "../core/environment";
import type { ApplyTimeRefs, EnvironmentRefs } from "../core/iam";
import { localStateFile } from "./provider-and-backend";

/** Properties of RegionStateRefs. */
export interface RegionStateRefsProps {
  readonly plan: BaselinePlan;
  /** The region stacks to read, by region. */
  readonly regionStacks: ReadonlyArray<{ readonly region: string; readonly stackName: string }>;
}

/**
 * The apply-time values of an environment's region stacks, read from their Terraform state (`terraform_remote_state`,
 * https://developer.hashicorp.com/terraform/language/state/remote-state-data) with the backend each region stack
 * uses (modules/provider-and-backend.ts). It reads outputs the region stacks already had before the environment-wide
 * IAM layout (appconfig_*_id, guardrails, kms_key_arn, vpc_endpoint_ids; with cost attribution, which creates the
 * application profiles there, application_profile_arns_by_name), so during an upgrade the account stack can
 * be applied first (docs/scale.md#upgrading-from-per-region-policies).
 */
export class RegionStateRefs extends Construct {
  /** Region -> the references the policies use. */
  readonly refs: EnvironmentRefs;

  constructor(scope: Construct, id: string, props: RegionStateRefsProps) {
    super(scope, id);
    const c = props.plan.config;
    const refs: Record<string, ApplyTimeRefs> = Object.create(null);
    for (const { region, stackName } of props.regionStacks) {
      const state = this.remoteState(c, region, stackName);
      const security = regionSecurity(props.plan, region);
      // Outputs are referenced as raw expressions: guardrail names are lowercase letters, digits and dashes (valid
      // HCL attribute names), so a reference holds no quote and can sit inside a policy's JSON text unescaped.
      const output = (name: string) => "${" + state.fqn + ".outputs." + name + "}";
      const application = `arn:${partitionOf(region)}:appconfig:${region}:${c.account}:application/${output("appconfig_application_id")}`;
      const environment = `${application}/environment/${output("appconfig_environment_id")}`;
      refs[region] = {
        routing: { application, environment, configuration: `${environment}/configuration/${output("appconfig_profile_id")}` },
        guardrails: Object.fromEntries(Object.keys(c.guardrails).map((g) => [g, { arn: output(`guardrails.${g}.arn`), version: output(`guardrails.${g}.version`) }])),
        ...this.profiles(props.plan, region, output),
        ...(security.requireSourceVpce ? { sourceVpce: output("vpc_endpoint_ids.bedrock-runtime") } : {}),
        ...(security.key ? { keyArn: output("kms_key_arn") } : {}),
      };
    }
    this.refs = refs;
  }

  /**
   * With cost attribution, each workload's application profile ARNs, read by profile name from the region stack's
   * `application_profile_arns_by_name` output (names are letters, digits and dashes: valid attribute names).
   */
  private profiles(plan: BaselinePlan, region: string, output: (name: string) => string): Pick<ApplyTimeRefs, "profiles"> {
    const specs = applicationProfiles(plan, region);
    if (!specs.length) return {};
    const profiles: Record<string, Record<string, string>> = Object.create(null);
    for (const p of specs) (profiles[p.workload] ??= Object.create(null))[p.modelId] = output(`application_profile_arns_by_name.${p.name}`);
    return { profiles };
  }

  private remoteState(c: EnvironmentConfig, region: string, stackName: string): DataTerraformRemoteStateS3 | DataTerraformRemoteStateLocal {
    const s3 = c.backend?.s3;
    if (s3) return new DataTerraformRemoteStateS3(this, region, { bucket: s3.bucket, key: `${s3.keyPrefix}/${stackName}.tfstate`, region: s3.region });
    // The path the region stack's local backend uses, relative to this stack's directory (stack directories are siblings).
    const stackDir = path.resolve(App.of(this).outdir, "stacks", TerraformStack.of(this).node.id);
    return new DataTerraformRemoteStateLocal(this, region, { path: path.relative(stackDir, path.resolve(localStateFile(stackName))) });
  }
}
