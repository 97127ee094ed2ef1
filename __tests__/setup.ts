import { Testing } from "../modules/terraform-cdk";
import { join } from "node:path";

Testing.setupJest();

// No test reads the adopting team's config/: reads of it fail here and in every Node child process a test starts.
const GUARD = join(__dirname, "guards", "config-read-guard.js");
require(GUARD);
const nodeOptions = process.env.NODE_OPTIONS ?? "";
if (!nodeOptions.includes(GUARD)) process.env.NODE_OPTIONS = `${nodeOptions} --require "${GUARD}"`.trim();

// The AWS SDK's Node 20 end-of-support notice (8 lines, once per test file's module registry) is the commands' to
// say, once per run (cli/node-support.ts); tests of that notice set their own environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
