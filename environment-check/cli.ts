/**
 * `npm run check:environments`: validates and synthesizes every environment file in config/ (or --config-dir), shows
 * each region stack's smoke plan and proves its IAM with a real policy evaluator; what a team's CI runs on its own
 * environments before any apply (docs/checking-environments.md). Exit 0 pass, 1 an environment is invalid or a check
 * failed, 2 usage errors. See --help.
 */
import { runCli } from "../cli/user-error";
import { checkEnvironments } from "./check-run";

if (require.main === module)
  void runCli(() => checkEnvironments(process.argv.slice(2), { stdout: (l) => process.stdout.write(`${l}\n`), stderr: (l) => process.stderr.write(`${l}\n`), env: process.env }));
