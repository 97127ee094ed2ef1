/**
 * `npm run diff` / `npm run deploy`: the cdktf CLI, after checking that Terraform can run (cdktf's own failure without
 * it is an unrelated-looking error deep in its output).
 *
 *   npm run deploy -- 'bedrock-prod-*'
 */
import { spawnSync } from "node:child_process";
import { runCli, CliError } from "../cli/user-error";
import { TERRAFORM_INSTALL, terraformUnavailable } from "../cli/terraform";

void runCli(() => {
  const args = process.argv.slice(2);
  const command = args[0] ?? "";
  if (["diff", "deploy", "destroy", "plan", "apply"].includes(command)) {
    const why = terraformUnavailable();
    if (why) throw new CliError(`cdktf ${command} needs Terraform (${why}): install it from ${TERRAFORM_INSTALL} (or put it on PATH), then rerun; npm run synth needs no Terraform`, 2);
  }
  // Offline by default: no version check or checkpoint calls (either may be set explicitly to opt back in).
  const env = { DISABLE_VERSION_CHECK: "true", CHECKPOINT_DISABLE: "1", ...process.env };
  const r = spawnSync(process.execPath, [require.resolve("cdktf-cli/bundle/bin/cdktf"), ...args], { stdio: "inherit", env });
  if (r.error) throw new CliError(`cannot start the cdktf CLI: ${r.error.message}`, 2);
  return r.status ?? 1;
});
