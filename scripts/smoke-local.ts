/**
 * Offline smoke demo: `npm run smoke:local [-- --env dev] [--scenario local/scenarios/faults.json] [smoke options...]`.
 * Starts the local AWS stand-in (local/endpoint.ts), synthesizes the environment's manifests if they are missing or
 * stale, seeds it as a deployed stack would be (local/seed.ts), then runs the real smoke command against it
 * (`--endpoint-url`, static keys local/local). Needs no AWS account. Any other option is passed to smoke. The command
 * is local/local-smoke.ts, which `bedrock-baseline smoke --local` runs too.
 */
import { processIo } from "../cli/command-io";
import { runCli } from "../cli/user-error";
import { runLocalSmoke } from "../local/local-smoke";

export { LOCAL_SMOKE_USAGE as USAGE } from "../local/local-smoke";

// Config and usage problems print as one line (cli/user-error); anything else keeps its stack.
if (require.main === module) void runCli(() => runLocalSmoke(process.argv.slice(2), processIo));
