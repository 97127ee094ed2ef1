import { names } from "../aws";
import type { BaselinePlan, GuardrailRefs, ProfileRefs } from "../environment";
import type { RoutingDocument } from "../runtime";
import { customStrategies, type DeploymentStrategySpec } from "./deployment-strategy";
import { buildRoutingDocument } from "./routing-baseline";
import { type RoutingValidator, routingValidator } from "./routing-validator";

/** The AppConfig side of one region stack: names, strategies, the validator and the baseline document. */
export interface RegionRouting {
  readonly applicationName: string;
  readonly environmentName: string;
  readonly profileName: string;
  /** The role AppConfig assumes to read the rollback alarm. */
  readonly rollbackRoleName: string;
  /** Routine changes: a predefined strategy's name (`AppConfig.…`), or the custom strategy the stack creates. */
  readonly routineStrategy: string | DeploymentStrategySpec;
  /** Kill switches: all at once, no bake. */
  readonly emergencyStrategy: DeploymentStrategySpec;
  /** The JSON Schema validator, sized and fitted to AppConfig's limit. */
  readonly validator: RoutingValidator;
  /** The baseline routing document with the stack's guardrails, application profiles and quota-store endpoint (Terraform references in a stack). */
  document(guardrails: GuardrailRefs, profiles?: ProfileRefs, quotaStoreHost?: string): RoutingDocument;
}

/** The routing configuration of one region stack of a plan. */
export function regionRouting(plan: BaselinePlan, region: string): RegionRouting {
  const c = plan.config;
  const [emergency, custom] = customStrategies(c);
  const routine = c.appConfig.deploymentStrategy;
  return {
    applicationName: names.appConfigApplication(c.name),
    environmentName: names.appConfigEnvironment(c.name),
    profileName: names.appConfigProfile,
    rollbackRoleName: names.rollbackRole(c.name, region),
    routineStrategy: typeof routine === "string" ? routine : custom,
    emergencyStrategy: emergency,
    validator: routingValidator(plan, region),
    document: (guardrails, profiles, quotaStoreHost) => buildRoutingDocument(plan, region, guardrails, profiles, quotaStoreHost),
  };
}
