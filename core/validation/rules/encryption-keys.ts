import { keyArnParts } from "../../environment";
import { jsonPath, type Problem } from "../../problems";
import type { EnvironmentRule } from "../rule";

/**
 * Existing keys are named for every region, in their own region (KMS keys are regional; a service refuses a key of
 * another region) and, as a warning, in the environment's account (a key of another account also needs a key policy
 * naming this account, which the stack cannot write); keyArns only with keys "existing".
 */
export const encryptionKeys: EnvironmentRule = {
  name: "encryption-keys",
  description: "encryption names an existing key per region, in that region, and keyArns only with keys \"existing\"",
  stage: "draft",
  check({ draft: d }) {
    const e = d.encryption;
    const problems: Problem[] = [];
    const arns = e.keyArns ?? {};
    if (e.keys !== "existing") {
      if (Object.keys(arns).length)
        problems.push({ path: "encryption.keyArns", message: `are used only with keys "existing" (keys is "${e.keys ?? "aws"}")`, fix: 'set "keys": "existing", or remove keyArns' });
      return problems;
    }
    const regions = new Set(d.regions.map((r) => r.region));
    d.regions.forEach(({ region, index }) => {
      if (!Object.hasOwn(arns, region))
        problems.push({ path: jsonPath(["encryption", "keyArns", region]), message: `is missing: keys "existing" needs the key of every region (regions[${index}])`, fix: `add "${region}": "arn:aws:kms:${region}:<account>:key/<key id>"` });
    });
    for (const [region, arn] of Object.entries(arns)) {
      const at = jsonPath(["encryption", "keyArns", region]);
      const parts = keyArnParts(arn);
      if (d.regionsComplete && !regions.has(region)) problems.push({ path: at, message: `${region} is not one of the environment's regions, so this key is not used`, fix: `remove it, or add ${region} to regions`, severity: "warning" });
      if (parts.region !== region) problems.push({ path: at, message: `is a key in ${parts.region}, not ${region}: KMS keys are regional`, fix: `name a key of ${region}` });
      if (d.account !== undefined && parts.account !== d.account)
        problems.push({ path: at, message: `is a key of account ${parts.account}, not the environment's ${d.account}`, fix: "make sure its key policy allows this account's services (the stack's key_policy_required output lists them), or use a key of this account", severity: "warning" });
    }
    return problems;
  },
};
