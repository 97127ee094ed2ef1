/**
 * Properties of the bounds every command relies on: a listing always ends (and says why when it had to stop),
 * repeated problems are counted within a bounded number of lines, and no input document is too large or too deep
 * to be measured.
 */
import fc from "fast-check";
import { EndlessListing, listAllPages } from "../../cli/paged-listing";
import { inputBoundProblems, type Problem, problemLines } from "../../core/problems";

describe("listAllPages", () => {
  it("property: any sequence of page tokens ends; it throws exactly when a token comes back or the ceiling is hit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.constantFrom("A", "B", "C", "D", "E", "F", "G", "H"), { nil: undefined }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 12 }), async (tokens, maxPages) => {
        let calls = 0;
        const list = async () => ({ items: [calls], nextToken: tokens[calls++ % tokens.length] });
        // What should happen: follow the tokens until one is missing, repeats, or the ceiling.
        const seen = new Set<string>();
        let expected: "ok" | "repeat" | "ceiling" = "ok";
        for (let page = 1; ; page++) {
          const t = tokens[(page - 1) % tokens.length];
          if (t === undefined) break;
          if (seen.has(t)) {
            expected = "repeat";
            break;
          }
          if (page >= maxPages) {
            expected = "ceiling";
            break;
          }
          seen.add(t);
        }
        let outcome: "ok" | "repeat" | "ceiling";
        try {
          await listAllPages(list, { maxPages });
          outcome = "ok";
        } catch (e) {
          expect(e).toBeInstanceOf(EndlessListing);
          outcome = /a second time/.test((e as Error).message) ? "repeat" : "ceiling";
        }
        expect(outcome).toBe(expected);
        expect(calls).toBeLessThanOrEqual(Math.min(maxPages, 9));
      }),
      { numRuns: 500, seed: 16 },
    );
  });
});

describe("problemLines", () => {
  const problem = fc.record({ path: fc.constantFrom("regions[1]", "regions[2]", "models[0].id", "routes.a.maxTokens", ""), message: fc.constantFrom('region "us-east-1" is listed twice', "too big: 5", "unknown model x", "bad \u001b[31m value"), fix: fc.constantFrom("list it once", "lower it") });
  it("property: at most perKind lines per kind plus one count line per kind and one for the file; nothing is lost from the counts", () => {
    fc.assert(
      fc.property(fc.array(problem, { maxLength: 400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 50 }), (problems, perKind, perFile) => {
        const lines = problemLines("f.json", problems as Problem[], { perKind, perFile });
        const kinds = new Set(problems.map((p) => `${p.path.replace(/\d+/g, "0")}|${p.message}|${p.fix}`)).size;
        expect(lines.length).toBeLessThanOrEqual(Math.min(problems.length, perFile + kinds + 1));
        for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001f]/);
        // Every problem is either printed or counted.
        const counted = lines.reduce((n, l) => n + Number(/\(and ([\d,]+) more problems? like it, not shown\)/.exec(l)?.[1]?.replace(/,/g, "") ?? 0) + Number(/: ([\d,]+) more problems? not shown/.exec(l)?.[1]?.replace(/,/g, "") ?? 0), 0);
        const printed = lines.filter((l) => !/ not shown/.test(l)).length + lines.filter((l) => /\(and [\d,]+ more problems? like it, not shown\)/.test(l)).length;
        expect(printed + counted).toBe(problems.length);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

describe("inputBoundProblems", () => {
  it("measures a document nested 100,000 levels deep without overflowing the stack, in linear time", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inputBoundProblems(deep)).toEqual([]);
    // And a problem at the bottom still names its path.
    let deepWide: unknown = Array(30).fill(0);
    for (let i = 0; i < 100_000; i++) deepWide = [deepWide];
    expect(inputBoundProblems(deepWide, { maxListEntries: 20 })).toEqual([expect.objectContaining({ path: "[0]".repeat(100_000), message: "a list of 30 entries; at most 20 are read" })]);
  });

  it("property: one problem per list or object beyond the bounds, at most maxProblems", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (sizes, max) => {
        const doc = Object.fromEntries(sizes.map((n, i) => [`l${i}`, Array(n).fill(0)]));
        const over = sizes.filter((n) => n > max).length;
        expect(inputBoundProblems(doc, { maxListEntries: max, maxProblems: 5 })).toHaveLength(Math.min(over, 5));
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});
