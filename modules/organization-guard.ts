import { Construct } from "constructs";
import { organizationGuardPolicy } from "../core/iam";
import { OrganizationsPolicy, OrganizationsPolicyAttachment } from "./provider-aws";

/** Properties of OrganizationGuard. */
export interface OrganizationGuardProps {
  /** SCP name (names.organizationGuard). */
  readonly policyName: string;
  /** Roots, OUs or accounts to attach it to. Default: none (created, attached by whoever owns the OU layout). */
  readonly targets?: readonly string[];
}

/**
 * The organization guard as a service control policy (core/iam/iam-policy.ts `organizationGuardPolicy`), created from the
 * account that manages the organization's SCPs and attached to the configured targets. Attachments are named after the
 * target ID, so reordering the list keeps every Terraform address.
 */
export class OrganizationGuard extends Construct {
  readonly policy: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: OrganizationGuardProps) {
    super(scope, id);
    this.policy = new OrganizationsPolicy(this, "policy", {
      name: props.policyName,
      description: "Denies Bedrock API keys: bearer-token calls to bedrock and bedrock-mantle, and creating long-term Bedrock keys",
      type: "SERVICE_CONTROL_POLICY",
      content: JSON.stringify(organizationGuardPolicy()),
    });
    for (const target of props.targets ?? []) new OrganizationsPolicyAttachment(this, `attach-${target}`, { policyId: this.policy.id, targetId: target });
  }
}
