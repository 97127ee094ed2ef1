/**
 * `npm run diff` / `npm run deploy`: the cdktf CLI, after checking that Terraform can run (cdktf's own failure without
 * it is an unrelated-looking error deep in its output).
 *
 *   npm run deploy -- 'bedrock-prod-*'
 *   npm run deploy -- bedrock-prod-account --ignore-missing-stack-dependencies   (one stack whose dependencies, the
 *     region stacks, are applied already: the account stack reads their state; docs/scale.md)
 *
 * Every argument goes to the cdktf CLI as given.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli, CliError } from "../cli/user-error";
import { TERRAFORM_INSTALL, terraformUnavailable } from "../cli/terraform";

/**
 * The Terraform-CDK CLI package.json declares: cdktf-cli, or cdktn-cli after the switch to CDK Terrain
 * (docs/decisions/0001-cdktf-and-cdk-terrain.md), so the switch changes only the seam files and package.json. Its command
 * name and bin script.
 */
function frameworkCli(): { name: string; script: string } {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8"));
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  const cli = ["cdktf-cli", "cdktn-cli"].find((p) => Object.hasOwn(declared, p));
  if (!cli) throw new CliError("package.json declares neither cdktf-cli nor cdktn-cli: run npm ci", 2);
  const manifest = require.resolve(`${cli}/package.json`);
  const [name, script] = Object.entries<string>(JSON.parse(readFileSync(manifest, "utf8")).bin)[0];
  return { name, script: join(dirname(manifest), script) };
}

void runCli(() => {
  const args = process.argv.slice(2);
  const command = args[0] ?? "";
  const cli = frameworkCli();
  if (["diff", "deploy", "destroy", "plan", "apply"].includes(command)) {
    const why = terraformUnavailable();
    if (why) throw new CliError(`${cli.name} ${command} needs Terraform (${why}): install it from ${TERRAFORM_INSTALL} (or put it on PATH), then rerun; npm run synth needs no Terraform`, 2);
  }
  // Offline by default: no version check or checkpoint calls (either may be set explicitly to opt back in).
  const env = { DISABLE_VERSION_CHECK: "true", CHECKPOINT_DISABLE: "1", ...process.env };
  const r = spawnSync(process.execPath, [cli.script, ...args], { stdio: "inherit", env });
  if (r.error) throw new CliError(`cannot start the ${cli.name} CLI: ${r.error.message}`, 2);
  return r.status ?? 1;
});
