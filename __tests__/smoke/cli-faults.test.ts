import { estimateInputTokens, PROBE_CONVERSATION, PROBE_MAX_TOKENS } from "../../core/runtime";
import { reportReserveMs } from "../../smoke/cli";
import { HAIKU, REGION } from "../fixtures";
import { converseCalls, devEnvironment, runSmoke, startFixture, useSharedFixture } from "./fixtures";

// The whole smoke command, in-process, against the real local endpoint: real SDK clients over the wire (HTTP/2 for
// Bedrock, SigV4 verified), one fault at a time.

const f = useSharedFixture();

const dev = devEnvironment();
const routes = dev.config.routes;
/** Routes naming haiku, and the smallest maxTokens among them (what its probe starts from). */
const haikuRoutes = Object.entries(routes).filter(([, r]) => r.primary === HAIKU.modelId || r.fallbacks.includes(HAIKU.modelId));

describe("smoke against a healthy stand-in", () => {
  test("passes every check, exit 0, and the reports carry every figure", async () => {
    const r = await runSmoke(f());
    expect(r.code).toBe(0);
    // deployment + routing + one Converse per routed model + one quota row per (route, model) pair + the daily quota of
    // each routed model and the region's cross-model one.
    const pairs = Object.values(routes).reduce((n, route) => n + 1 + route.fallbacks.length, 0);
    expect(r.json.checks).toHaveLength(2 + 2 + pairs + 2 + 1);
    expect(r.json.checks.every((c) => c.verdict === "PASS")).toBe(true);
    expect(r.json.summary.byVerdict).toEqual({ PASS: 2 + 2 + pairs + 2 + 1, FAIL: 0, WARN: 0 });

    const probe = r.check("converse", f().haiku);
    expect(probe.attempts).toHaveLength(1);
    expect(probe.tokens!.output).toBeGreaterThan(0);
    expect(probe.stopReason).toBeDefined();
    expect(probe.maxTokens).toBe(Math.min(PROBE_MAX_TOKENS, ...haikuRoutes.map(([, r]) => r.maxTokens)));

    // Quota figures follow the route: input estimate + maxTokens reserved, burndown on the worst case.
    const q = r.check("quota", `chat ${f().haiku}`).quota!;
    expect(q.quotaCode).toBe(f().manifests[0].models[HAIKU.modelId].tpmQuotaCode);
    expect(q.figures!.reservedPerRequest).toBe(routes.chat.inputTokensEstimate + routes.chat.maxTokens);
    expect(q.figures!.chargePerRequest).toBe(routes.chat.inputTokensEstimate + routes.chat.maxTokens * f().manifests[0].models[HAIKU.modelId].outputBurndown);

    expect(r.junit).toContain(`<testsuite name="${REGION}" tests="${r.json.checks.length}" failures="0"`);
    expect(r.junit).toContain(`name="converse ${f().haiku}"`);
    expect(r.junit).not.toContain("<failure");
  });

  test("sends each model exactly one tiny probe, built by core's builder, and never prints the prompt", async () => {
    const r = await runSmoke(f());
    for (const id of [f().haiku, f().nova]) {
      const calls = converseCalls(f(), id);
      expect(calls).toHaveLength(1);
      expect(calls[0].maxTokens).toBeLessThanOrEqual(PROBE_MAX_TOKENS);
    }
    const promptText = (PROBE_CONVERSATION.messages[0].content![0] as { text: string }).text;
    expect(r.stdout.join("\n")).not.toContain(promptText);
    expect(JSON.stringify(r.json)).not.toContain(promptText);
    // The reply sample is at most 40 characters.
    const sample = /"(.*)"/.exec(r.check("converse", f().haiku).hint)![1];
    expect(sample.length).toBeLessThanOrEqual(40);
  });

  test("prints a row per check and a summary", async () => {
    const r = await runSmoke(f());
    const rows = r.stdout.filter((l) => l.startsWith(REGION));
    expect(rows).toHaveLength(r.json.checks.length);
    expect(r.stdout.join("\n")).toMatch(new RegExp(`${r.json.checks.length} checks in [\\d.]+ s: ${r.json.checks.length} passed, 0 failed, 0 warnings`));
  });
});

