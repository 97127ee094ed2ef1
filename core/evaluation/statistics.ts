/*
 * The gate's statistics. Baseline and candidate answer the same cases (and repeats), so their pass/fail outcomes are
 * paired: what differs between the two models shows only in the discordant pairs (one passed, the other failed).
 * The difference in pass rates, candidate minus baseline, gets Tango's asymptotic score interval for paired
 * proportions:
 *   T. Tango, "Equivalence test and confidence interval for the difference in proportions for the paired-sample
 *   design", Statistics in Medicine 17 (1998) 891-908, https://doi.org/10.1002/(SICI)1097-0258(19980430)17:8%3C891::AID-SIM780%3E3.0.CO;2-B
 * It was derived for exactly this non-inferiority question, stays inside [-1, 1], behaves with few or no discordant
 * pairs (a Wald interval collapses to a point there), and is among the intervals Fagerland, Lydersen and Laake
 * recommend for paired proportions ("Recommended tests and confidence intervals for paired binomial proportions",
 * Statistics in Medicine 33 (2014) 2850-2875, https://doi.org/10.1002/sim.6148).
 */

/** Two-sided 95%: the normal quantile for 97.5%. */
export const Z_95 = 1.959963984540054;

/** A paired sample: how many pairs, and the two kinds of disagreement. */
export interface PairedCounts {
  /** Pairs in which both sides were measured. */
  readonly pairs: number;
  /** Candidate passed, baseline failed. */
  readonly candidateOnly: number;
  /** Baseline passed, candidate failed. */
  readonly baselineOnly: number;
}

/** A confidence interval for candidate minus baseline pass rate, as fractions. */
export interface DifferenceInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Tango's score statistic at a hypothesised difference `delta`: (b - c - N delta) / sqrt(N (2 q + delta (1 - delta))),
 * with q the restricted maximum-likelihood estimate of the baseline-only cell probability under that difference
 * (Tango 1998, equations 3-5). b = candidate-only, c = baseline-only.
 */
function tangoStatistic(b: number, c: number, n: number, delta: number): number {
  const A = 2 * n;
  const B = -b - c + (2 * n - b + c) * delta;
  const C = -c * delta * (1 - delta);
  const q = (Math.sqrt(B * B - 4 * A * C) - B) / (2 * A);
  return (b - c - n * delta) / Math.sqrt(n * (2 * q + delta * (1 - delta)));
}

/** The root of a decreasing `f` in (lo, hi), known to be positive at lo and negative at hi: bisection to float precision. */
function decreasingRoot(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-14; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Tango's interval at confidence z (default two-sided 95%): the differences the score test does not reject. The
 * statistic falls as the hypothesised difference grows, equals 0 at the estimate, so each limit is one root. Returns
 * undefined for no pairs.
 */
export function tangoInterval(counts: PairedCounts, z = Z_95): DifferenceInterval | undefined {
  const { pairs: n, candidateOnly: b, baselineOnly: c } = counts;
  if (!(n > 0) || b < 0 || c < 0 || b + c > n) return undefined;
  const estimate = (b - c) / n;
  // The limits are found strictly inside (-1, 1) and away from the estimate, where the statistic is defined.
  const lower = estimate <= -1 ? -1 : decreasingRoot((d) => tangoStatistic(b, c, n, d) - z, -1, estimate);
  const upper = estimate >= 1 ? 1 : decreasingRoot((d) => tangoStatistic(b, c, n, d) + z, estimate, 1);
  return { estimate, lower, upper };
}

/**
 * The non-inferiority decision: the candidate is not worse than the baseline by `margin` or more when the whole
 * interval lies above -margin (the lower limit of a two-sided 95% interval is a one-sided test at 2.5%).
 */
export function nonInferior(interval: DifferenceInterval, margin: number): boolean {
  return interval.lower > -margin;
}

/**
 * The fewest pairs with which the gate can pass at all: even when every pair agrees, the lower limit is
 * -z^2 / (N + z^2) (the interval's value for b = c = 0), which must lie above -margin.
 */
export function minimumPairs(margin: number, z = Z_95): number {
  if (!(margin > 0 && margin < 1)) return Number.POSITIVE_INFINITY;
  return Math.floor((z * z * (1 - margin)) / margin) + 1;
}

/** The p-th percentile (0-100) by the nearest-rank method, on a copy; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
