/**
 * The one place the Terraform-CDK framework's core symbols are imported from. cdktf 0.21 is the default (archived by
 * HashiCorp in Dec 2025, https://github.com/hashicorp/terraform-cdk); CDK Terrain (`cdktn`) is a rename of the same
 * API, so switching frameworks is a change to this file, modules/provider-aws.ts and package.json
 * (`npm run check:cdktn` proves it in a scratch copy).
 */
import { TerraformOutput as FrameworkOutput, Token, type TerraformOutputConfig } from "cdktf";
import type { Construct } from "constructs";

export { Annotations, App, DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, Lazy, LocalBackend, Op, S3Backend, TerraformStack, Testing, Token } from "cdktf";
export type { Precondition, TerraformResource } from "cdktf";
// Files a stack writes beside its Terraform JSON during app.synth() (the smoke manifest): cdktf's custom-synthesis hook,
// which its package root does not re-export (cdktf/lib/synthesize/synthesizer.d.ts).
export { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
export type { ISynthesisSession } from "cdktf";

/**
 * cdktf 0.21's TerraformOutput tests object values with `util.isArray`, deprecated at run time since Node 22 (DEP0044,
 * https://nodejs.org/api/deprecations.html#DEP0044), so every synth printed a DeprecationWarning; cdktn uses
 * `Array.isArray`. An object value passed as a token skips that test and synthesizes to the same JSON.
 */
export class TerraformOutput extends FrameworkOutput {
  constructor(scope: Construct, id: string, config: TerraformOutputConfig) {
    const plainObject = typeof config.value === "object" && config.value !== null && !Token.isUnresolved(config.value);
    super(scope, id, plainObject ? { ...config, value: Token.asAny(config.value) } : config);
  }
}
// Type-only (erased at run time): brings the Testing jest matchers' global typings into the program.
export type { setupJest as _jestMatcherTypes } from "cdktf/lib/testing/adapters/jest";
