import type { EnvironmentRule } from "../rule";

/**
 * Every declared model is known to the catalog (or declares its facts), is offered and invocable as configured in every
 * region, is not past end of life, and the snapshot is fresh: what core/environment/model-resolution.ts found.
 */
export const catalogModels: EnvironmentRule = {
  name: "catalog-models",
  description: "declared models exist in the catalog, can be invoked as configured in every region and are not past end of life",
  stage: "models",
  check: ({ models }) => [...models.problems],
};
