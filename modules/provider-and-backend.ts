import { App, LocalBackend, S3Backend, TerraformStack } from "./terraform-cdk";
import { AwsProvider } from "./provider-aws";
import * as path from "node:path";
import { EnvironmentConfig } from "../core/environment";

/** Tag value identifying resources of this project. */
export const MANAGED_BY = "bedrock-access-baseline";

/** Default tags on every resource of an environment: config tags plus `environment` and `managed-by`. */
export function defaultTagsOf(config: EnvironmentConfig): Record<string, string> {
  return { ...config.tags, environment: config.name, "managed-by": MANAGED_BY };
}

/**
 * A second AWS provider in the billing APIs' region (aliased `billing`), for account-wide billing resources whose API
 * answers in one region only (Cost Explorer's cost allocation tags, Data Exports): same account guard and tags.
 */
export function addBillingProvider(stack: TerraformStack, config: EnvironmentConfig, region: string): AwsProvider {
  return new AwsProvider(stack, "aws-billing", { alias: "billing", region, allowedAccountIds: [config.account], defaultTags: [{ tags: defaultTagsOf(config) }] });
}

/** State file name of a stack with the local backend. */
export function localStateFile(stackName: string): string {
  return `terraform.${stackName}.tfstate`;
}

/**
 * Adds the AWS provider (region, allowed account, default tags) and the state backend to a stack: S3 with key
 * `<keyPrefix>/<stack>.tfstate` when the environment declares `backend.s3`, local otherwise.
 */
export function addProviderAndBackend(stack: TerraformStack, config: EnvironmentConfig, region: string): AwsProvider {
  const provider = new AwsProvider(stack, "aws", {
    region,
    // An apply with credentials for another account fails before changing anything.
    allowedAccountIds: [config.account],
    defaultTags: [{ tags: defaultTagsOf(config) }],
  });
  const stackName = stack.node.id;
  const s3 = config.backend?.s3;
  if (s3) {
    const backend = new S3Backend(stack, { bucket: s3.bucket, key: `${s3.keyPrefix}/${stackName}.tfstate`, region: s3.region, encrypt: true });
    // cdktf 0.21's S3BackendConfig predates `use_lockfile` (Terraform >= 1.10 native S3 locking).
    if (s3.useLockfile) backend.addOverride("use_lockfile", true);
  } else {
    // Terraform runs in <outdir>/stacks/<stack>; keep the state beside the project (where .gitignore expects it), not
    // inside the disposable outdir, and relative so the output is the same on every machine.
    const stackDir = path.resolve(App.of(stack).outdir, "stacks", stackName);
    new LocalBackend(stack, { path: path.relative(stackDir, path.resolve(localStateFile(stackName))) });
  }
  return provider;
}
