import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CDKTN, differenceKind, jsonDifferences, switchPackage, switchSeam } from "../../scripts/check-cdktn";
import { sourceImports } from "../guards/source-imports";
import { ROOT } from "../fixtures";

// The pure parts of `npm run check:cdktn` (the check itself installs from the registry and is not part of npm test).

const seam = (f: string) => readFileSync(join(ROOT, "modules", f), "utf8");
const specifiers = (text: string) => sourceImports("seam.ts", text).map((i) => i.specifier);

// These run in this checkout and in the switched copy check:cdktn tests (there the seams already import cdktn).
describe("switchSeam", () => {
  it("maps every framework and provider import of the real seam files to cdktn, and nothing else", () => {
    for (const f of ["terraform-cdk.ts", "provider-aws.ts"]) {
      const before = specifiers(seam(f));
      const after = specifiers(switchSeam(seam(f)));
      expect(before.some((s) => /^(cdkt[fn]|@cdkt[fn]\/provider-aws)(\/|$)/.test(s))).toBe(true);
      expect(after).toEqual(before.map((s) => s.replace(/^cdktf(?=\/|$)/, "cdktn").replace(/^@cdktf\/provider-aws(?=\/|$)/, "@cdktn/provider-aws")));
    }
  });

  it("leaves comments and look-alike names alone", () => {
    // Package names built by concatenation so the framework-seam guard does not read these samples as imports.
    const [tf, tn] = ["cdk" + "tf", "cdk" + "tn"];
    const sample = (f: string) => `// cdktf 0.21 is archived\nimport { x } from "cdktf-helpers";\nimport { App } from "${f}";\nexport { IamRole } from '@${f}/provider-aws/lib/iam-role';`;
    expect(switchSeam(sample(tf))).toBe(sample(tn));
  });
});

describe("switchPackage", () => {
  const [tf, tfAws, tfCli] = ["cdk" + "tf", "@cdk" + "tf/provider-aws", "cdk" + "tf-cli"];
  const pkg = {
    engines: { node: ">=20.9" },
    scripts: { synth: "ts-node --transpile-only main.ts", deploy: `${tf} deploy` },
    dependencies: { [tfAws]: "21.22.1", [tf]: "0.21.0", constructs: "10.8.1", zod: "4.6.7" },
    devDependencies: { [tfCli]: "0.21.0", jest: "30.5.2" },
    overrides: { "unrs-resolver": "1.12.2" },
  };
  const input = structuredClone(pkg);
  const next = switchPackage(pkg);

  it("replaces the framework, provider and CLI, pins constructs below 10.8 and requires Node 22.19", () => {
    expect(next.dependencies).toEqual({ "@cdktn/provider-aws": CDKTN["@cdktn/provider-aws"], cdktn: CDKTN.cdktn, constructs: CDKTN.constructs, zod: "4.6.7" });
    expect(next.devDependencies).toEqual({ "cdktn-cli": CDKTN["cdktn-cli"], jest: "30.5.2" });
    expect(CDKTN.constructs).toMatch(/^10\.[67]\./);
    expect(next.engines).toEqual({ node: ">=22.19" });
    expect(next.scripts).toEqual({ synth: pkg.scripts.synth, deploy: "cdktn deploy" });
  });

  it("keeps every other field and leaves its input untouched", () => {
    expect(next.overrides).toEqual(pkg.overrides);
    expect(pkg).toEqual(input);
  });
});

describe("comparing synthesized stacks", () => {
  it("lists every differing path, nested and added or removed keys included", () => {
    expect(jsonDifferences({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: 2, c: [1, 3] }, e: 1 })).toEqual([
      { path: "a.b", before: 1, after: 2 },
      { path: "a.c.1", before: 2, after: 3 },
      { path: "d", before: 1, after: undefined },
      { path: "e", before: undefined, after: 1 },
    ]);
    expect(jsonDifferences({ x: [1] }, { x: [1] })).toEqual([]);
  });

  it.each<[string, ReturnType<typeof differenceKind>]>([
    ["terraform.required_providers.aws.version", "required_providers"],
    ["//.metadata.version", "comment"],
    ["terraform.backend.local.path", "other"],
    ["resource.aws_iam_policy.x.policy", "other"],
    ["terraform.required_providers", "other"],
  ])("%s is %s", (path, kind) => {
    expect(differenceKind(path)).toBe(kind);
  });
});
