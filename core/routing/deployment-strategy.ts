import type { EnvironmentConfig } from "../environment";
import { names } from "../aws";

/** A custom AppConfig deployment strategy as CreateDeploymentStrategy takes it (ReplicateTo is always NONE). */
export interface DeploymentStrategySpec {
  readonly name: string;
  readonly deploymentDurationInMinutes: number;
  readonly growthFactor: number;
  readonly growthType: "LINEAR" | "EXPONENTIAL";
  readonly finalBakeTimeInMinutes: number;
}

/** The emergency strategy: everything at once, no bake (bake time is when alarms roll a deployment back). */
export const EMERGENCY_STRATEGY = { deploymentDurationInMinutes: 0, growthFactor: 100, growthType: "LINEAR", finalBakeTimeInMinutes: 0 } as const;

/**
 * The custom deployment strategies a region stack creates: always the emergency one (used by `npm run toggle --
 * --disable`); the routine one only when the config declares a custom strategy instead of a predefined `AppConfig.*` name.
 */
export function customStrategies(config: EnvironmentConfig): DeploymentStrategySpec[] {
  const strategies: DeploymentStrategySpec[] = [{ name: names.emergencyStrategy(config.name), ...EMERGENCY_STRATEGY }];
  const routine = config.appConfig.deploymentStrategy;
  if (typeof routine !== "string")
    strategies.push({
      name: names.routineStrategy(config.name),
      deploymentDurationInMinutes: routine.durationMinutes,
      growthFactor: routine.growthFactor,
      growthType: routine.growthType,
      finalBakeTimeInMinutes: routine.finalBakeMinutes,
    });
  return strategies;
}
