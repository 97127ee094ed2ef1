import { stateBackend } from "../../../../core/validation/rules/state-backend";
import { ruleTable } from "./rule-table";

const s3 = (region: string) => (e: any) => (e.backend = { s3: { bucket: "team-state", region } });

ruleTable(stateBackend, [
  { name: "local state", edit: () => {}, problems: [] },
  { name: "state in the environment's region", edit: s3("us-east-1"), problems: [] },
  { name: "state in another commercial region", edit: s3("eu-west-1"), problems: [] },
  { name: "GovCloud state for a GovCloud environment", edit: (e) => { e.regions = ["us-gov-west-1"]; s3("us-gov-east-1")(e); }, problems: [] },
  { name: "GovCloud state for a commercial environment", edit: s3("us-gov-west-1"), problems: [{ path: "backend.s3.region", message: "us-gov-west-1 is in the aws-us-gov partition, the environment's regions in aws; the credentials that deploy it cannot reach that bucket" }] },
  { name: "commercial state for a GovCloud environment", edit: (e) => { e.regions = ["us-gov-west-1"]; s3("us-east-1")(e); }, problems: [{ path: "backend.s3.region", message: "us-east-1 is in the aws partition, the environment's regions in aws-us-gov; the credentials that deploy it cannot reach that bucket" }] },
]);
