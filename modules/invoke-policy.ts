import { IamPolicy, IamRole, IamRolePolicyAttachment, IamUserPolicyAttachment } from "./provider-aws";
import { Construct } from "constructs";
import { PolicyDocument, trustPolicy } from "../core/iam-policy";
import { attachmentId } from "./construct-ids";
import { parsePrincipalArn } from "../core/environment-config";

/** A role the InvokePolicy creates and attaches itself to. */
export interface InvokePolicyRoleProps {
  /** IAM role name (at most 64 characters). */
  readonly roleName: string;
  /** Service principals that may assume the role, e.g. `lambda.amazonaws.com`. Default: none. */
  readonly assumedByServices?: readonly string[];
  /** Role or user ARNs that may assume the role. Default: none. */
  readonly assumedByPrincipals?: readonly string[];
}

/** Properties of an InvokePolicy. */
export interface InvokePolicyProps {
  /** Managed policy name. */
  readonly policyName: string;
  /** The policy document, built by core/iam-policy (`workloadPolicy`, `smokePolicy`); rendered with JSON.stringify. */
  readonly document: PolicyDocument;
  /** Policy description. Default: none. */
  readonly description?: string;
  /** Existing IAM role or user ARNs to attach the policy to. Default: none. */
  readonly principals?: readonly string[];
  /** Create a role with the policy attached. Default: no role. */
  readonly role?: InvokePolicyRoleProps;
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
 * A managed IAM policy for invoking Bedrock models, attached to existing principals and optionally to a role it
 * creates. No Marketplace permissions: subscriptions are account-wide and belong to a privileged one-time step
 * (lessons.md §2), never to runtime or CI roles.
 */
export class InvokePolicy extends Construct {
  readonly policy: IamPolicy;
  /** ARN of the managed policy (a Terraform reference). */
  readonly policyArn: string;
  /** The created role, when `role` was given. */
  readonly role?: IamRole;
  /** ARN of the created role, when `role` was given. */
  readonly roleArn?: string;

  constructor(scope: Construct, id: string, props: InvokePolicyProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, "policy", {
      name: props.policyName,
      description: props.description,
      policy: JSON.stringify(props.document),
    });
    this.policyArn = this.policy.arn;
    if (props.role) {
      const r = props.role;
      this.role = new IamRole(this, "role", {
        name: r.roleName,
        assumeRolePolicy: JSON.stringify(trustPolicy({ services: r.assumedByServices ?? [], principals: r.assumedByPrincipals ?? [] })),
      });
      this.roleArn = this.role.arn;
      new IamRolePolicyAttachment(this, "role-attachment", { role: this.role.name, policyArn: this.policyArn });
    }
    for (const arn of props.principals ?? []) this.attachToPrincipal(arn);
  }

  /** Attaches the policy to an existing IAM role or user (same account) named by its ARN. */
  attachToPrincipal(arn: string): void {
    const p = parseIamPrincipalArn(arn);
    if (!p) throw new Error(`${arn} is not an IAM role or user ARN`);
    // Derived from the ARN, not the position, so reordering the list keeps every Terraform address.
    const id = attachmentId(arn);
    if (p.kind === "role") new IamRolePolicyAttachment(this, id, { role: p.name, policyArn: this.policyArn });
    else new IamUserPolicyAttachment(this, id, { user: p.name, policyArn: this.policyArn });
  }
}
