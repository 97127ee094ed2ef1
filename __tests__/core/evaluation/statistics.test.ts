import { minimumPairs, nonInferior, percentile, tangoInterval, Z_95 } from "../../../core/evaluation";

describe("Tango's score interval for paired proportions", () => {
  // Published worked example: complete response before and after consolidation therapy (Cavo et al. 2012), the paired
  // 2x2 table [[59, 6], [16, 80]] analysed in Fagerland, Lydersen & Laake, "Recommended tests and confidence
  // intervals for paired binomial proportions", Stat Med 33 (2014) 2850-2875 (and their book "Statistical Analysis
  // of Contingency Tables", ch. 8): estimate -0.0621, Tango asymptotic score 95% CI -0.1240 to -0.0054. The R package
  // contingencytables (ocbe-uio/contingencytables, tests/testthat/test-ch8.R) checks the same figures.
  it("reproduces the published Cavo et al. example: -0.0621 (95% CI -0.1240 to -0.0054)", () => {
    const ci = tangoInterval({ pairs: 161, candidateOnly: 6, baselineOnly: 16 })!;
    expect(ci.estimate).toBeCloseTo(-0.0621, 4);
    expect(ci.lower).toBeCloseTo(-0.124, 4);
    expect(ci.upper).toBeCloseTo(-0.0054, 4);
  });

  it("with every pair agreeing, the limits are -+z^2/(N+z^2) (the score interval's closed form there), not a point like Wald's", () => {
    for (const n of [8, 20, 73, 100, 1000]) {
      const ci = tangoInterval({ pairs: n, candidateOnly: 0, baselineOnly: 0 })!;
      const bound = (Z_95 * Z_95) / (n + Z_95 * Z_95);
      expect(ci.estimate).toBe(0);
      expect(ci.lower).toBeCloseTo(-bound, 10);
      expect(ci.upper).toBeCloseTo(bound, 10);
    }
  });

  it("is antisymmetric: swapping the two kinds of disagreement negates the interval", () => {
    for (const [n, b, c] of [
      [50, 3, 9],
      [161, 6, 16],
      [20, 0, 4],
      [12, 7, 5],
    ]) {
      const a = tangoInterval({ pairs: n, candidateOnly: b, baselineOnly: c })!;
      const s = tangoInterval({ pairs: n, candidateOnly: c, baselineOnly: b })!;
      expect(s.lower).toBeCloseTo(-a.upper, 9);
      expect(s.upper).toBeCloseTo(-a.lower, 9);
    }
  });

  it("contains the estimate, stays within [-1, 1], and narrows as the sample grows", () => {
    const widths = [10, 40, 160, 640].map((n) => {
      const ci = tangoInterval({ pairs: n, candidateOnly: n / 10, baselineOnly: n / 5 })!;
      expect(ci.lower).toBeLessThan(ci.estimate);
      expect(ci.upper).toBeGreaterThan(ci.estimate);
      expect(ci.lower).toBeGreaterThanOrEqual(-1);
      expect(ci.upper).toBeLessThanOrEqual(1);
      return ci.upper - ci.lower;
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThan(widths[i - 1]);
  });

  it("handles the extremes: every pair won by one side, and no pairs at all", () => {
    expect(tangoInterval({ pairs: 5, candidateOnly: 0, baselineOnly: 5 })).toMatchObject({ estimate: -1, lower: -1 });
    expect(tangoInterval({ pairs: 5, candidateOnly: 5, baselineOnly: 0 })).toMatchObject({ estimate: 1, upper: 1 });
    expect(tangoInterval({ pairs: 0, candidateOnly: 0, baselineOnly: 0 })).toBeUndefined();
    expect(tangoInterval({ pairs: 3, candidateOnly: 2, baselineOnly: 2 })).toBeUndefined(); // more disagreements than pairs
  });
});

describe("the non-inferiority decision and the pairs it needs", () => {
  it("passes only when the lower limit is above -margin", () => {
    expect(nonInferior({ estimate: 0, lower: -0.049, upper: 0.05 }, 0.05)).toBe(true);
    expect(nonInferior({ estimate: 0, lower: -0.05, upper: 0.05 }, 0.05)).toBe(false);
    expect(nonInferior({ estimate: 0, lower: -0.2, upper: 0.05 }, 0.05)).toBe(false);
  });

  it.each([0.05, 0.1, 0.02, 0.5])("minimumPairs(%s) is the exact threshold: all-agreeing pairs pass there and fail one below", (margin) => {
    const n = minimumPairs(margin);
    expect(nonInferior(tangoInterval({ pairs: n, candidateOnly: 0, baselineOnly: 0 })!, margin)).toBe(true);
    expect(nonInferior(tangoInterval({ pairs: n - 1, candidateOnly: 0, baselineOnly: 0 })!, margin)).toBe(false);
  });

  it("a 5-point margin needs 73 agreeing pairs", () => {
    expect(minimumPairs(0.05)).toBe(73);
  });

  it("a candidate clearly worse fails, one as good as the baseline with enough pairs passes", () => {
    // 200 pairs: the candidate loses 30, wins 5 (12.5 points worse).
    expect(nonInferior(tangoInterval({ pairs: 200, candidateOnly: 5, baselineOnly: 30 })!, 0.05)).toBe(false);
    // 200 pairs, 3 each way.
    expect(nonInferior(tangoInterval({ pairs: 200, candidateOnly: 3, baselineOnly: 3 })!, 0.05)).toBe(true);
  });
});

describe("percentile (nearest rank)", () => {
  it.each<[number[], number, number | undefined]>([
    [[], 50, undefined],
    [[7], 90, 7],
    [[5, 1, 4, 2, 3], 50, 3],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 91, 100],
  ])("%j p%s = %s", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});
