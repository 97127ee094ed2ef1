import { join } from "node:path";

// cdktf's jest matchers (toHaveResource, ...), registered without loading cdktf: most test files never synthesize, and
// loading cdktf into every file's module registry cost ~0.1 s of CPU per file. The first use loads cdktf and takes its
// own matchers (Testing.setupJest(), node_modules/cdktf/lib/testing/adapters/jest.js) by catching what it registers.
const CDKTF_MATCHERS = ["toHaveResource", "toHaveResourceWithProperties", "toHaveDataSource", "toHaveDataSourceWithProperties", "toHaveProvider", "toHaveProviderWithProperties", "toBeValidTerraform", "toPlanSuccessfully"];
type Matcher = (this: unknown, ...args: unknown[]) => unknown;
let cdktfMatchers: Record<string, Matcher> | undefined;
function cdktfMatcher(name: string): Matcher {
  if (!cdktfMatchers) {
    const { Testing } = require("../modules/terraform-cdk") as typeof import("../modules/terraform-cdk");
    const extend = expect.extend;
    expect.extend = (matchers) => void (cdktfMatchers = matchers as unknown as Record<string, Matcher>);
    try {
      Testing.setupJest();
    } finally {
      expect.extend = extend;
    }
  }
  return cdktfMatchers![name];
}
expect.extend(Object.fromEntries(CDKTF_MATCHERS.map((name) => [name, function (this: unknown, ...args: unknown[]) { return cdktfMatcher(name).apply(this, args); }])) as jest.ExpectExtendMap);

// No test reads the adopting team's config/: reads of it fail here and in every Node child process a test starts.
const GUARD = join(__dirname, "guards", "config-read-guard.js");
require(GUARD);
const nodeOptions = process.env.NODE_OPTIONS ?? "";
if (!nodeOptions.includes(GUARD)) process.env.NODE_OPTIONS = `${nodeOptions} --require "${GUARD}"`.trim();

// The AWS SDK's Node 20 end-of-support notice (8 lines, once per test file's module registry) is the commands' to
// say, once per run (cli/node-support.ts); tests of that notice set their own environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
