import { privateEndpointSettings } from "../../../../core/validation/rules/private-endpoint-settings";
import { ruleTable } from "./rule-table";

const network = { "us-east-1": { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], securityGroupIds: ["sg-0a1b2c3d4e5f60719"] } };

ruleTable(privateEndpointSettings, [
  { name: "off", edit: () => {}, problems: [] },
  { name: "on, with the region's network", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true } }), problems: [] },
  { name: "on, requiring aws:SourceVpce through bedrock-runtime", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true, requireSourceVpce: true } }), problems: [] },
  { name: "on, without the region's network", edit: (e) => (e.privateEndpoints = { enabled: true }), problems: [{ path: "network.us-east-1", message: /^is missing: private endpoints need the VPC/ }] },
  { name: "aws:SourceVpce while endpoints are off", edit: (e) => (e.privateEndpoints = { requireSourceVpce: true }), problems: [{ path: "privateEndpoints.requireSourceVpce", message: /no endpoint exists to go through/ }] },
  {
    name: "aws:SourceVpce without a bedrock-runtime endpoint",
    edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true, services: ["appconfigdata"], requireSourceVpce: true } }),
    problems: [{ path: "privateEndpoints.requireSourceVpce", message: /no bedrock-runtime endpoint: no workload could reach its models/ }],
  },
  { name: "a service listed twice", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true, services: ["sts", "sts"] } }), problems: [{ path: "privateEndpoints.services[1]", message: /^service "sts" is listed twice/ }] },
  { name: "private DNS off", edit: (e) => Object.assign(e, { network, privateEndpoints: { enabled: true, privateDns: false } }), problems: [{ path: "privateEndpoints.privateDns", message: /^is false: SDK calls keep resolving/, severity: "warning" }] },
]);
