import { MAX_MANAGED_POLICY_CHARS } from "../../../core/aws";
import { type PolicyDocument, type PolicyStatement, packPolicy, partSizes } from "../../../core/iam";

const statement = (i: number, resourceLength: number): PolicyStatement => ({ Sid: `S${i}`, Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: `arn:aws:bedrock:us-east-1::foundation-model/${"m".repeat(resourceLength)}` });
const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

describe("packPolicy", () => {
  it("leaves a document within the limit as it is", () => {
    const d = doc([statement(1, 10), statement(2, 10)]);
    expect(packPolicy(d)).toEqual([d]);
  });

  it("splits a larger document into parts within the limit, keeping every statement once", () => {
    const statements = Array.from({ length: 40 }, (_, i) => statement(i, 300));
    const d = doc(statements);
    expect(JSON.stringify(d).length).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
    const parts = packPolicy(d);
    expect(parts.length).toBeGreaterThan(1);
    for (const size of partSizes(parts)) expect(size).toBeLessThanOrEqual(MAX_MANAGED_POLICY_CHARS);
    expect(parts.flatMap((p) => p.Statement).sort((a, b) => Number(a.Sid.slice(1)) - Number(b.Sid.slice(1)))).toEqual(statements);
    // As few parts as the sizes allow: no two parts would fit together.
    for (let i = 0; i < parts.length; i++)
      for (let j = i + 1; j < parts.length; j++) expect(JSON.stringify(doc([...parts[i].Statement, ...parts[j].Statement])).length).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
  });

  it("fills what long statements leave with short ones (first fit, longest first): two parts where document order needs three", () => {
    // In document order 4,020 opens a part, 2,520 + 2,020 fill a second (2,120 more would pass 6,144) and 2,120 needs a
    // third; longest first, 2,120 joins 2,520 and 2,020 joins 4,020 (6,081 with the envelope).
    const statements = [statement(1, 3900), statement(2, 2400), statement(3, 1900), statement(4, 2000)];
    expect(statements.map((x) => JSON.stringify(x).length)).toEqual([4020, 2520, 2020, 2120]);
    const parts = packPolicy(doc(statements));
    expect(parts.map((p) => p.Statement.map((x) => x.Sid))).toEqual([
      ["S1", "S3"],
      ["S2", "S4"],
    ]);
    for (const size of partSizes(parts)) expect(size).toBeLessThanOrEqual(MAX_MANAGED_POLICY_CHARS);
  });

  it("splits a statement over 2,048 characters by resource, each piece with the same effect, action and condition, and packs the pieces", () => {
    const resources = Array.from({ length: 120 }, (_, i) => `arn:aws:bedrock:?*:111111111111:inference-profile/us.model-${i}`);
    const wide: PolicyStatement = { Sid: "Wide", Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: resources, Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1"] } } };
    expect(JSON.stringify(wide).length).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
    const parts = packPolicy(doc([wide]));
    const pieces = parts.flatMap((p) => p.Statement);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(JSON.stringify(piece).length).toBeLessThanOrEqual(2048);
      expect({ ...piece, Sid: "", Resource: [] }).toEqual({ ...wide, Sid: "", Resource: [] });
    }
    expect(pieces.flatMap((p) => p.Resource as string[]).sort()).toEqual([...resources].sort());
    expect(new Set(pieces.map((p) => p.Sid)).size).toBe(pieces.length);
  });

  it("splits and packs the rendered document where the sized one splits and packs (Terraform references are shorter)", () => {
    const sizedResources = Array.from({ length: 60 }, (_, i) => `arn:aws:appconfig:us-east-1:111111111111:application/abc${i}xyz/environment/def5678/configuration/ghi9012`);
    const renderedResources = sizedResources.map((_, i) => `\${data.x.outputs.a${i}}`);
    const st = (Resource: string[]): PolicyStatement => ({ Sid: "Read", Effect: "Allow", Action: ["appconfig:GetLatestConfiguration"], Resource });
    const sized = packPolicy(doc([st(sizedResources)]));
    const rendered = packPolicy(doc([st(renderedResources)]), doc([st(sizedResources)]));
    expect(rendered.map((p) => p.Statement.map((x) => [x.Sid, (x.Resource as string[]).length]))).toEqual(sized.map((p) => p.Statement.map((x) => [x.Sid, (x.Resource as string[]).length])));
  });

  it("measures the sized document, not the one it splits (Terraform references have another length)", () => {
    const real = doc(Array.from({ length: 6 }, (_, i) => statement(i, 2000)));
    const sized = doc(Array.from({ length: 6 }, (_, i) => statement(i, 10)));
    expect(packPolicy(real, sized)).toEqual([real]);
    expect(packPolicy(real)).toHaveLength(3);
  });

  it("puts a statement larger than the limit in a part of its own, which the size check then reports", () => {
    const parts = packPolicy(doc([statement(1, 10), statement(2, 7000), statement(3, 10)]));
    expect(parts.map((p) => p.Statement.map((s) => s.Sid))).toEqual([["S2"], ["S1", "S3"]]);
    expect(Math.max(...partSizes(parts))).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
  });

  it("refuses a sized document with other statements", () => {
    expect(() => packPolicy(doc([statement(1, 1)]), doc([]))).toThrow(/same statements/);
  });
});