describe("configuration and access faults fail at once, classified, never retried", () => {
  test.each([
    ["legacy", "configuration", "legacy-model", /Legacy/],
    ["eol", "configuration", "end-of-life", /end of life/],
    ["marketplace-denied", "marketplace-pending", "marketplace-pending", /aws-marketplace:Subscribe.*after 15 minutes/],
  ] as const)("%s", async (fault, category, outcome, hint) => {
    f().endpoint.inject({ modelId: f().haiku, fault });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const c = r.check("converse", f().haiku);
    expect({ verdict: c.verdict, category: c.category, outcome: c.outcome }).toEqual({ verdict: "FAIL", category, outcome });
    expect(c.hint).toMatch(hint);
    expect(converseCalls(f(), f().haiku)).toHaveLength(1);
    expect(r.check("converse", f().nova).verdict).toBe("PASS");
    expect(r.junit).toMatch(new RegExp(`<failure message="[^"]*" type="${category}">`));
  });

  test("an SCP denial naming a destination region the stack does not declare points at the SCP", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "scp-denied", destinationRegion: "us-east-2" });
    const r = await runSmoke(f());
    const c = r.check("converse", f().haiku);
    expect({ category: c.category, outcome: c.outcome, errorName: c.errorName }).toEqual({ category: "access", outcome: "scp-destination-region", errorName: "AccessDeniedException" });
    expect(c.hint).toContain("us-east-2");
    expect(c.hint).toMatch(/destination/);
    expect(converseCalls(f(), f().haiku)).toHaveLength(1);
  });

  test("a bare foundation-model ID gets the on-demand ValidationException: a configuration failure with the profile fix", async () => {
    // The catalog allows Nova Lite on demand in us-east-1, but this account (the endpoint) serves it only via a profile.
    const onDemand = await startFixture(devEnvironment((raw) => (raw.models.find((m: { id: string }) => m.id === "amazon.nova-lite-v1:0").inference = "on-demand")));
    try {
      expect(onDemand.nova).toBe("amazon.nova-lite-v1:0");
      const r = await runSmoke(onDemand);
      expect(r.code).toBe(1);
      const c = r.check("converse", onDemand.nova);
      expect({ category: c.category, outcome: c.outcome, errorName: c.errorName }).toEqual({ category: "configuration", outcome: "bare-model-id", errorName: "ValidationException" });
      expect(c.hint).toMatch(/inference profile ID/);
      expect(converseCalls(onDemand, onDemand.nova)).toHaveLength(1);
    } finally {
      await onDemand.close();
    }
  });
});

