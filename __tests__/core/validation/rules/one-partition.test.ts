import { onePartition } from "../../../../core/validation/rules/one-partition";
import { ruleTable } from "./rule-table";

ruleTable(onePartition, [
  { name: "one commercial region", edit: () => {}, problems: [] },
  { name: "two commercial regions", edit: (e) => (e.regions = ["us-east-1", "eu-west-1"]), problems: [] },
  { name: "a GovCloud region beside a commercial one", edit: (e) => (e.regions = ["us-east-1", "us-gov-west-1"]), problems: [{ path: "regions[1]", message: "us-gov-west-1 is in the aws-us-gov partition, us-east-1 in aws; an account belongs to one" }] },
]);
