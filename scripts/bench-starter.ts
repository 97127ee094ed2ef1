/**
 * Adoption figures, as a team gets the product: the three packages' tarball and unpacked sizes, a starter written by
 * `bedrock-baseline init` with the tarballs installed (registry dependencies from the npm cache, as in the starter
 * test), the install's wall time and size (and what takes the room), then `bedrock-baseline synth` and `check` in the
 * starter (median of several cold processes). Printed against the targets of "adopt it in five minutes".
 * Run: npm run bench:starter [-- --runs 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandLine } from "../cli/command-line";
import { runCli } from "../cli/user-error";
import { installedPackages, treeBytes } from "./client-package";
import { initStarter, installStarter, packAll, starterBinary } from "./product-packages";

/** What "five minutes" leaves for each step on a developer machine (the rest is reading and typing). */
const TARGETS = { installMs: 180_000, synthMs: 10_000, checkMs: 15_000 } as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ms: number, target: number) => `${s(ms).padStart(7)}  target ${s(target)}  ${ms <= target ? "ok" : "OVER"}`;

async function timed(dir: string, args: string[], runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await starterBinary(dir, args, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    if (r.code !== 0) throw new Error(`bedrock-baseline ${args.join(" ")} exited with ${r.code}: ${r.stderr}`);
    samples.push(r.ms);
  }
  return median(samples);
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({ args: process.argv.slice(2), options: { runs: { type: "string" } }, allowPositionals: false });
  const runs = Math.max(1, Number(values.runs ?? "5"));
  const work = mkdtempSync(join(tmpdir(), "bench-starter-"));
  try {
    const packed = await packAll(work);
    const starter = join(work, "starter");
    await initStarter(starter, ["--account", "123456789012", "--regions", "us-east-1,eu-west-1", "--alarm-email", "platform@example.com"]);
    const installMs = await installStarter(starter, [packed.cdktf.tarball, packed.cli.tarball]);
    const nodeModules = join(starter, "node_modules");
    const part = (name: string) => treeBytes(join(nodeModules, name));
    const synthMs = await timed(starter, ["synth"], runs);
    const checkMs = await timed(starter, ["check"], runs);

    console.log(`starter packages, node ${process.version}, ${runs} cold runs each (median)`);
    for (const p of [packed.client, packed.cdktf, packed.cli]) console.log(`  ${p.name.padEnd(40)} tarball ${kb(p.size).padStart(7)}, unpacked ${kb(p.unpackedSize).padStart(8)}, ${p.files.length} files`);
    console.log(`  install (npm install of the two tarballs, npm cache warm)  ${verdict(installMs, TARGETS.installMs)}`);
    const total = treeBytes(nodeModules);
    const provider = part("@cdktf/provider-aws");
    const product = part("@bedrock-access-baseline");
    console.log(
      `  installed: ${mb(total)} in ${installedPackages(nodeModules).size} packages: @cdktf/provider-aws ${mb(provider)}, the product's packages ${mb(product)}, ` +
        `the rest ${mb(total - provider - product)} (cdktf-cli and its tooling for diff/deploy, TypeScript and ts-node for main.ts, cdktf, the AWS SDK clients)`,
    );
    console.log(`  bedrock-baseline synth (2 regions)                          ${verdict(synthMs, TARGETS.synthMs)}`);
    console.log(`  bedrock-baseline check (no IAM evaluator installed)         ${verdict(checkMs, TARGETS.checkMs)}`);
    return installMs <= TARGETS.installMs && synthMs <= TARGETS.synthMs && checkMs <= TARGETS.checkMs ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) void runCli(main);
