import { Construct } from "constructs";
import { Annotations } from "./terraform-cdk";
import { AccountStack } from "./account-stack";
import { type EnvironmentReadOptions, type EnvironmentSource, resolveEnvironment, type ValidatedEnvironment } from "./environment-source";
import { RegionStack } from "./region-stack";
import { withPlainStackTraces } from "./stack-traces";

/** Properties of a BedrockBaseline. */
export interface BedrockBaselineProps extends EnvironmentReadOptions {
  /**
   * The environment: a file path (read as `bedrock-baseline synth` reads config/<env>.json), the parsed file as an
   * object, or a ValidatedEnvironment from readEnvironment/loadEnvironments. Validated before any construct is added.
   */
  readonly environment: EnvironmentSource;
  /** Construct ID of the baseline (its stacks keep their own names, `bedrock-<env>-<region>`). @default `bedrock-<env>` */
  readonly id?: string;
}

/**
 * The whole Bedrock access baseline of one environment, added to a cdktf app: one RegionStack per region
 * (`bedrock-<env>-<region>`: IAM, alarms, dashboard, guardrails, AppConfig routing) and one AccountStack
 * (`bedrock-<env>-account`: the IAM policies for every region, the budget, the organization guard). Each region stack writes its smoke manifest to
 * `<outdir>/manifests/` when the app synthesizes.
 *
 * The environment is validated first, with every problem at once: an invalid one throws BaselineConfigurationError
 * and adds nothing to the app.
 *
 *   const app = new App();
 *   new BedrockBaseline(app, { environment: "config/dev.json" });
 *   app.synth();
 */
export class BedrockBaseline extends Construct {
  /** The validated environment the stacks were built from. */
  readonly environment: ValidatedEnvironment;
  /** One per region, in the environment's order. */
  readonly regionStacks: readonly RegionStack[];
  readonly accountStack: AccountStack;

  constructor(scope: Construct, props: BedrockBaselineProps) {
    // Before super(): a construct registers itself in its scope, and an invalid environment must leave no trace there.
    const environment = resolveEnvironment(props.environment, props);
    super(scope, props.id ?? `bedrock-${environment.name}`);
    this.environment = environment;
    const plan = environment.plan;
    // The account stack holds the environment's IAM policies and reads the region stacks' IDs from their state.
    const regionStacks = withPlainStackTraces(() => plan.config.regions.map((region) => new RegionStack(this, { plan, region })));
    this.regionStacks = regionStacks;
    this.accountStack = withPlainStackTraces(() => new AccountStack(this, { plan, regionStacks }));
    // The cdktf CLI prints a stack's annotations at synth: the lines synth prints on stderr, once per environment.
    for (const w of environment.warnings) Annotations.of(this.accountStack).addWarning(w);
  }
}