describe("capacity faults are retried with backoff, within 3 attempts", () => {
  test("throttled twice, then served: passes, with the attempts recorded", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "throttle", times: 2 });
    const r = await runSmoke(f());
    expect(r.code).toBe(0);
    const c = r.check("converse", f().haiku);
    expect(c.verdict).toBe("PASS");
    expect(c.attempts!.map((a) => a.errorName ?? "ok")).toEqual(["ThrottlingException", "ThrottlingException", "ok"]);
    expect(converseCalls(f(), f().haiku)).toHaveLength(3);
    expect(r.stdout.find((l) => l.includes(`converse ${f().haiku}`))).toContain("(3 attempts)");
  });

  test("throttled on every call: fails as throttled after 3 attempts, with quota and maxTokens figures", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "throttle" });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const c = r.check("converse", f().haiku);
    expect({ verdict: c.verdict, outcome: c.outcome, category: c.category }).toEqual({ verdict: "FAIL", outcome: "throttled", category: "capacity" });
    expect(c.attempts).toHaveLength(3);
    expect(converseCalls(f(), f().haiku)).toHaveLength(3);
    const model = f().manifests[0].models[HAIKU.modelId];
    expect(c.hint).toContain(`applied TPM quota ${model.tpmQuotaCode} = 2,000,000`);
    expect(c.hint).toContain(`the probe reserves ${estimateInputTokens(PROBE_CONVERSATION) + c.maxTokens!}`);
    for (const [task, route] of haikuRoutes) expect(c.hint).toContain(`${task} maxTokens ${route.maxTokens.toLocaleString("en-US")} reserves ${(route.inputTokensEstimate + route.maxTokens).toLocaleString("en-US")}/request`);
    expect(r.junit).toContain('type="capacity"');
  });

  test.each([
    [500, "InternalServerException"],
    [503, "ServiceUnavailableException"],
  ] as const)("a %i is retried and the next attempt passes", async (status, name) => {
    f().endpoint.inject({ modelId: f().nova, fault: "server-error", status, times: 1 });
    const r = await runSmoke(f());
    expect(r.code).toBe(0);
    const c = r.check("converse", f().nova);
    expect(c.attempts!.map((a) => a.errorName ?? "ok")).toEqual([name, "ok"]);
    expect(c.attempts![0].backoffMs).toBeLessThan(200);
    expect(converseCalls(f(), f().nova)).toHaveLength(2);
  });

  test("a call that hangs once is cut by --timeout-ms and retried", async () => {
    f().endpoint.inject({ modelId: f().nova, fault: "hang", times: 1 });
    // --timeout-ms bounds every call of the run, the retry's included: 2 s leaves a busy machine room to answer those.
    const r = await runSmoke(f(), ["--timeout-ms", "2000"]);
    expect(r.code).toBe(0);
    expect(r.check("converse", f().nova).attempts!.map((a) => a.cause ?? "ok")).toEqual(["timeout", "ok"]);
  });
});

describe("responses are validated, streams consumed to the end", () => {
  test("a 200 without output and usage is a malformed-response failure, not retried", async () => {
    f().endpoint.inject({ modelId: f().nova, fault: "malformed" });
    const r = await runSmoke(f());
    expect(r.code).toBe(1);
    const c = r.check("converse", f().nova);
    expect({ verdict: c.verdict, category: c.category, outcome: c.outcome }).toEqual({ verdict: "FAIL", category: "model", outcome: "malformed-response" });
    expect(c.message).toMatch(/output\.message.*usage/);
    expect(converseCalls(f(), f().nova)).toHaveLength(1);
  });

  test("--stream: time to first token and usage for a healthy stream", async () => {
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(0);
    const s = r.check("stream", f().haiku);
    expect(s.verdict).toBe("PASS");
    expect(s.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(s.timeToFirstTokenMs).toBeLessThanOrEqual(s.latencyMs!);
    expect(s.tokens!.output).toBeGreaterThan(0);
    expect(converseCalls(f(), f().haiku, "ConverseStream")).toHaveLength(1);
  });

  test("--stream: an exception after the first events fails the stream check, classified, not re-issued", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "stream-exception" });
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(1);
    const s = r.check("stream", f().haiku);
    expect({ verdict: s.verdict, category: s.category, outcome: s.outcome }).toEqual({ verdict: "FAIL", category: "model", outcome: "model-error" });
    expect(s.errorName).toBe("ModelStreamErrorException");
    expect(s.hint).toMatch(/stream broke after its first content/);
    expect(converseCalls(f(), f().haiku, "ConverseStream")).toHaveLength(1);
    // The plain Converse probe is unaffected by a stream-only fault.
    expect(r.check("converse", f().haiku).verdict).toBe("PASS");
  });

  test("--stream: a throttle exception mid-stream is not re-issued either (bytes were already delivered)", async () => {
    f().endpoint.inject({ modelId: f().nova, fault: "stream-exception", exceptionType: "throttlingException" });
    const r = await runSmoke(f(), ["--stream"]);
    const s = r.check("stream", f().nova);
    expect({ verdict: s.verdict, category: s.category }).toEqual({ verdict: "FAIL", category: "capacity" });
    expect(converseCalls(f(), f().nova, "ConverseStream")).toHaveLength(1);
  });
});

