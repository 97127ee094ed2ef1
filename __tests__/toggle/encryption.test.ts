import { GetDeploymentCommand } from "@aws-sdk/client-appconfig";
import { deploymentKeyIdentifier } from "../../core/environment";
import { validateEnvironment } from "../../core/validation";
import { startLocalEndpoint, type LocalEndpoint } from "../../local/endpoint";
import { CATALOG, NOVA, rawConfig, TODAY } from "../fixtures";
import { ACCOUNT, appConfigControl, configDirWith, EAST, seedStackProfile, toggleAt } from "./fixtures";

// With customer managed keys, every copy AppConfig keeps of the routing document is under the team's key: the hosted
// versions through the profile's key, the deployments through StartDeployment's KmsKeyIdentifier. The baseline's own
// deployment named the key; the toggle's deployments did not (AppConfig then uses its own key for its copy).

const EXISTING = `arn:aws:kms:${EAST}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

let ep: LocalEndpoint;

beforeAll(async () => {
  ep = await startLocalEndpoint({ accountId: ACCOUNT });
});

afterAll(async () => {
  await ep.close();
});

/** Seeds `name`'s stack with `encryption`, disables Nova through the toggle over the wire, and returns the key the deployment named. */
async function toggledKey(name: string, encryption: unknown): Promise<string | undefined> {
  const raw = { ...rawConfig("dev"), name, encryption };
  const env = validateEnvironment(raw, `${name}.json`, { today: TODAY, catalog: CATALOG });
  const ids = seedStackProfile(ep, env, EAST);
  const run = await toggleAt(ep, configDirWith({ [name]: raw }), ["--env", name, "--region", EAST, "--disable", NOVA.modelId, "--reason", "key test"]);
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  const number = /deployment (\d+) started/.exec(run.out)?.[1];
  const control = appConfigControl(ep);
  try {
    const d = await control.send(new GetDeploymentCommand({ ApplicationId: ids.applicationId, EnvironmentId: ids.environmentId, DeploymentNumber: Number(number) }));
    return d.KmsKeyIdentifier;
  } finally {
    control.destroy();
  }
}

describe("the toggle's deployments name the environment's key", () => {
  it.each([
    ["a key the stack creates: its alias", "keycreate", { keys: "create" }, "alias/bedrock-keycreate"],
    ["an existing key: the region's key ARN", "keyexisting", { keys: "existing", keyArns: { [EAST]: EXISTING } }, EXISTING],
    ["AWS managed keys: none (AppConfig's own key)", "keyaws", { keys: "aws" }, undefined],
  ])("%s", async (_case, name, encryption, expected) => {
    expect(await toggledKey(name, encryption)).toBe(expected);
  });
});

describe("deploymentKeyIdentifier", () => {
  it("names no key for a region an existing-key map leaves out (validation refuses that config; nothing to guess)", () => {
    expect(deploymentKeyIdentifier({ keys: "existing", keyArns: {} }, "dev", EAST)).toBeUndefined();
  });
});
