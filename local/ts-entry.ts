import { spawn } from "node:child_process";
import * as path from "node:path";

/** The repository root, where the TypeScript entry points live. */
export const ROOT = path.resolve(__dirname, "..");

/**
 * Runs a TypeScript entry point of this repository (`main.ts`, `smoke/cli.ts`) in a child process with inherited
 * stdio, the way `npm run` starts it (Node with the transpile cache, cli/transpile-cache.js); resolves with its exit
 * code. Asynchronous on purpose: an endpoint in this process keeps serving meanwhile.
 */
export function runTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", path.join(ROOT, "cli", "transpile-cache.js"), script, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
