import { Construct } from "constructs";
import { syncCommand, MODEL_ID_PATTERN } from "../core/catalog";
import type { Invocation } from "../core/aws";
import { DataAwsBedrockFoundationModels, DataAwsBedrockInferenceProfiles } from "./provider-aws";
import type { Precondition, TerraformResource } from "./terraform-cdk";

/** Properties of CatalogPreflight. */
export interface CatalogPreflightProps {
  /** Environment name (the fix names `config/<env>.json`). */
  readonly envName: string;
  /** The stack's region. */
  readonly region: string;
  /** Everything the stack grants; a data source is declared only for the kinds present. */
  readonly invocations: readonly Invocation[];
}

/**
 * An HCL string literal for an ID. Validation only lets IDs of MODEL_ID_PATTERN through (no quotes, `$`, `%` or
 * braces), so the literal needs no escaping; anything else is a bug and stops synth rather than reaching Terraform.
 */
function hclString(id: string): string {
  if (!MODEL_ID_PATTERN.test(id)) throw new Error(`refusing to put ${JSON.stringify(id)} into a Terraform expression: not a Bedrock model or profile ID`);
  return `"${id}"`;
}

/**
 * Plan-time check that what the stack grants exists in the account's region. The catalog snapshot says what Bedrock
 * offered when it was synced; this asks Bedrock again when `cdktf diff`/`deploy` plans, so a profile that does not exist
 * (a typo'd ID, a region without the model, a snapshot from another account) fails the plan before anything changes.
 *
 * It reads the plural list data sources and tests membership with `contains(...)`: a singular lookup
 * (`aws_bedrock_inference_profile` with a missing ID) fails with the provider's own "not found" error before any
 * precondition can explain it. System profiles come from `aws_bedrock_inference_profiles` (type SYSTEM_DEFINED; geo and
 * global), on-demand models from `aws_bedrock_foundation_models` filtered to ON_DEMAND. The principal running the plan
 * needs bedrock:ListInferenceProfiles and bedrock:ListFoundationModels (both resource `*`).
 */
export class CatalogPreflight extends Construct {
  /** The region's system-defined inference profiles (when the stack invokes through any profile). */
  readonly profiles?: DataAwsBedrockInferenceProfiles;
  /** The region's models that run on demand (when the stack invokes any by its bare ID). */
  readonly onDemandModels?: DataAwsBedrockFoundationModels;
  private readonly props: CatalogPreflightProps;

  constructor(scope: Construct, id: string, props: CatalogPreflightProps) {
    super(scope, id);
    this.props = props;
    if (props.invocations.some((i) => i.kind !== "on-demand")) this.profiles = new DataAwsBedrockInferenceProfiles(this, "profiles", { type: "SYSTEM_DEFINED" });
    if (props.invocations.some((i) => i.kind === "on-demand")) this.onDemandModels = new DataAwsBedrockFoundationModels(this, "on-demand-models", { byInferenceType: "ON_DEMAND" });
  }

  /** One precondition per invocation: its profile (or on-demand model) is listed in the region at plan time. */
  preconditionsFor(invocations: readonly Invocation[]): Precondition[] {
    const { envName, region } = this.props;
    const file = `config/${envName}.json`;
    return invocations.map((inv) => {
      if (inv.kind === "on-demand") {
        if (!this.onDemandModels) throw new Error(`CatalogPreflight of ${region} was not given the on-demand invocation of ${inv.modelId}`);
        return {
          condition: `\${contains(${this.onDemandModels.fqn}.model_summaries[*].model_id, ${hclString(inv.modelId)})}`,
          errorMessage:
            `Bedrock model ${inv.modelId} cannot be invoked on demand in ${region} for this account (ListFoundationModels with inference type ON_DEMAND does not list it). ` +
              `Fix: set inference "geo" for ${inv.modelId} in ${file} (or drop ${region}), check with ${syncCommand([region])}, then synthesize again.`,
        };
      }
      if (!this.profiles) throw new Error(`CatalogPreflight of ${region} was not given the profile invocation of ${inv.modelId}`);
      return {
        condition: `\${contains(${this.profiles.fqn}.inference_profile_summaries[*].inference_profile_id, ${hclString(inv.invokeId)})}`,
        errorMessage:
          `Bedrock inference profile ${inv.invokeId} (model ${inv.modelId}) does not exist in ${region} for this account (ListInferenceProfiles, type SYSTEM_DEFINED). ` +
            `Fix: run ${syncCommand([region])} to see what the account offers, then change the inference or geography of ${inv.modelId} in ${file}, choose another model, or drop ${region}, and synthesize again.`,
      };
    });
  }

  /** Adds the preconditions for `invocations` to a resource, keeping its other lifecycle settings. */
  guard(resource: TerraformResource, invocations: readonly Invocation[]): void {
    if (invocations.length === 0) return;
    const lifecycle = resource.lifecycle ?? {};
    resource.lifecycle = { ...lifecycle, precondition: [...(lifecycle.precondition ?? []), ...this.preconditionsFor(invocations)] };
  }
}
