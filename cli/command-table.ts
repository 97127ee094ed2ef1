import type { CommandIo } from "./command-io";

// The subcommands of `bedrock-baseline`: each runs the same entry point as the repository's npm script (main.ts for
// synth, smoke/cli.ts for smoke, ...). Entry points are loaded when their command runs, so `bedrock-baseline models`
// does not load cdktf or the AWS SDK.

/** One subcommand: what `bedrock-baseline --help` lists and what runs it. */
export interface Command {
  /** As typed: `synth`, `catalog sync`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Runs the command with its arguments; resolves with the exit code (0, 1 the checked thing failed, 2 usage). */
  readonly run: (args: string[], io: CommandIo) => Promise<number>;
}

/** Lines of text (possibly several per call, as synth writes them) to the line-based io. */
const lines = (write: (line: string) => void) => (text: string) => text.replace(/\n$/, "").split("\n").forEach(write);

export const COMMANDS: readonly Command[] = [
  {
    name: "init",
    summary: "write a starter repository: config/<env>.json, cdktf.json, package.json, main.ts, a CI workflow",
    run: async (args, io) => (await import("./starter-command")).initCommand(args, io),
  },
  {
    name: "synth",
    summary: "validate every config/*.json and write the Terraform stacks and smoke manifests to cdktf.out/",
    run: async (args, io) => (await import("../main")).synth(args, { env: io.env, stdout: lines(io.stdout), stderr: lines(io.stderr) }),
  },
  {
    name: "check",
    summary: "what CI runs on config/: validate, synthesize, the smoke plan, the IAM matrix (when installed)",
    run: async (args, io) => (await import("../environment-check/check-run")).checkEnvironments(args, io),
  },
  {
    name: "models",
    summary: "what the model catalog knows per region: IDs, profiles, lifecycle, output limit, service tiers",
    run: async (args, io) => (await import("./model-listing")).modelsCommand(args, io),
  },
  {
    name: "diff",
    summary: "a Terraform plan of every stack of an environment, one stack after the other (cdktf diff)",
    run: async (args, io) => (await import("./stack-commands")).stackCommand("diff", args, io),
  },
  {
    name: "deploy",
    summary: "apply an environment's stacks (cdktf deploy), after checking the runtime, Terraform and credentials",
    run: async (args, io) => (await import("./stack-commands")).stackCommand("deploy", args, io),
  },
  {
    name: "smoke",
    summary: "after apply: prove every configured model answers in every region; --local: against the local stand-in",
    // --local: the stand-in seeded as the deploy would have left the account (npm run smoke:local here).
    run: async (args, io) => (args.includes("--local") ? (await import("../local/local-smoke")).runLocalSmoke(args.filter((a) => a !== "--local"), io) : (await import("../smoke/cli")).main(args, io)),
  },
  {
    name: "toggle",
    summary: "disable, enable, switch primary, canary, promote or abort a route's model through AppConfig",
    run: async (args, io) => (await import("../toggle/cli")).runToggle(args, { out: io.stdout, err: io.stderr }),
  },
  {
    name: "status",
    summary: "what the toggle has made of each region now: who answers each route, canaries and their age, deployments",
    run: async (args, io) => (await import("../toggle/status")).statusCommand(args, io),
  },
  {
    name: "eval",
    summary: "run a route's golden set against its primary and a candidate model: the gate for a canary",
    run: async (args, io) => (await import("../evaluation/cli")).main(args, io, io.env),
  },
  {
    name: "catalog sync",
    summary: "read models, profiles and quotas from the account into the catalog snapshot",
    run: async (args, io) => (await import("./catalog-sync-command")).catalogSyncCommand(args, io),
  },
  {
    name: "local-endpoint",
    summary: "the local AWS stand-in (Bedrock, AppConfig, Service Quotas, STS over their wire protocols), offline",
    run: async (args, io) => (await import("./local-endpoint-command")).localEndpointCommand(args, io),
  },
];
