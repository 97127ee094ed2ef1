/** One thing wrong with user input: where (JSON path), what, and how to fix it. */
export interface Problem {
  /** JSON path inside the file, e.g. `routes.summarization.maxTokens`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  /** Warnings are printed but do not fail the run. Default: error. */
  readonly severity?: "error" | "warning";
}

/** `config/prod.json: routes.a.maxTokens: too big -> lower it` */
export function formatProblem(file: string, p: Problem): string {
  const where = p.path ? `${file}: ${p.path}` : file;
  const prefix = p.severity === "warning" ? "warning: " : "";
  return `${prefix}${where}: ${p.message} -> ${p.fix}`;
}

export function isError(p: Problem): boolean {
  return p.severity !== "warning";
}

/** Renders a path from zod-style segments: `["routes","a b",0]` -> `routes["a b"][0]`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(s))) out += out ? `.${String(s)}` : String(s);
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/**
 * A mistake the user can fix. CLIs print `problems` one per line and exit non-zero, never a stack trace.
 */
export class UserInputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join("\n"));
    this.name = "UserInputError";
  }
}
