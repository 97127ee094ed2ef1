/**
 * Prints the size of each region's AppConfig routing validator (AppConfig's limit: 32,768 bytes) for the environments
 * in config/ and for generated large organisations (scripts/large-environment.ts): the exact validator, the one the
 * stack deploys, and how many routes AppConfig then holds only to the region's models.
 *
 *   npx ts-node --transpile-only scripts/routing-validator-size.ts
 */
import * as path from "node:path";
import { loadEnvironments } from "../cli/environment-files";
import { shippedCatalog } from "../cli/catalog-files";
import type { BaselinePlan } from "../core/environment";
import { MAX_VALIDATOR_BYTES, routingJsonSchema, routingValidator } from "../core/routing";
import { validateEnvironment } from "../core/validation";
import { largeEnvironment } from "./large-environment";

function report(label: string, plan: BaselinePlan): void {
  for (const region of plan.config.regions) {
    const v = routingValidator(plan, region);
    const exact = Buffer.byteLength(JSON.stringify(routingJsonSchema(plan, region)));
    const routes = Object.keys(plan.config.routes).length;
    console.log(`${label} ${region}: ${routes} routes, ${Object.keys(plan.invocations[region]).length} models; exact ${exact} bytes; deployed ${v.bytes} bytes (limit ${MAX_VALIDATOR_BYTES}); ${v.unrestrictedRoutes.length} routes held to the region's models only`);
  }
}

for (const l of loadEnvironments(path.resolve(__dirname, "..", "config"))) report(l.displayName, l.plan);
for (const candidates of ["shared", "distinct"] as const) {
  const plan = validateEnvironment(largeEnvironment({ routes: 200, models: 30, candidates }), "large.json", { catalog: shippedCatalog() });
  report(`generated (200 routes x 30 models, ${candidates} line-ups)`, plan);
}
