/**
 * The one place the Terraform-CDK framework's core symbols are imported from. cdktf 0.21 is the default (archived by
 * HashiCorp in Dec 2025, https://github.com/hashicorp/terraform-cdk); CDK Terrain (`cdktn`) is a rename of the same
 * API, so switching frameworks is a change to this file, modules/provider-aws.ts and package.json
 * (`npm run check:cdktn` proves it in a scratch copy).
 */
export { App, Lazy, LocalBackend, Op, S3Backend, TerraformOutput, TerraformStack, Testing, Token } from "cdktf";
export type { Precondition, TerraformResource } from "cdktf";
// Type-only (erased at run time): brings the Testing jest matchers' global typings into the program.
export type { setupJest as _jestMatcherTypes } from "cdktf/lib/testing/adapters/jest";
