import { spawnSync } from "node:child_process";

/** Where to get Terraform; cdktf 0.21 drives any Terraform >= 1.2 (https://developer.hashicorp.com/terraform/cdktf). */
export const TERRAFORM_INSTALL = "https://developer.hashicorp.com/terraform/install";

/**
 * Why `terraform` cannot be run here (not on PATH, or `terraform version` fails), or undefined when it can. `cdktf
 * diff` and `deploy` need it; synth does not.
 */
export function terraformUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const r = spawnSync("terraform", ["version"], { env, encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "terraform is not on PATH" : `terraform version failed (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `terraform version exited with ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split("\n")[0] ?? ""}`;
  return undefined;
}
