import { principalIdentity } from "../../../core/environment";
import { environmentPolicies } from "../../../core/iam";
import { validateEnvironment } from "../../../core/validation";
import { largeEnvironment, SEVENTEEN_REGIONS } from "../../../scripts/large-environment";
import { CATALOG, TODAY } from "../../fixtures";

// IAM is global: a principal's managed policies must not multiply with the environment's regions (the default quota is
// 10 per role or user). Measured before the per-environment layout: 8 regions, 12 models, 50 workloads gave every
// workload principal 16 policies (two parts per region).

/** Parts attached to each principal (existing principals and created roles), as IAM counts them. */
function partsPerPrincipal(regions: readonly string[], size = { workloads: 50, routes: 35, models: 12 }, costAttribution = false): Map<string, number> {
  const raw: Record<string, unknown> = { ...largeEnvironment({ regions, ...size, existingPrincipals: true }), ...(costAttribution ? { costAttribution: { enabled: true } } : {}) };
  const plan = validateEnvironment(raw, "large.json", { catalog: CATALOG, today: TODAY, expectedName: "large" });
  const attached = new Map<string, number>();
  for (const p of environmentPolicies(plan))
    for (const who of [...p.principals.map(principalIdentity), ...p.roles.map((r) => `role:${r}`)]) attached.set(who, (attached.get(who) ?? 0) + p.partSizes.length);
  return attached;
}

describe("baseline policies per principal as regions are added", () => {
  const eight = partsPerPrincipal(SEVENTEEN_REGIONS.filter((r) => /^(us-|eu-central-1|eu-west-1|ap-northeast-1|ap-southeast-2)/.test(r)).slice(0, 8));

  it("the issue's measurement (8 regions, 12 models, 50 workloads) stays within IAM's default quota of 10", () => {
    expect(eight.size).toBeGreaterThan(50);
    expect(Math.max(...eight.values())).toBeLessThanOrEqual(10);
  });

  it("within one geography, three regions cost each principal at most one part more than one region", () => {
    // Another geography is another profile to grant (us., eu., apac., …: at most seven); another region of the same
    // geography only adds its apply-time IDs and a region name to a condition.
    const one = partsPerPrincipal(["us-east-1"]);
    const three = partsPerPrincipal(["us-east-1", "us-east-2", "us-west-2"]);
    const both = [...three.keys()].filter((k) => one.has(k));
    expect(both.length).toBeGreaterThan(50);
    const grew = both.filter((who) => three.get(who)! > one.get(who)! + 1).map((who) => `${who}: ${one.get(who)} -> ${three.get(who)}`);
    expect(grew).toEqual([]);
  });

  it("with cost attribution (every workload's profile ARN per region and model), 8 regions stay within 10 as well", () => {
    // At most 10 workloads may share a model in a region with cost attribution (alarm metric limit), so that is the size.
    const eightRegions = SEVENTEEN_REGIONS.filter((r) => /^(us-|eu-central-1|eu-west-1|ap-northeast-1|ap-southeast-2)/.test(r)).slice(0, 8);
    const size = { workloads: 10, routes: 10, models: 8 };
    const attributed = partsPerPrincipal(eightRegions, size, true);
    const plain = partsPerPrincipal(eightRegions, size);
    expect(attributed.size).toBeGreaterThan(10);
    expect(Math.max(...attributed.values())).toBeLessThanOrEqual(10);
    // The profile ARNs are longer than the shared system-profile grants: some principal gets more parts.
    expect([...attributed].some(([who, n]) => n > plain.get(who)!)).toBe(true);
  });
});
