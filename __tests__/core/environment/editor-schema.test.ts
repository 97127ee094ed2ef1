import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentJsonSchema, environmentSchema } from "../../../core/environment";
import { validateEnvironment } from "../../../core/validation";
import { ENVIRONMENT_SCHEMA_FILE, environmentSchemaText } from "../../../scripts/environment-schema";
import { CATALOG, TODAY } from "../../fixtures";
import { routingRaw } from "../routing/routing-environment";
import { baseEnvironment } from "../validation/rules/rule-table";

// The JSON Schema editors complete environment files with: generated from the zod schema and kept current here.
const root = join(__dirname, "..", "..", "..");

describe("the editor schema of environment files", () => {
  const schema = environmentJsonSchema();
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const withSchema = (env: any) => ({ $schema: "../schemas/environment.schema.json", ...env });

  it(`${ENVIRONMENT_SCHEMA_FILE} is what the environment schema generates (npm run schema:environment)`, () => {
    expect(readFileSync(join(root, ENVIRONMENT_SCHEMA_FILE), "utf8")).toBe(environmentSchemaText());
  });

  it("names every key of the environment schema, and requires exactly those without a default", () => {
    expect(Object.keys(schema.properties as object)).toEqual(Object.keys(environmentSchema.shape));
    expect(schema.required).toEqual(["name", "account", "regions", "models", "routes", "budget"]);
    expect(schema.additionalProperties).toBe(false);
  });

  it.each([
    ["the rule tests' environment", baseEnvironment()],
    ["the routing tests' environment", routingRaw()],
  ])("accepts %s, with or without $schema, as validation does", (_name, env) => {
    expect(validate(env)).toBe(true);
    expect(validate(withSchema(env))).toBe(true);
    expect(validateEnvironment(withSchema(env), "x.json", { catalog: CATALOG, today: TODAY }).config.name).toBe(env.name);
  });

  it.each<[string, (e: any) => void]>([
    ["a misspelt key", (e) => (e.regoins = e.regions)],
    ["a misspelt key in a route", (e) => (e.routes.chat.maxToken = 5)],
    ["an unknown region", (e) => (e.regions = ["us-east-9"])],
    ["an account of 11 digits", (e) => (e.account = "11111111111")],
    ["a route name with capitals", (e) => (e.routes.Chat = e.routes.chat)],
    ["a temperature above 1", (e) => (e.routes.chat.temperature = 1.5)],
    ["an unknown inference kind", (e) => (e.models[0].inference = "nearby")],
    ["a budget without its limit", (e) => delete e.budget.monthlyUsd],
  ])("flags %s as validation does", (_name, edit) => {
    const env = baseEnvironment();
    edit(env);
    expect(validate(env)).toBe(false);
    expect(() => validateEnvironment(env, "x.json", { catalog: CATALOG, today: TODAY })).toThrow();
  });

  it("validation refuses a $schema that is not a string", () => {
    expect(() => validateEnvironment({ ...baseEnvironment(), $schema: 5 }, "x.json", { catalog: CATALOG, today: TODAY })).toThrow(/\$schema: must be a string/);
  });
});
