import type { EnvironmentConfig } from "../environment";
import type { Problem } from "../problems";

/** One environment of a set validated together, as its file is named in messages. */
export interface NamedEnvironment {
  readonly displayName: string;
  readonly config: EnvironmentConfig;
}

/**
 * Settings that exist once per account and Region, checked across the environments synthesized together: Bedrock's
 * model invocation logging configuration is one per account and Region
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html), so two environments of one
 * account that both provision it in a region would overwrite each other on every apply. The later file gets the problem.
 */
export function sharedAccountProblems(envs: readonly NamedEnvironment[]): Array<{ readonly displayName: string; readonly problems: Problem[] }> {
  const owner = new Map<string, string>();
  const out: Array<{ displayName: string; problems: Problem[] }> = [];
  for (const e of envs) {
    if (!e.config.invocationLogging.enabled) continue;
    const problems: Problem[] = [];
    for (const region of e.config.regions) {
      const key = `${e.config.account}/${region}`;
      const first = owner.get(key);
      if (first === undefined) owner.set(key, e.displayName);
      else
        problems.push({
          path: "invocationLogging.enabled",
          message: `${first} already provisions model invocation logging in account ${e.config.account}, ${region}: there is one configuration per account and Region, and each apply would overwrite the other's`,
          fix: `turn invocation logging on in one environment of the account only (e.g. keep it in ${first})`,
        });
    }
    if (problems.length) out.push({ displayName: e.displayName, problems });
  }
  return out;
}
