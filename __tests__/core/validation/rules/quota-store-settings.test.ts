import { quotaStoreSettings } from "../../../../core/validation/rules/quota-store-settings";
import { ruleTable } from "./rule-table";

const two = { vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"], securityGroupIds: ["sg-0a1b2c3d4e5f60719"] };
const network = { "us-east-1": two };

ruleTable(quotaStoreSettings, [
  { name: "off (the default)", edit: () => {}, problems: [] },
  { name: "off, with no network at all", edit: (e) => (e.quotaStore = { enabled: false }), problems: [] },
  { name: "on, with the region's network in two zones", edit: (e) => Object.assign(e, { network, quotaStore: { enabled: true } }), problems: [] },
  {
    name: "on, a second region without its network",
    edit: (e) => Object.assign(e, { regions: ["us-east-1", "us-west-2"], network, quotaStore: { enabled: true } }),
    problems: [{ path: "network.us-west-2", message: /^is missing: the quota store's cache needs the VPC, subnets and security groups of us-west-2 \(regions\[1\]\)/ }],
  },
  {
    name: "on, one subnet",
    edit: (e) => Object.assign(e, { network: { "us-east-1": { ...two, subnetIds: ["subnet-0a1b2c3d4e5f60711"] } }, quotaStore: { enabled: true } }),
    problems: [{ path: "network.us-east-1.subnetIds", message: /^names one subnet: the quota store's cache in us-east-1 would serve from one Availability Zone/, severity: "warning" }],
  },
  {
    name: "on, IAM authentication off",
    edit: (e) => Object.assign(e, { network, quotaStore: { enabled: true, iamAuth: false } }),
    problems: [{ path: "quotaStore.iamAuth", message: /^is false: the cache gets no user group/, severity: "warning" }],
  },
]);
