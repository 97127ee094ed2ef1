import { networkSettings } from "../../../../core/validation/rules/network-settings";
import { ruleTable } from "./rule-table";

const net = (extra: object = {}) => ({ vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"], securityGroupIds: ["sg-0a1b2c3d4e5f60719"], ...extra });
const groups = (n: number) => Array.from({ length: n }, (_, i) => `sg-0000000${i}`);

ruleTable(networkSettings, [
  { name: "no network", edit: () => {}, problems: [] },
  { name: "the network of the environment's region", edit: (e) => (e.network = { "us-east-1": net() }), problems: [] },
  { name: "five security groups (the default quota)", edit: (e) => (e.network = { "us-east-1": net({ securityGroupIds: groups(5) }) }), problems: [] },
  { name: "a region the environment does not have", edit: (e) => (e.network = { "eu-west-1": net() }), problems: [{ path: "network.eu-west-1", message: "eu-west-1 is not one of the environment's regions, so this entry has no effect", severity: "warning" }] },
  { name: "a subnet listed twice", edit: (e) => (e.network = { "us-east-1": net({ subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60711"] }) }), problems: [{ path: "network.us-east-1.subnetIds[1]", message: /^subnet "subnet-0a1b2c3d4e5f60711" is listed twice/ }] },
  { name: "a security group listed twice", edit: (e) => (e.network = { "us-east-1": net({ securityGroupIds: ["sg-01234567", "sg-01234567"] }) }), problems: [{ path: "network.us-east-1.securityGroupIds[1]", message: /is listed twice/ }] },
  {
    name: "six security groups (over the default quota)",
    edit: (e) => (e.network = { "us-east-1": net({ securityGroupIds: groups(6) }) }),
    problems: [{ path: "network.us-east-1.securityGroupIds", message: "names 6 security groups; a network interface takes 5 under the default quota", severity: "warning" }],
  },
]);
