import * as path from "node:path";
import type { z } from "zod";
import type { Catalog } from "../core/catalog";
import type { BaselinePlan, environmentSchema } from "../core/environment";
import { escapeControls, formatProblem, type Problem, UserInputError } from "../core/problems";
import { validateEnvironment } from "../core/validation";
import { loadCatalog, shippedCatalog } from "../cli/catalog-files";
import { loadEnvironments as loadEnvironmentDirectory, readEnvironmentFile } from "../cli/environment-files";
import { CliError, UserInputErrors } from "../cli/user-error";

// How the construct library turns what a team hands it (a file path, a parsed object, a directory) into a validated
// plan: the same reader and rules as `bedrock-baseline synth`, the same one-line problems, and a typed error instead
// of a printed list, before any construct exists.

/** An environment file's content as JSON (config/<env>.json): keys with defaults may be left out (docs/configuration.md). */
export type EnvironmentDocument = z.input<typeof environmentSchema>;

/** One problem of an environment: where (file and JSON path), what, and how to fix it. */
export interface EnvironmentProblem extends Problem {
  /** The file as messages name it (`config/dev.json`), or the `source` label of an object. */
  readonly file: string;
}

/**
 * An environment that cannot become a baseline: every problem of every file at once. `lines` are what synth prints
 * (`config/dev.json: routes.chat.maxTokens: 200000 exceeds the model's output limit (64000) -> ...`), one per problem.
 */
export class BaselineConfigurationError extends Error {
  /** Every problem, in file order. */
  readonly problems: readonly EnvironmentProblem[];
  /** One line per problem, as synth prints them. */
  readonly lines: readonly string[];

  constructor(problems: readonly EnvironmentProblem[]) {
    const lines = problems.map((p) => formatProblem(p.file, p));
    super(lines.join("\n"));
    this.name = "BaselineConfigurationError";
    this.problems = problems;
    this.lines = lines;
  }
}

/** An environment validated against the schema, the rules and the catalog; what BedrockBaseline builds from. */
export class ValidatedEnvironment {
  /** @internal the plan the stacks render (core/environment/baseline-plan.ts). */
  readonly plan: BaselinePlan;
  /** The file it was read from; undefined for an object. */
  readonly file?: string;
  /** Warnings (valid, but worth a look), one line each as synth prints them. */
  readonly warnings: readonly string[];

  /** @internal use readEnvironment, loadEnvironments or validateEnvironmentDocument. */
  constructor(plan: BaselinePlan, displayName: string, file?: string) {
    this.plan = plan;
    this.file = file;
    this.warnings = plan.warnings.map((w) => formatProblem(displayName, w));
  }

  /** The environment's `name` (also the file's base name). */
  get name(): string {
    return this.plan.config.name;
  }

  /** The environment's regions, in file order. */
  get regions(): readonly string[] {
    return this.plan.config.regions;
  }
}

/** Options every reader takes. */
export interface EnvironmentReadOptions {
  /** Directory holding the model catalog (snapshot.json, overlay.json). @default the catalog shipped with the package */
  readonly catalogDir?: string;
  /** ISO date (YYYY-MM-DD) lifecycle checks compare against. @default today (UTC) */
  readonly today?: string;
}

/** Converts the CLI's errors into the library's typed one; anything else is a bug and keeps its stack. */
function typed<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof UserInputErrors) throw new BaselineConfigurationError(err.errors.flatMap((e) => e.problems.map((p) => ({ ...p, file: e.file }))));
    if (err instanceof UserInputError) throw new BaselineConfigurationError(err.problems.map((p) => ({ ...p, file: err.file })));
    if (err instanceof CliError) throw new BaselineConfigurationError([{ file: "", path: "", message: err.message, fix: "check the path" }]);
    throw err;
  }
}

function catalogOf(options: EnvironmentReadOptions): Catalog {
  return options.catalogDir === undefined ? shippedCatalog() : loadCatalog(path.resolve(options.catalogDir));
}

/**
 * Reads and validates one environment file the way synth does: strict JSON (syntax errors with line and column,
 * repeated keys), the schema, the rules and the catalog, and its `name` must equal the file's base name. Throws
 * BaselineConfigurationError with every problem.
 */
export function readEnvironment(file: string, options: EnvironmentReadOptions = {}): ValidatedEnvironment {
  return typed(() => {
    const loaded = readEnvironmentFile(file, { catalog: catalogOf(options), ...(options.today ? { today: options.today } : {}) });
    return new ValidatedEnvironment(loaded.plan, loaded.displayName, loaded.file);
  });
}

/**
 * Reads and validates every `*.json` of `dir` (or the `only` ones), all before returning, so one error lists every
 * problem of every file. Throws BaselineConfigurationError; an empty or missing directory is one problem too.
 */
export function loadEnvironments(dir: string, options: EnvironmentReadOptions & { readonly only?: readonly string[] } = {}): ValidatedEnvironment[] {
  return typed(() =>
    loadEnvironmentDirectory(path.resolve(dir), { catalog: catalogOf(options), ...(options.only ? { only: options.only } : {}), ...(options.today ? { today: options.today } : {}) }).map(
      (l) => new ValidatedEnvironment(l.plan, l.displayName, l.file),
    ),
  );
}

/**
 * Validates an environment given as an object (parsed JSON, or built in code) with the same rules as a file. `source`
 * names it in problem lines. Throws BaselineConfigurationError with every problem.
 */
export function validateEnvironmentDocument(document: EnvironmentDocument | Record<string, unknown>, options: EnvironmentReadOptions & { readonly source?: string } = {}): ValidatedEnvironment {
  const source = escapeControls(options.source ?? "environment");
  return typed(() => new ValidatedEnvironment(validateEnvironment(document, source, { catalog: catalogOf(options), ...(options.today ? { today: options.today } : {}) }), source));
}

/** What BedrockBaseline accepts: a path, a parsed document, or an environment validated beforehand. */
export type EnvironmentSource = string | ValidatedEnvironment | EnvironmentDocument;

/** The validated environment of any source (a string is a file path). */
export function resolveEnvironment(source: EnvironmentSource, options: EnvironmentReadOptions = {}): ValidatedEnvironment {
  if (source instanceof ValidatedEnvironment) return source;
  if (typeof source === "string") return readEnvironment(source, options);
  if (typeof source !== "object" || source === null || Array.isArray(source))
    throw new BaselineConfigurationError([{ file: "environment", path: "", message: `is ${Array.isArray(source) ? "an array" : typeof source}`, fix: "pass a file path, a parsed environment object or a ValidatedEnvironment" }]);
  return validateEnvironmentDocument(source, options);
}
