import { Construct } from "constructs";
import { trustPolicy } from "../core/iam";
import type { WorkloadRoleSpec } from "../core/baseline";
import { IamRole } from "./provider-aws";

/**
 * The role a region stack creates for a workload that asked for one. Its invoke policy is the workload's
 * environment-wide policy, which the account stack attaches by the role's name. The construct keeps the ID
 * (`workload-<name>`) and child ID (`role`) the role always had, so an upgrade leaves the role in place.
 */
export class WorkloadRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, spec: WorkloadRoleSpec) {
    super(scope, spec.id);
    this.role = new IamRole(this, "role", {
      name: spec.roleName,
      assumeRolePolicy: JSON.stringify(trustPolicy({ services: spec.assumedByServices, principals: spec.assumedByPrincipals })),
      // The workload's cost allocation tag (cost attribution), besides the provider's default tags.
      ...(spec.tags && Object.keys(spec.tags).length ? { tags: { ...spec.tags } } : {}),
    });
  }
}
