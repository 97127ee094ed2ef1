/**
 * `npm run check:cdktn`: proves that moving from cdktf (archived) to CDK Terrain (`cdktn`) is a change to the two seam
 * files and package.json, and nothing else. In a temporary copy of this checkout it
 *  1. rewrites the package names in modules/terraform-cdk.ts and modules/provider-aws.ts (`cdktf` -> `cdktn`,
 *     `@cdktf/provider-aws` -> `@cdktn/provider-aws`) and package.json (cdktn, cdktn-cli, @cdktn/provider-aws,
 *     constructs 10.7.x, engines, the deploy script), and checks no other file differs;
 *  2. installs with Node 22 from the npm registry (cdktn-cli needs Node >= 22.19; `.ci/node-runtime`);
 *  3. runs the type check, the whole test suite and `npm run synth`, and `cdktn synth` (the CLI) on Node 24;
 *  4. compares every synthesized stack file with the cdktf synth of an unchanged copy: they may differ only under
 *     `terraform.required_providers` (and in the `//` comment holding the framework version, which Terraform ignores),
 *     the manifests not at all; the CLI's output must equal `npm run synth`'s. Prints the difference summary.
 * Options: --keep (leave the temporary copy), --skip-tests, --config-dir DIR (the environments both synths read;
 * default config). Exit 0 when every step passes.
 * https://cdktn.io/docs/release/upgrade-guide-v0-22
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseCommandLine } from "../cli/command-line";

const ROOT = join(__dirname, "..");
const SEAMS = ["modules/terraform-cdk.ts", "modules/provider-aws.ts"];
/** Files the switch may change (package-lock.json follows package.json). */
const SWITCHED = new Set([...SEAMS, "package.json", "package-lock.json"]);
/**
 * CDK Terrain line the switch moves to (docs/decisions/0001-cdktf-and-cdk-terrain.md): @cdktn/provider-aws 25.7.0 binds
 * hashicorp/aws 6.66.0 (https://www.npmjs.com/package/@cdktn/provider-aws).
 */
export const CDKTN = { cdktn: "0.24.0", "cdktn-cli": "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.2", node: ">=22.19" } as const;

