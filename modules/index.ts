/**
 * @bedrock-access-baseline/cdktf: the Bedrock access baseline as cdktf constructs, for a team's own cdktf app
 * (docs/adopting.md). cdktf, constructs and @cdktf/provider-aws are peer dependencies: the app's own copies are used.
 *
 *   import { App } from "cdktf";
 *   import { BedrockBaseline, loadEnvironments, reportConfigurationErrors } from "@bedrock-access-baseline/cdktf";
 *   reportConfigurationErrors(() => {
 *     const environments = loadEnvironments("config");
 *     const app = new App();
 *     for (const environment of environments) new BedrockBaseline(app, { environment });
 *     app.synth();
 *   });
 */
export { BedrockBaseline, type BedrockBaselineProps } from "./bedrock-baseline";
export { RegionStack, type RegionStackProps } from "./region-stack";
export { AccountStack, type AccountStackProps } from "./account-stack";
export {
  BaselineConfigurationError,
  type EnvironmentDocument,
  type EnvironmentProblem,
  type EnvironmentReadOptions,
  type EnvironmentSource,
  loadEnvironments,
  readEnvironment,
  validateEnvironmentDocument,
  ValidatedEnvironment,
} from "./environment-source";
export { reportConfigurationErrors } from "./configuration-errors";
export { MANIFEST_FOLDER } from "./stack-manifest";
export { PACKAGE_VERSION } from "./package-version";