describe("quotas", () => {
  test("an applied TPM quota of 0 fails with the increase to request; the figures name the route", async () => {
    const model = f().manifests[0].models[HAIKU.modelId];
    const quotaName = "Cross-region model inference tokens per minute for Claude Haiku 4.5";
    f().endpoint.seedQuotas(REGION, [{ code: model.tpmQuotaCode!, name: quotaName, value: 0 }]);
    try {
      const r = await runSmoke(f());
      expect(r.code).toBe(1);
      for (const [task, route] of haikuRoutes) {
        const c = r.check("quota", `${task} ${f().haiku}`);
        expect({ verdict: c.verdict, outcome: c.outcome, category: c.category }).toEqual({ verdict: "FAIL", outcome: "quota-zero", category: "quota" });
        expect(c.hint).toMatch(/request an increase.*new accounts may start at 0/);
        expect(c.hint).toContain(`${(route.inputTokensEstimate + route.maxTokens).toLocaleString("en-US")} tokens reserved per ${task} request`);
      }
      expect(r.check("quota", `classification ${f().nova}`).verdict).toBe("PASS");
    } finally {
      f().endpoint.seedQuotas(REGION, [{ code: model.tpmQuotaCode!, name: quotaName, value: 2_000_000 }]);
    }
  });
});

describe("quota lookup falls back to names", () => {
  test("a code missing from the region's catalog is found by name; a model with no quota at all only warns", async () => {
    const g = await startFixture(devEnvironment(), { quotas: false });
    try {
      // Haiku's quota listed under another code (catalog snapshots differ); nothing for Nova Lite.
      g.endpoint.seedQuotas(REGION, [
        { code: "L-OTHER01", name: "Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", value: 400_000 },
        { code: "L-OTHER02", name: "Global cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5", value: 900_000 },
      ]);
      const r = await runSmoke(g);
      expect(r.code).toBe(0);
      const haiku = r.check("quota", `chat ${g.haiku}`);
      expect(haiku.verdict).toBe("PASS");
      // dev invokes Haiku through its geographic profile: the cross-region quota, not the global one.
      expect(haiku.quota).toMatchObject({ quotaCode: "L-OTHER01", source: "ListServiceQuotas", figures: { tpmQuota: 400_000 } });
      const nova = r.check("quota", `classification ${g.nova}`);
      expect({ verdict: nova.verdict, outcome: nova.outcome }).toEqual({ verdict: "WARN", outcome: "quota-not-found" });
      expect(nova.hint).toContain("Nova Lite");
      expect(r.junit).toContain("WARN quota-not-found");
    } finally {
      await g.close();
    }
  });
});

describe("the deadline holds", () => {
  test("a hung model: its check fails with deadline and the run ends near the deadline", async () => {
    f().endpoint.inject({ modelId: f().haiku, fault: "hang" });
    const deadlineMs = 1500;
    const r = await runSmoke(f(), ["--deadline-ms", String(deadlineMs), "--timeout-ms", "10000"]);
    expect(r.code).toBe(1);
    const c = r.check("converse", f().haiku);
    expect({ verdict: c.verdict, outcome: c.outcome, category: c.category }).toEqual({ verdict: "FAIL", outcome: "deadline", category: "deadline" });
    // The checks stop when the reserve for the reports begins; the whole command, reports included, ends by the deadline.
    expect(r.wallMs).toBeGreaterThanOrEqual(deadlineMs - reportReserveMs(deadlineMs) - 50);
    expect(r.wallMs).toBeLessThan(deadlineMs + 1000);
    // Everything that did not wait on the hung call finished normally.
    expect(r.check("converse", f().nova).verdict).toBe("PASS");
  });
});
