import { buildManifest } from "../../core/routing";
import { probePlan, probePlanLines, probeRequests } from "../../environment-check/probe-plan";
import { prodPlan, NOVA_PRO, MICRO } from "../fixtures";

// The smoke plan the environment check shows is smoke's own (smoke/probe-targets.ts), and each probe becomes the IAM
// request the smoke role makes.

const plan = prodPlan();
const region = "us-east-1";
const manifest = buildManifest(plan, region);

describe("probePlan", () => {
  it("lists a probe per model and way routes call it, naming the routes, after a summary line", () => {
    const lines = probePlanLines(probePlan(manifest));
    expect(lines[0]).toMatch(/^bedrock-prod-us-east-1: smoke plan: \d+ Converse probes \(ConverseStream too with --stream\), \d+ quota rows$/);
    // bulk-extraction sends temperature 0 on the flex tier: a way of calling its models of its own.
    expect(lines).toContain(`bedrock-prod-us-east-1:   probe ${NOVA_PRO.invokeId} tier=flex temperature=0 (routes bulk-extraction)`);
    expect(lines).toContain(`bedrock-prod-us-east-1:   probe ${MICRO.invokeId} tier=flex temperature=0 (routes bulk-extraction)`);
    expect(lines.length).toBe(1 + probePlan(manifest).targets.length);
  });

  it("each probe is the smoke role's call: the profile, the route's tier as bedrock:ServiceTier", () => {
    const { requests, problems } = probeRequests(plan, probePlan(manifest));
    expect(problems).toEqual([]);
    expect(requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "bedrock:InvokeModel",
          resource: plan.invocations[region][NOVA_PRO.modelId].profileArn,
          context: { "aws:RequestedRegion": region, "bedrock:ServiceTier": "flex" },
          resourceAccount: plan.config.account,
        }),
      ]),
    );
  });

  it("a probe of a model the stack does not enable is a problem line, not a request", () => {
    const doc = structuredClone(manifest.routingDocument);
    doc.models["example.unprovisioned-v1:0"] = { invokeId: "us.example.unprovisioned-v1:0", enabled: true };
    doc.routes.extraction.fallbacks = [...doc.routes.extraction.fallbacks, "example.unprovisioned-v1:0"];
    const { requests, problems } = probeRequests(plan, probePlan({ ...manifest, routingDocument: doc }));
    expect(problems).toEqual(["bedrock-prod-us-east-1: smoke would probe us.example.unprovisioned-v1:0 temperature=0, which the stack does not enable"]);
    expect(requests.some((r) => r.label.includes("unprovisioned"))).toBe(false);
  });
});
