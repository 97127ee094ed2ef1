import { IamPolicy, IamRolePolicyAttachment, IamUserPolicyAttachment } from "./provider-aws";
import { Construct } from "constructs";
import type { PolicyDocument } from "../core/iam";
import { attachmentId, roleAttachmentId } from "./construct-ids";
import { names } from "../core/aws";
import { parsePrincipalArn } from "../core/environment";

/** Properties of an InvokePolicy. */
export interface InvokePolicyProps {
  /** Managed policy name; parts after the first are named `<policyName>.part2`, `.part3`, ... (names.policyPart). */
  readonly policyName: string;
  /**
   * The policy as managed policies of at most IAM's size (core/iam/environment-policies.ts), at least one; each rendered
   * with JSON.stringify and attached everywhere.
   */
  readonly documents: readonly PolicyDocument[];
  /** Policy description (parts after the first add "(part N)"). Default: none. */
  readonly description?: string;
  /** Existing IAM role or user ARNs to attach the policy to. Default: none. */
  readonly principals?: readonly string[];
  /** Names of roles (of this account, created by the region stacks) to attach the policy to. Default: none. */
  readonly roles?: readonly string[];
}

/** An IAM role or user named by its ARN. */
export interface IamPrincipalRef {
  readonly kind: "role" | "user";
  /** Name without the path (what attachments take). */
  readonly name: string;
  readonly account: string;
}

/** Parses `arn:aws:iam::123456789012:role/path/name` (or `:user/...`); undefined for anything else. */
export function parseIamPrincipalArn(arn: string): IamPrincipalRef | undefined {
  const p = parsePrincipalArn(arn);
  return p ? { kind: p.kind, name: p.name, account: p.account } : undefined;
}

/**
 * A managed IAM policy for invoking Bedrock models, attached to existing principals and to the roles the region stacks
 * create. No Marketplace permissions: subscriptions are account-wide and belong to a privileged one-time step
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html,
 * https://github.com/aws-samples/anthropic-on-aws/pull/252), never to runtime or CI roles.
 */
export class InvokePolicy extends Construct {
  /** The managed policies, in part order (one unless the policy is larger than IAM allows in one). */
  readonly policies: readonly IamPolicy[];
  /** Their ARNs (Terraform references). */
  readonly policyArns: readonly string[];

  constructor(scope: Construct, id: string, props: InvokePolicyProps) {
    super(scope, id);
    if (props.documents.length === 0) throw new Error(`InvokePolicy ${props.policyName}: no policy document`);
    // A changed description replaces the policy (and detaches it meanwhile), so a part's description never names the
    // part count, which changes whenever the policy grows into another part.
    this.policies = props.documents.map(
      (document, i) =>
        new IamPolicy(this, i === 0 ? "policy" : `policy-${i + 1}`, {
          name: names.policyPart(props.policyName, i + 1),
          description: props.description && (i > 0 ? `${props.description} (part ${i + 1})` : props.description),
          policy: JSON.stringify(document),
        }),
    );
    this.policyArns = this.policies.map((p) => p.arn);
    for (const arn of props.principals ?? []) this.attachToPrincipal(arn);
    for (const role of props.roles ?? []) this.attachToRole(role);
  }

  /** Attaches the policy to an existing IAM role or user (same account) named by its ARN. */
  attachToPrincipal(arn: string): void {
    const p = parseIamPrincipalArn(arn);
    if (!p) throw new Error(`${arn} is not an IAM role or user ARN`);
    // Derived from the ARN, not the position, so reordering the list keeps every Terraform address.
    this.policyArns.forEach((policyArn, i) => {
      // "#" appears in no ARN and in no other attachment ID, so the part suffix cannot collide (construct-ids.ts).
      const id = i === 0 ? attachmentId(arn) : `${attachmentId(arn)}#part-${i + 1}`;
      if (p.kind === "role") new IamRolePolicyAttachment(this, id, { role: p.name, policyArn });
      else new IamUserPolicyAttachment(this, id, { user: p.name, policyArn });
    });
  }

  /** Attaches the policy to a role of the account by name (a role a region stack creates). */
  attachToRole(roleName: string): void {
    this.policyArns.forEach((policyArn, i) => new IamRolePolicyAttachment(this, i === 0 ? roleAttachmentId(roleName) : `${roleAttachmentId(roleName)}#part-${i + 1}`, { role: roleName, policyArn }));
  }
}
