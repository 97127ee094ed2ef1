import type * as IamSimulate from "@cloud-copilot/iam-simulate";

// The environment check's IAM matrix runs a real policy evaluator, @cloud-copilot/iam-simulate, which is AGPL-3.0.
// The CLI package must not depend on it: it is an optional peer dependency, loaded here and only here when the team's
// repository installs it (a devDependency of its own, accepting its licence). This repository installs it as a
// devDependency (tests, .ci/run). docs/adopting.md, "The IAM matrix".

/** The optional peer dependency and the version the matrix is tested with. */
export const IAM_EVALUATOR = { name: "@cloud-copilot/iam-simulate", version: "0.1.173", licence: "AGPL-3.0-or-later" } as const;

/** What the matrix uses of the evaluator. */
export type IamSimulateModule = Pick<typeof IamSimulate, "runSimulation" | "runUnsafeSimulation">;

/** How to turn the matrix on, for the line the check prints when it is skipped. */
export const ENABLE_IAM_MATRIX = `npm install --save-dev ${IAM_EVALUATOR.name}@${IAM_EVALUATOR.version} (${IAM_EVALUATOR.licence}: read its licence first)`;

/** True when `err` says `name` itself is not installed (not that something it requires is missing). */
function isMissing(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.split("\n")[0].includes(`'${name}'`);
}

let cached: IamSimulateModule | null | undefined;

/**
 * The evaluator when installed, else undefined. `load` requires it (a test passes its own); a broken install (the
 * package present but failing to load) is rethrown, not mistaken for an absent one.
 */
export function loadIamEvaluator(load: () => unknown = () => require("@cloud-copilot/iam-simulate")): IamSimulateModule | undefined {
  try {
    return load() as IamSimulateModule;
  } catch (err) {
    if (isMissing(err, IAM_EVALUATOR.name)) return undefined;
    throw err;
  }
}

/** `loadIamEvaluator()` once per process. */
export function iamEvaluator(): IamSimulateModule | undefined {
  if (cached === undefined) cached = loadIamEvaluator() ?? null;
  return cached ?? undefined;
}
