import { Construct } from "constructs";
import type { KeySpec } from "../core/baseline";
import { KmsAlias, KmsKey } from "./provider-aws";
import { TerraformOutput } from "./terraform-cdk";

/** Properties of EncryptionKey. */
export interface EncryptionKeyProps {
  /** The key the region stack uses (core/baseline/region-security.ts): created here, or an existing one by ARN. */
  readonly key: KeySpec;
  /** Names the environment in the key's description. */
  readonly envName: string;
}

/**
 * The region's customer managed KMS key: created with automatic yearly rotation and a policy allowing exactly the
 * services that use it (core/iam/key-policy.ts), or an existing key named by ARN, whose policy the team keeps; the
 * statements it must contain are a stack output (`key_policy_required`), since the stack cannot change that policy.
 */
export class EncryptionKey extends Construct {
  /** The key's ARN (a Terraform reference for a created key). */
  readonly keyArn: string;
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const k = props.key;
    if (k.mode === "existing") {
      if (!k.arn) throw new Error("an existing key needs its ARN");
      this.keyArn = k.arn;
      new TerraformOutput(this, "key_policy_required", { value: JSON.stringify(k.policy), description: "Statements the existing key's policy must allow for the services of this stack" });
      return;
    }
    this.key = new KmsKey(this, "key", {
      description: `Bedrock baseline ${props.envName}: alarm topic, invocation logs, AppConfig routing configuration`,
      // https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html: automatic rotation, every 365 days by default.
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(k.policy),
    });
    new KmsAlias(this, "alias", { name: k.alias, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}
