import { checkEnvironment, ENVIRONMENT_RULES } from "../../../../core/validation";
import { CATALOG, TODAY } from "../../../fixtures";
import { baseEnvironment } from "./rule-table";

describe("the rule tests' base environment", () => {
  it("is valid without a warning, and every rule runs on it", () => {
    const result = checkEnvironment(baseEnvironment(), { catalog: CATALOG, today: TODAY, expectedName: "team" });
    expect(result.problems).toEqual([]);
    expect([...result.byRule.keys()].sort()).toEqual(ENVIRONMENT_RULES.map((r) => r.name).sort());
  });
});
