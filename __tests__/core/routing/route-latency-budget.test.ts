import Ajv from "ajv-draft-04";
import { buildRoutingDocument, routingJsonSchema } from "../../../core/routing";
import { routingDocumentSchema } from "../../../core/runtime";
import { variant } from "../../fixtures";

// A route's latency budget (deadlineMs, maxQueueMs), from the environment file to the routing document and the
// AppConfig validator: declared once in core/runtime/routing-document.ts, so the toggle can set it on a live route.

const REGION = "us-east-1";

describe("latency budgets in the routing document", () => {
  const plan = variant("dev", (c) => Object.assign(c.routes.chat, { deadlineMs: 20_000, maxQueueMs: 1_500 }));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(routingJsonSchema(plan, REGION));
  const base = () => JSON.parse(JSON.stringify(buildRoutingDocument(plan, REGION)));

  it("the baseline document carries the route's budget, other routes none; both schemas accept it", () => {
    const doc = base();
    expect(doc.routes.chat).toMatchObject({ deadlineMs: 20_000, maxQueueMs: 1_500 });
    expect(doc.routes.summarization.deadlineMs).toBeUndefined();
    expect(doc.routes.summarization.maxQueueMs).toBeUndefined();
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(validate(doc)).toBe(true);
  });

  it.each<[string, (d: any) => void]>([
    ["a toggle's budget on another route", (d) => (d.routes.summarization.maxQueueMs = 0)],
    ["the longest budget", (d) => (d.routes.chat.deadlineMs = 3_600_000)],
  ])("both accept %s", (_name, mutate) => {
    const doc = base();
    mutate(doc);
    expect(routingDocumentSchema.safeParse(doc).success).toBe(true);
    expect(validate(doc)).toBe(true);
  });

  it.each<[string, (d: any) => void]>([
    ["a deadline of 0", (d) => (d.routes.chat.deadlineMs = 0)],
    ["a negative queue budget", (d) => (d.routes.chat.maxQueueMs = -1)],
    ["a fractional deadline", (d) => (d.routes.chat.deadlineMs = 1000.5)],
    ["a budget over an hour", (d) => (d.routes.chat.maxQueueMs = 3_600_001)],
    ["a budget as a string", (d) => (d.routes.chat.deadlineMs = "20000")],
  ])("both refuse %s", (_name, mutate) => {
    const doc = base();
    mutate(doc);
    expect(routingDocumentSchema.safeParse(doc).success).toBe(false);
    expect(validate(doc)).toBe(false);
  });
});
