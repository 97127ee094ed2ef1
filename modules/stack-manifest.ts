import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import type { StackManifest } from "../core/routing";
import { addCustomSynthesis } from "./terraform-cdk";

/** The folder of the outdir smoke, the local endpoint and the environment check read manifests from. */
export const MANIFEST_FOLDER = "manifests";

/**
 * Writes `<outdir>/manifests/<stack>.json` whenever the stack is synthesized, by any app: `bedrock-baseline synth`,
 * a team's own main.ts run by `cdktf synth/diff/deploy`, or a test's App. Smoke reads it after apply, so an app that
 * adds the baseline to its own stacks gets a smoke test without a second synth.
 */
export function synthesizeManifest(stack: Construct, manifest: StackManifest): void {
  addCustomSynthesis(stack, {
    onSynthesize(session) {
      const dir = path.join(session.outdir, MANIFEST_FOLDER);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${manifest.stack}.json`), JSON.stringify(manifest, null, 2) + "\n");
    },
  });
}
