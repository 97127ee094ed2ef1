// The GitHub Actions workflow `bedrock-baseline init` writes (.github/workflows/bedrock-baseline.yml). Its offline
// job's steps are data (CHECK_STEPS), so the starter test runs exactly the commands the workflow runs.
// Workflow syntax: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax

/** One `run:` step. */
export interface WorkflowStep {
  readonly name: string;
  /** A shell command, run in the repository's root with bash. */
  readonly run: string;
}

/** The offline job: every environment validated, synthesized and checked, then smoke-tested against the local stand-in. */
export const CHECK_STEPS: readonly WorkflowStep[] = [
  { name: "Synthesize every environment", run: "npx bedrock-baseline synth" },
  { name: "Check every environment (validation, synth, smoke plan, IAM matrix when installed)", run: "npx bedrock-baseline check" },
  {
    name: "Smoke test every environment against the local AWS stand-in",
    run: 'for f in config/*.json; do npx bedrock-baseline smoke --local --env "$(basename "$f" .json)" || exit 1; done',
  },
];

/** YAML for a scalar that may hold `:`, `#`, quotes or `$`: single-quoted, quotes doubled. */
const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

const stepLines = (steps: readonly WorkflowStep[]) => steps.flatMap((s) => [`      - name: ${yamlString(s.name)}`, `        run: ${yamlString(s.run)}`]);

/** Both jobs start the same way: the repository, Node 22 with npm's cache, a clean install from the lock file. */
const SETUP_STEPS = ["      - uses: actions/checkout@v4", "      - uses: actions/setup-node@v4", "        with:", "          node-version: 22", "          cache: npm", "      - run: npm ci"];

/** The workflow file; `firstRegion` is where the smoke job's credentials are issued. */
export function workflowYaml(version: string, firstRegion: string): string {
  return [
    `# Written by bedrock-baseline init ${version} (docs/adopting.md of the product). Edit freely: it is yours.`,
    "# check: on every change, offline (no AWS account): every config/*.json validated, synthesized, its IAM and smoke",
    "#        plan checked, and the smoke test run against the local AWS stand-in.",
    "# smoke: by hand after `npx bedrock-baseline deploy --env <env>`: every model of the environment answers in the real",
    "#        account. Needs a role the job can assume through GitHub's OIDC provider, with the stack's smoke policy",
    "#        (output smoke_policy_arns) attached, in the repository secret BEDROCK_SMOKE_ROLE_ARN.",
    "name: bedrock-baseline",
    "on:",
    "  pull_request:",
    "  push:",
    "    branches: [main]",
    "  workflow_dispatch:",
    "    inputs:",
    "      environment:",
    "        description: environment to smoke-test in its AWS account (config/<environment>.json)",
    "        required: true",
    "        type: string",
    "permissions:",
    "  contents: read",
    "jobs:",
    "  check:",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 20",
    "    steps:",
    ...SETUP_STEPS,
    ...stepLines(CHECK_STEPS),
    "  smoke:",
    "    if: github.event_name == 'workflow_dispatch'",
    "    needs: check",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 15",
    "    permissions:",
    "      contents: read",
    "      id-token: write",
    "    steps:",
    ...SETUP_STEPS,
    "      - uses: aws-actions/configure-aws-credentials@v4",
    "        with:",
    "          role-to-assume: ${{ secrets.BEDROCK_SMOKE_ROLE_ARN }}",
    `          aws-region: ${firstRegion}`,
    ...stepLines([
      { name: "Synthesize the environment (the manifests smoke reads)", run: 'npx bedrock-baseline synth --env "$ENVIRONMENT"' },
      { name: "Smoke test in the account", run: 'npx bedrock-baseline smoke --env "$ENVIRONMENT" --junit reports/smoke.xml --json reports/smoke.json' },
    ]).flatMap((l) => (l.startsWith("        run:") ? [l, "        env:", "          ENVIRONMENT: ${{ inputs.environment }}"] : [l])),
    "      - uses: actions/upload-artifact@v4",
    "        if: always()",
    "        with:",
    "          name: smoke-reports",
    "          path: reports/",
    "",
  ].join("\n");
}