/** The seam files with cdktf's package names replaced by cdktn's, in module specifiers only (comments keep history). */
export function switchSeam(source: string): string {
  return source.replace(/(\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)(["'])(@cdktf\/provider-aws|cdktf)(?=[/"'])/g, (_m, lead: string, q: string, name: string) => `${lead}${q}${name === "cdktf" ? "cdktn" : "@cdktn/provider-aws"}`);
}

/** package.json for cdktn: framework, provider and CLI renamed, constructs below 10.8, Node >= 22.19. */
export function switchPackage(pkg: any): any {
  const next = structuredClone(pkg);
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  delete next.dependencies.cdktf;
  delete next.dependencies["@cdktf/provider-aws"];
  delete next.devDependencies["cdktf-cli"];
  next.dependencies = sorted({ ...next.dependencies, cdktn: CDKTN.cdktn, "@cdktn/provider-aws": CDKTN["@cdktn/provider-aws"], constructs: CDKTN.constructs });
  next.devDependencies = sorted({ ...next.devDependencies, "cdktn-cli": CDKTN["cdktn-cli"] });
  next.engines = { ...next.engines, node: CDKTN.node };
  next.scripts = { ...next.scripts, deploy: "cdktn deploy" };
  return next;
}

/** One difference between two JSON values, by path. */
export interface JsonDifference {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export function jsonDifferences(a: unknown, b: unknown, path = ""): JsonDifference[] {
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(Object.hasOwn(a, k) ? a[k] : undefined, Object.hasOwn(b, k) ? b[k] : undefined, path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, before: a, after: b }];
}

/** Files below `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** Where a difference sits: the provider requirement (expected), a Terraform JSON comment (ignored by Terraform), or elsewhere. */
export function differenceKind(path: string): "required_providers" | "comment" | "other" {
  if (path.startsWith("terraform.required_providers.")) return "required_providers";
  // `//` properties are comments in Terraform's JSON syntax (cdktf writes its version there):
  // https://developer.hashicorp.com/terraform/language/syntax/json#comment-properties
  if (path === "//" || path.startsWith("//.")) return "comment";
  return "other";
}

/**
 * Compares two synth output dirs: every stack file (differences allowed under terraform.required_providers and in
 * comments) and every manifest (no difference allowed).
 */
export function compareSynth(beforeOut: string, afterOut: string): { lines: string[]; failures: string[] } {
  const lines: string[] = [];
  const failures: string[] = [];
  const stacks = (out: string) => filesUnder(join(out, "stacks")).filter((f) => f.endsWith("cdk.tf.json"));
  const [before, after] = [stacks(beforeOut), stacks(afterOut)];
  if (JSON.stringify(before) !== JSON.stringify(after)) failures.push(`stack files differ: ${before.join(", ")} / ${after.join(", ")}`);
  if (before.length === 0) failures.push("no stack files were synthesized");
  for (const f of before.filter((x) => after.includes(x))) {
    const diffs = jsonDifferences(JSON.parse(readFileSync(join(beforeOut, "stacks", f), "utf8")), JSON.parse(readFileSync(join(afterOut, "stacks", f), "utf8")));
    const stack = dirname(f);
    for (const d of diffs) {
      const kind = differenceKind(d.path);
      const line = `${stack}: ${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}${kind === "comment" ? " (comment, ignored by Terraform)" : ""}`;
      (kind === "other" ? failures : lines).push(line);
    }
    if (diffs.length === 0) lines.push(`${stack}: identical`);
  }
  const manifests = [filesUnder(join(beforeOut, "manifests")), filesUnder(join(afterOut, "manifests"))];
  if (JSON.stringify(manifests[0]) !== JSON.stringify(manifests[1])) failures.push(`manifest files differ: ${manifests[0].join(", ")} / ${manifests[1].join(", ")}`);
  for (const m of manifests[0].filter((x) => manifests[1].includes(x)))
    if (readFileSync(join(afterOut, "manifests", m), "utf8") !== readFileSync(join(beforeOut, "manifests", m), "utf8")) failures.push(`manifests/${m} differs`);
  return { lines, failures };
}

// ---------------------------------------------------------------------------------------------------------------------

interface Step {
  readonly label: string;
  readonly seconds: number;
}
const steps: Step[] = [];

/** Runs a command with `nodeBin` first on PATH, inheriting output; throws with the label when it fails. */
function step(label: string, cwd: string, nodeBin: string, command: string, args: string[], env: Record<string, string> = {}): void {
  const t0 = Date.now();
  console.log(`check:cdktn: == ${label}`);
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"));
  const r = spawnSync(command, args, {
    cwd,
    stdio: "inherit",
    env: { ...cleanEnv, PATH: `${nodeBin}:${process.env.PATH}`, DISABLE_VERSION_CHECK: "true", CHECKPOINT_DISABLE: "1", CI: "1", ...env },
  });
  steps.push({ label, seconds: (Date.now() - t0) / 1000 });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status ?? r.signal})`);
}

function nodeRuntime(major: number): string {
  return execFileSync("bash", [join(ROOT, ".ci", "node-runtime"), String(major)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/** The checkout as files: tracked and untracked-but-not-ignored (node_modules, dist, cdktf.out stay behind). */
function copyCheckout(to: string): string[] {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(to, f));
  }
  // The guard tests list sources with `git ls-files`: give the copy an index of the same files.
  execFileSync("git", ["init", "-q"], { cwd: to });
  execFileSync("git", ["add", "-A"], { cwd: to });
  return files;
}

async function main(): Promise<void> {
  const { values } = parseCommandLine({ args: process.argv.slice(2), options: { keep: { type: "boolean", default: false }, "skip-tests": { type: "boolean", default: false }, "config-dir": { type: "string" } } });
  // Both synths read the same environments, named absolutely (each runs in its own copy of the checkout).
  const configEnv = { BEDROCK_CONFIG_DIR: values["config-dir"] ? resolve(values["config-dir"]) : join(ROOT, "config") };
  const work = mkdtempSync(join(tmpdir(), "check-cdktn-"));
  // Two copies with the same layout (<side>/repo, <side>/out), so the relative local-backend paths synth writes
  // (stack dir -> project root) are the same on both sides. The cdktf side reuses this checkout's node_modules.
  const base = join(work, "cdktf", "repo");
  const copy = join(work, "cdktn", "repo");
  let ok = false;
  try {
    const files = copyCheckout(base);
    symlinkSync(join(ROOT, "node_modules"), join(base, "node_modules"), "dir");
    copyCheckout(copy);
    for (const seam of SEAMS) writeFileSync(join(copy, seam), switchSeam(readFileSync(join(copy, seam), "utf8")));
    writeFileSync(join(copy, "package.json"), JSON.stringify(switchPackage(JSON.parse(readFileSync(join(copy, "package.json"), "utf8"))), null, 2) + "\n");
    const changed = files.filter((f) => readFileSync(join(copy, f), "utf8") !== readFileSync(join(base, f), "utf8"));
    console.log(`check:cdktn: changed files: ${changed.join(", ")}`);
    const unexpected = changed.filter((f) => !SWITCHED.has(f));
    if (unexpected.length > 0 || SEAMS.some((s) => !changed.includes(s))) throw new Error(`the switch must change exactly ${SEAMS.join(", ")} and package.json; changed ${changed.join(", ")}`);
    for (const seam of SEAMS) if (/["'](cdktf|@cdktf\/provider-aws)[/"']/.test(readFileSync(join(copy, seam), "utf8"))) throw new Error(`${seam} still imports cdktf`);

    const node22 = nodeRuntime(22);
    const node24 = nodeRuntime(24);
    step("install (npm install, node 22)", copy, node22, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"]);
    step("type check (tsc --noEmit)", copy, node22, "npx", ["tsc", "--noEmit"]);
    if (!values["skip-tests"]) step("tests (jest, node 22)", copy, node22, "npx", ["jest"]);
    const cdktfOut = join(work, "cdktf", "out");
    const cdktnOut = join(work, "cdktn", "out");
    const cliOut = join(work, "cdktn", "out-cli");
    step("synth with cdktf (npm run synth, node 22)", base, node22, "npm", ["run", "synth", "--silent"], { CDKTF_OUTDIR: cdktfOut, ...configEnv });
    step("synth with cdktn (npm run synth, node 22)", copy, node22, "npm", ["run", "synth", "--silent"], { CDKTF_OUTDIR: cdktnOut, ...configEnv });
    step("synth with the cdktn CLI (cdktn synth, node 24)", copy, node24, "npx", ["cdktn", "synth", "--output", cliOut], configEnv);

    const { lines, failures } = compareSynth(cdktfOut, cdktnOut);
    const cli = compareSynth(cdktnOut, cliOut);
    const cliFailures = [...cli.failures, ...cli.lines.filter((l) => !l.endsWith(": identical"))].map((l) => `cdktn CLI vs npm run synth: ${l}`);
    // One line per distinct difference, with the stacks that show it.
    const byDifference = new Map<string, string[]>();
    for (const l of lines) {
      const [stack, ...rest] = l.split(": ");
      const key = rest.join(": ");
      byDifference.set(key, [...(byDifference.get(key) ?? []), stack]);
    }
    const stackCount = new Set(lines.map((l) => l.split(": ")[0])).size;
    console.log(`check:cdktn: synthesized stacks, cdktf -> cdktn (${stackCount} stacks compared):`);
    for (const [d, stacks] of byDifference) console.log(`  ${d}  [${stacks.length === stackCount ? "every stack" : stacks.join(", ")}]`);
    console.log(`check:cdktn: cdktn CLI (node 24) vs npm run synth: ${cli.lines.filter((l) => l.endsWith(": identical")).length} of ${cli.lines.length} stacks identical`);
    for (const f of [...failures, ...cliFailures]) console.error(`  NOT ALLOWED ${f}`);
    console.log("check:cdktn: wall time per step");
    for (const s of steps) console.log(`  ${s.label.padEnd(48)} ${s.seconds.toFixed(0)} s`);
    if (failures.length + cliFailures.length > 0) throw new Error("synthesized JSON differs beyond required_providers");
    ok = true;
    console.log(`check:cdktn: PASS (type check${values["skip-tests"] ? "" : ", tests"} and synth pass on cdktn; stacks differ only in required_providers)`);
  } finally {
    if (values.keep || !ok) console.log(`check:cdktn: copies kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`check:cdktn: FAIL: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
