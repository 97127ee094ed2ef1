import { spawn } from "node:child_process";
import { type LocalEndpoint, type LocalEndpointOptions, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { ROOT } from "../fixtures";
import { destroyClients } from "./clients";

// The local endpoint tests' shared set-up: one stand-in per test file, scenario refusals, the commands as processes.

/**
 * One stand-in for the test file (or the describe block this is called in): started before all, closed after all;
 * after each test its faults, scripted state and call log are reset, `afterEachTest` restores what the file changed,
 * and the SDK clients made through ./clients are destroyed. `use` receives the endpoint once it listens.
 */
export function useEndpoint(options: LocalEndpointOptions, use: (ep: LocalEndpoint) => void, afterEachTest: (ep: LocalEndpoint) => void = () => undefined): void {
  let ep: LocalEndpoint | undefined;
  beforeAll(async () => {
    ep = await startLocalEndpoint(options);
    use(ep);
  });
  afterEach(() => {
    ep?.reset();
    ep?.clearCalls();
    if (ep) afterEachTest(ep);
    destroyClients();
  });
  afterAll(() => ep?.close());
}

/** The ScenarioError `fn` throws (the test fails when it throws nothing or something else). */
export function scenarioError(fn: () => unknown): ScenarioError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

/** What a child process printed, and how it ended. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript entry point (`local/cli.ts ...`) as `npm run` would, through ts-node, in the checkout; `onStdout`
 * sees the output so far and may end the process (SIGTERM) once it has seen what it waits for.
 */
export function runTs(args: readonly string[], env: NodeJS.ProcessEnv = process.env, onStdout?: (text: string, kill: () => void) => void): Promise<ProcessResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, () => child.kill("SIGTERM"));
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
