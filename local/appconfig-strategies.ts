import { stableId } from "./appconfig-ids";

/** A deployment strategy as AppConfig returns it. */
export interface Strategy {
  Id: string;
  Name: string;
  Description?: string;
  DeploymentDurationInMinutes: number;
  GrowthType: "LINEAR" | "EXPONENTIAL";
  GrowthFactor: number;
  FinalBakeTimeInMinutes: number;
  ReplicateTo: "NONE" | "SSM_DOCUMENT";
}

/** A custom deployment strategy, as CreateDeploymentStrategy takes it (ReplicateTo NONE). */
export interface StrategySeed {
  name: string;
  deploymentDurationInMinutes: number;
  growthFactor: number;
  /** Default: LINEAR (as AWS). */
  growthType?: "LINEAR" | "EXPONENTIAL";
  /** Default: 0 (as AWS). */
  finalBakeTimeInMinutes?: number;
}

/** AppConfig's limit on custom deployment strategies (per account and region). */
export const MAX_CUSTOM_STRATEGIES = 20;

function predefined(
  name: string,
  description: string,
  minutes: number,
  growthType: Strategy["GrowthType"],
  factor: number,
  bake: number,
): Strategy {
  return {
    Id: stableId(name),
    Name: name,
    Description: description,
    DeploymentDurationInMinutes: minutes,
    GrowthType: growthType,
    GrowthFactor: factor,
    FinalBakeTimeInMinutes: bake,
    ReplicateTo: "NONE",
  };
}

/** AppConfig's predefined strategies; usable by ID or by name in StartDeployment (custom ones by ID only). */
export const PREDEFINED_STRATEGIES: readonly Strategy[] = [
  predefined("AppConfig.AllAtOnce", "Quick", 0, "LINEAR", 100, 10),
  predefined("AppConfig.Linear50PercentEvery30Seconds", "Test/Demo", 1, "LINEAR", 50, 1),
  predefined("AppConfig.Linear20PercentEvery6Minutes", "AWS Recommended", 30, "LINEAR", 20, 30),
  predefined("AppConfig.Canary10Percent20Minutes", "AWS Recommended", 20, "EXPONENTIAL", 10, 10),
];

/** A seed as CreateDeploymentStrategy would store it, with AWS's defaults filled in. */
export function strategyFromSeed(seed: StrategySeed): Omit<Strategy, "Id"> {
  return {
    Name: seed.name,
    DeploymentDurationInMinutes: seed.deploymentDurationInMinutes,
    GrowthFactor: seed.growthFactor,
    GrowthType: seed.growthType ?? "LINEAR",
    FinalBakeTimeInMinutes: seed.finalBakeTimeInMinutes ?? 0,
    ReplicateTo: "NONE",
  };
}
