import { NODE_WARNING_SWITCH, nodeSupportNotice, noteNodeSupport, SUPPORTED_NODE_MAJOR } from "../../cli/node-support";

// On Node 20 the AWS SDK printed an 8-line NodeVersionSupportWarning per module registry (21 times in one `npm test`).
// Commands now say it once per run, in one line with what to do. The child-process case is in smoke/cli-process.test.ts.

describe("the Node support notice", () => {
  it.each<[string, boolean]>([
    ["v20.20.2", true],
    ["v21.7.3", true],
    [`v${SUPPORTED_NODE_MAJOR}.12.0`, false],
    ["v24.1.0", false],
    ["not a version", false],
  ])("on %s: said %s", (version, said) => {
    expect(nodeSupportNotice(version) !== undefined).toBe(said);
  });

  it("is one line naming the runtime, the baseline and how to silence it", () => {
    const notice = nodeSupportNotice("v20.20.2")!;
    expect(notice.split("\n")).toHaveLength(1);
    expect(notice).toMatch(/^note: Node v20\.20\.2 runs this command; AWS SDK releases after the first week of January 2027 need Node >= 22 -> install Node 22 or 24/);
    expect(notice).toContain(`${NODE_WARNING_SWITCH}=true`);
  });

  it("is said once per run: the switch it sets quiets later calls, the SDK and child commands", () => {
    const env: NodeJS.ProcessEnv = {};
    const lines: string[] = [];
    noteNodeSupport((l) => lines.push(l), env, "v20.20.2");
    noteNodeSupport((l) => lines.push(l), env, "v20.20.2");
    expect(lines).toEqual([nodeSupportNotice("v20.20.2")]);
    expect(env[NODE_WARNING_SWITCH]).toBe("true");
  });

  it("says nothing when the user set the switch, or on a supported Node (leaving the environment alone)", () => {
    const lines: string[] = [];
    noteNodeSupport((l) => lines.push(l), { [NODE_WARNING_SWITCH]: "true" }, "v20.20.2");
    const env: NodeJS.ProcessEnv = {};
    noteNodeSupport((l) => lines.push(l), env, "v22.12.0");
    expect(lines).toEqual([]);
    expect(env).toEqual({});
  });
});
