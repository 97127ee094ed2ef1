import { endpointPolicySize } from "../../../../core/validation/rules/endpoint-policy-size";
import { ruleTable } from "./rule-table";

const network = { "us-east-1": { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], securityGroupIds: ["sg-0a1b2c3d4e5f60719"] } };

/** `n` more models, declared with their facts (each grants its US profile and the models behind it). */
function manyModels(e: any, n: number) {
  const ids = Array.from({ length: n }, (_, i) => `example.model-${String(i).padStart(2, "0")}-v1:0`);
  return { models: [...e.models, ...ids.map((id) => ({ id, facts: { geographies: ["us"], outputBurndown: 1 } }))], routes: { ...e.routes, more: { primary: ids[0], fallbacks: ids.slice(1, 3), maxTokens: 512 } } };
}

/** Cost attribution with `n` workloads each calling both models of the base environment: an application profile each. */
function profiledWorkloads(n: number) {
  const workloads = Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, { routes: ["chat"], role: { assumedByServices: ["lambda.amazonaws.com"] } }]));
  return { costAttribution: { enabled: true }, workloads };
}

ruleTable(endpointPolicySize, [
  { name: "no endpoints", edit: () => {}, problems: [] },
  { name: "every service's endpoint for two models", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true, services: ["bedrock-runtime", "appconfigdata", "appconfig", "servicequotas", "sts", "bedrock"] } }), problems: [] },
  { name: "80 models through their US profiles", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true } }, manyModels(e, 78)), problems: [] },
  // The base environment's chat route calls two models: two application profiles a workload, two ARNs each in the policy.
  { name: "cost attribution: 10 workloads' 20 application profiles", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true } }, profiledWorkloads(10)), problems: [] },
  {
    name: "cost attribution: 60 workloads' 120 application profiles over 20,480 characters",
    edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true } }, profiledWorkloads(60)),
    problems: [{ path: "privateEndpoints.services", message: /^the bedrock-runtime endpoint policy of us-east-1 is 2\d{4} characters; VPC endpoint policies hold 20480$/ }],
  },
  {
    name: "100 models: the bedrock-runtime policy over 20,480 characters",
    edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true } }, manyModels(e, 98)),
    problems: [{ path: "privateEndpoints.services", message: /^the bedrock-runtime endpoint policy of us-east-1 is 2\d{4} characters; VPC endpoint policies hold 20480$/ }],
  },
]);
