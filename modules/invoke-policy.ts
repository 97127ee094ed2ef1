import { IamPolicy, IamRole, IamRolePolicyAttachment, IamUserPolicyAttachment } from "./provider-aws";
import { Construct } from "constructs";
import { PolicyDocument, trustPolicy } from "../core/iam";
import { attachmentId } from "./construct-ids";
import { names } from "../core/aws";
import { parsePrincipalArn } from "../core/environment";

/** A role the InvokePolicy creates and attaches itself to. */
export interface InvokePolicyRoleProps {
  /** IAM role name (at most 64 characters). */
  readonly roleName: string;
  /** Service principals that may assume the role, e.g. `lambda.amazonaws.com`. Default: none. */
  readonly assumedByServices?: readonly string[];
  /** Role or user ARNs that may assume the role. Default: none. */
  readonly assumedByPrincipals?: readonly string[];
  /** Tags of the role besides the provider's default tags (the workload's cost allocation tag). Default: none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Properties of an InvokePolicy. */
export interface InvokePolicyProps {
  /** Managed policy name; parts after the first are named `<policyName>.part2`, `.part3`, ... (names.policyPart). */
  readonly policyName: string;
  /**
   * The policy as managed policies of at most IAM's size (core/iam/policy-packing.ts, via core/iam/route-access.ts
   * `workloadPolicyParts`/`smokePolicyParts`), at least one; each rendered with JSON.stringify and attached everywhere.
   */
  readonly documents: readonly PolicyDocument[];
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
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html,
 * https://github.com/aws-samples/anthropic-on-aws/pull/252), never to runtime or CI roles.
 */
export class InvokePolicy extends Construct {
  /** The managed policies, in part order (one unless the policy is larger than IAM allows in one). */
  readonly policies: readonly IamPolicy[];
  /** Their ARNs (Terraform references). */
  readonly policyArns: readonly string[];
  /** The created role, when `role` was given. */
  readonly role?: IamRole;
  /** ARN of the created role, when `role` was given. */
  readonly roleArn?: string;

  constructor(scope: Construct, id: string, props: InvokePolicyProps) {
    super(scope, id);
    if (props.documents.length === 0) throw new Error(`InvokePolicy ${props.policyName}: no policy document`);
    // The first part keeps the address and name a single policy always had, so existing state is unchanged.
    this.policies = props.documents.map(
      (document, i) =>
        new IamPolicy(this, i === 0 ? "policy" : `policy-${i + 1}`, {
          name: names.policyPart(props.policyName, i + 1),
          description: props.description && (props.documents.length > 1 ? `${props.description} (part ${i + 1} of ${props.documents.length})` : props.description),
          policy: JSON.stringify(document),
        }),
    );
    this.policyArns = this.policies.map((p) => p.arn);
    if (props.role) {
      const r = props.role;
      this.role = new IamRole(this, "role", {
        name: r.roleName,
        assumeRolePolicy: JSON.stringify(trustPolicy({ services: r.assumedByServices ?? [], principals: r.assumedByPrincipals ?? [] })),
        ...(r.tags && Object.keys(r.tags).length ? { tags: { ...r.tags } } : {}),
      });
      this.roleArn = this.role.arn;
      this.policyArns.forEach((policyArn, i) => new IamRolePolicyAttachment(this, i === 0 ? "role-attachment" : `role-attachment-${i + 1}`, { role: this.role!.name, policyArn }));
    }
    for (const arn of props.principals ?? []) this.attachToPrincipal(arn);
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
}
