import { withPlainStackTraces } from "../../modules/stack-traces";

describe("withPlainStackTraces", () => {
  const installed = Error.prepareStackTrace;
  afterEach(() => {
    if (installed) Error.prepareStackTrace = installed;
  });

  it("builds with V8's own stack formatting and puts the installed formatter back", () => {
    const custom = () => "custom";
    Error.prepareStackTrace = custom;
    const seen = withPlainStackTraces(() => ({ hook: Error.prepareStackTrace, stack: new Error("x").stack }));
    expect(seen.hook).toBeUndefined();
    expect(seen.stack).toMatch(/^Error: x\n\s+at /);
    expect(Error.prepareStackTrace).toBe(custom);
    expect(new Error("y").stack).toBe("custom");
  });

  it("puts it back when the build throws", () => {
    const custom = () => "custom";
    Error.prepareStackTrace = custom;
    expect(() =>
      withPlainStackTraces(() => {
        throw new Error("bug");
      }),
    ).toThrow("bug");
    expect(Error.prepareStackTrace).toBe(custom);
  });
});
