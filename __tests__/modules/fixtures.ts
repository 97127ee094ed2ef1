import { App, Testing, TerraformStack } from "../../modules/terraform-cdk";
import { EnvironmentConfig, BaselinePlan } from "../../core/environment";
import { AccountStack } from "../../modules/account-stack";
import { RegionStack } from "../../modules/region-stack";

/** Synthesized stack JSON: `resource[type][name]`, `data[type][name]`, `provider`, `terraform`, `output`. */
export interface SynthJson {
  readonly resource: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly provider: Record<string, any[]>;
  readonly terraform: { backend: Record<string, any> };
  readonly output: Record<string, { value: any }>;
}

/** Synthesizes one stack through the cdktf Testing API (no terraform binary). */
export function synthStack(stack: TerraformStack): { text: string; json: SynthJson } {
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) };
}

export function synthRegion(env: BaselinePlan, region = env.config.regions[0], app: App = Testing.app()): { stack: RegionStack; text: string; json: SynthJson } {
  const stack = new RegionStack(app, { plan: env, region });
  return { stack, ...synthStack(stack) };
}

export function synthAccount(env: BaselinePlan, app: App = Testing.app()): { stack: AccountStack; text: string; json: SynthJson } {
  const stack = new AccountStack(app, { plan: env });
  return { stack, ...synthStack(stack) };
}

/** Resources of one type, by Terraform name ({} when there are none). */
export function resources(json: SynthJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type (fails when there is not exactly one). */
export function only(json: SynthJson, type: string): { name: string; props: any } {
  const entries = Object.entries(resources(json, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return { name: entries[0][0], props: entries[0][1] };
}

/** `${aws_x.name.attr}`: how a reference to another resource appears in synthesized JSON. */
export const ref = (type: string, name: string, attr: string) => "${" + `${type}.${name}.${attr}` + "}";

/** Every model enabled in a region: foundation-model ID -> invoke ID. */
export function invokeIds(env: BaselinePlan, region: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env.invocations[region]).map(([id, inv]) => [id, inv.invokeId]));
}

export type RawConfig = EnvironmentConfig;

/** The stack's guardrails as Terraform references, read from the synthesized JSON (shared with the environment check). */
export { synthGuardrailRefs } from "../../environment-check/synthesized-policies";
