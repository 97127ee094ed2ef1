import { HAIKU, SONNET } from "../fixtures";
import { converseCalls, devEnvironment, runSmoke, useSharedFixture } from "./fixtures";

// Smoke probes the canary model of every route, and its rows say which route it is the canary of.

/** dev plus Sonnet, declared only as the canary of chat (no route has it as primary or fallback). */
const environment = devEnvironment((c) => {
  c.models.push({ id: SONNET.modelId });
  c.routes.chat.canary = { model: SONNET.modelId, percent: 10 };
});

const f = useSharedFixture(environment);
let sonnet: string;
beforeAll(() => {
  sonnet = f().manifests[0].models[SONNET.modelId].invokeId;
});

describe("smoke and a route's canary", () => {
  test("the canary model is probed (converse and stream) and its rows name the route it canaries", async () => {
    const r = await runSmoke(f(), ["--stream"]);
    expect(r.code).toBe(0);
    const subject = `${sonnet} canary=chat`;
    for (const kind of ["converse", "stream"]) expect(`${kind} ${subject}: ${r.check(kind, subject).verdict}`).toBe(`${kind} ${subject}: PASS`);
    expect(converseCalls(f(), sonnet)).toHaveLength(1);
    expect(converseCalls(f(), sonnet, "ConverseStream")).toHaveLength(1);
    expect(r.stdout.some((l) => l.includes(subject) && l.includes("PASS"))).toBe(true);
    // A model that is no route's canary keeps its plain label.
    expect(r.check("converse", f().haiku).verdict).toBe("PASS");
    expect(f().manifests[0].routes.chat.invokeIds).toEqual([f().manifests[0].models[HAIKU.modelId].invokeId, sonnet]);
  });

  test("a canary model that fails fails the run, on its own row", async () => {
    f().endpoint.inject({ modelId: sonnet, fault: "scp-denied" });
    const r = await runSmoke(f());
    expect(r.code).not.toBe(0);
    expect(r.check("converse", `${sonnet} canary=chat`).verdict).toBe("FAIL");
    expect(r.check("converse", f().haiku).verdict).toBe("PASS");
  });
});
