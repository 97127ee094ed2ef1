/**
 * The one exit policy of every `npm run bench:*` script: each figure is printed with its target and marked `within`
 * or `OVER`; the script exits 0 whatever the figures (a benchmark on a busy machine is information, not a verdict),
 * unless `--check` is given, when any missed target exits 1. A failure to run at all (a crash) exits 1 either way.
 */
import { describeUserError } from "../cli/user-error";

/** How a figure compares with its target. */
export type Bound = "<=" | ">=" | "=";

export interface FigureLine {
  readonly label: string;
  readonly value: number;
  readonly target: number;
  readonly bound: Bound;
  /** Formats both value and target, e.g. `(x) => `${x.toFixed(2)} s``. */
  readonly format: (x: number) => string;
  /** Appended after the verdict, e.g. how the figure was measured. */
  readonly note?: string;
}

/** Collects figures, prints them as they come, and decides the exit code. */
export class BenchReport {
  private readonly missed: string[] = [];
  private checked = 0;

  constructor(
    /** From `--check`. */
    readonly check: boolean,
    private readonly print: (line: string) => void = (l) => console.log(l),
  ) {}

  /** `  wall  1.85 s  (target <= 2.50 s)  within` */
  figure(f: FigureLine): boolean {
    this.checked++;
    const ok = f.bound === "<=" ? f.value <= f.target : f.bound === ">=" ? f.value >= f.target : f.value === f.target;
    if (!ok) this.missed.push(f.label);
    this.print(`  ${f.label.padEnd(34)} ${f.format(f.value).padStart(12)}   (target ${f.bound} ${f.format(f.target)})   ${ok ? "within" : "OVER"}${f.note ? `   ${f.note}` : ""}`);
    return ok;
  }

  /** A figure without a target (context for the others). */
  info(label: string, text: string): void {
    this.print(`  ${label.padEnd(34)} ${text}`);
  }

  /** Prints the verdict line and returns the exit code under the policy. */
  finish(): number {
    if (this.missed.length === 0) {
      this.print(this.checked === 0 ? "figures only (no targets)" : "all figures within their targets");
      return 0;
    }
    this.print(`OVER target: ${this.missed.join(", ")}${this.check ? " (--check: exit 1)" : " (exit 0; pass --check to fail on a missed target)"}`);
    return this.check ? 1 : 0;
  }
}

/** `--check` anywhere in argv, and argv without it. */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)): { check: boolean; rest: string[] } {
  return { check: argv.includes("--check"), rest: argv.filter((a) => a !== "--check") };
}

/** Runs a bench's main: its exit code under the policy; a usage error is one line (exit 2), a crash prints the error and exits 1. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A usage mistake is one line (exit 2) like in every command; anything else is a crash with its stack trace.
      const user = describeUserError(e);
      if (user) for (const line of user.lines) process.stderr.write(line + "\n");
      else console.error(e);
      process.exitCode = user ? user.exitCode : 1;
    },
  );
}
