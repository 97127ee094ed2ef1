import { MAX_MANAGED_POLICY_CHARS } from "../../../core/aws";
import { type PolicyDocument, type PolicyStatement, packPolicy, partSizes } from "../../../core/iam";

const statement = (i: number, resourceLength: number): PolicyStatement => ({ Sid: `S${i}`, Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: `arn:aws:bedrock:us-east-1::foundation-model/${"m".repeat(resourceLength)}` });
const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

describe("packPolicy", () => {
  it("leaves a document within the limit as it is", () => {
    const d = doc([statement(1, 10), statement(2, 10)]);
    expect(packPolicy(d)).toEqual([d]);
  });

  it("splits a larger document into parts within the limit, keeping every statement once and in order", () => {
    const statements = Array.from({ length: 40 }, (_, i) => statement(i, 300));
    const d = doc(statements);
    expect(JSON.stringify(d).length).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
    const parts = packPolicy(d);
    expect(parts.length).toBeGreaterThan(1);
    for (const size of partSizes(parts)) expect(size).toBeLessThanOrEqual(MAX_MANAGED_POLICY_CHARS);
    expect(parts.flatMap((p) => p.Statement)).toEqual(statements);
    // As few parts as the sizes allow: no two neighbouring parts would fit together.
    for (let i = 1; i < parts.length; i++) expect(JSON.stringify(doc([...parts[i - 1].Statement, ...parts[i].Statement])).length).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
  });

  it("measures the sized document, not the one it splits (Terraform references have another length)", () => {
    const real = doc(Array.from({ length: 6 }, (_, i) => statement(i, 2000)));
    const sized = doc(Array.from({ length: 6 }, (_, i) => statement(i, 10)));
    expect(packPolicy(real, sized)).toEqual([real]);
    expect(packPolicy(real)).toHaveLength(3);
  });

  it("puts a statement larger than the limit in a part of its own, which the size check then reports", () => {
    const parts = packPolicy(doc([statement(1, 10), statement(2, 7000), statement(3, 10)]));
    expect(parts.map((p) => p.Statement.map((s) => s.Sid))).toEqual([["S1"], ["S2"], ["S3"]]);
    expect(Math.max(...partSizes(parts))).toBeGreaterThan(MAX_MANAGED_POLICY_CHARS);
  });

  it("refuses a sized document with other statements", () => {
    expect(() => packPolicy(doc([statement(1, 1)]), doc([]))).toThrow(/same statements/);
  });
});
