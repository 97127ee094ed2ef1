import { organizationGuardSettings } from "../../../../core/validation/rules/organization-guard-settings";
import { ruleTable } from "./rule-table";

ruleTable(organizationGuardSettings, [
  { name: "no guard", edit: () => {}, problems: [] },
  { name: "a guard written for the management account to attach", edit: (e) => (e.organizationGuard = { enabled: true }), problems: [] },
  { name: "a guard created and attached to an OU", edit: (e) => (e.organizationGuard = { enabled: true, managementAccount: true, targets: ["ou-ab12-cdefgh34"] }), problems: [] },
  { name: "settings while the guard is off", edit: (e) => (e.organizationGuard = { enabled: false, managementAccount: true }), problems: [{ path: "organizationGuard.enabled", message: /^is false, so managementAccount and targets have no effect/, severity: "warning" }] },
  { name: "targets without creating the policy", edit: (e) => (e.organizationGuard = { enabled: true, targets: ["r-abcd"] }), problems: [{ path: "organizationGuard.targets", message: "targets are attached only when the account stack creates the policy" }] },
  { name: "the environment's own account as a target", edit: (e) => (e.organizationGuard = { enabled: true, managementAccount: true, targets: ["111111111111"] }), problems: [{ path: "organizationGuard.targets[0]", message: /^111111111111 is the environment's own account/, severity: "warning" }] },
]);
